"""Page cost does not grow with content: a fixed number of queries whatever the article's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    FAQFactory,
    ProviderQuestionFactory,
    SectionFactory,
    SideEffectFactory,
    SourceFactory,
    StepFactory,
    TestimonialFactory,
)

# article, sections, section sources, claims, claim sources, FAQs, FAQ sources, steps,
# questions, side effects, testimonials
ARTICLE_PAGE_QUERIES = 11


def article_with(sections):
    article = ArticleFactory()
    source = SourceFactory()
    for _ in range(sections):
        section = SectionFactory(article=article)
        section.sources.add(source)
        ClaimFactory(section=section).sources.add(source)
        for factory in [
            FAQFactory,
            StepFactory,
            ProviderQuestionFactory,
            SideEffectFactory,
            TestimonialFactory,
        ]:
            factory(section=section)
    return article


def test_the_article_page_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    article = article_with(sections=3)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_the_article_page_query_count_does_not_grow_with_sections(client, db):
    small, large = article_with(sections=2), article_with(sections=25)
    counts = []
    for article in (small, large):
        with CaptureQueriesContext(connection) as queries:
            client.get(article.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_faq_page_runs_two_queries_whatever_the_number_of_faqs(
    client, db, django_assert_num_queries
):
    for _ in range(30):
        FAQFactory()
    with django_assert_num_queries(2):  # FAQs with their articles, then their sources
        client.get("/faq/")
