"""Page cost does not grow with content: building a page takes a fixed number of queries whatever
the article's size, serving it from the cache takes none, and a signed-in reader's article
reuses the body built for everyone."""

from django.core.cache import cache
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

# Building the page: article, sections, section sources, claims, claim sources, FAQs, FAQ
# sources, steps, questions, side effects, testimonials. (The content stamp in the cache key is
# read from the cache or a file, not the database.)
ARTICLE_PAGE_QUERIES = 11

# Building the FAQ page: FAQs with their sections and articles, then their sources.
FAQ_PAGE_QUERIES = 2

# Serving either page to an anonymous reader from the cache.
CACHED_PAGE_QUERIES = 0

# A signed-in reader's article page, its body built before (for anyone): their session and user.
SIGNED_IN_ARTICLE_QUERIES = 2


def article_with(sections):
    article = ArticleFactory()
    source = SourceFactory()
    for _ in range(sections):
        section = SectionFactory(article=article, sources=[source])
        ClaimFactory(section=section, sources=[source])
        for factory in [
            FAQFactory,
            StepFactory,
            ProviderQuestionFactory,
            SideEffectFactory,
            TestimonialFactory,
        ]:
            factory(section=section)
    return article


def build_queries(client, url):
    """The queries of building the page afresh: the cache is emptied after a first request."""
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def hit_queries(client, url):
    """The queries of serving the page from the cache, after a first request stored it."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_article_page_runs_a_fixed_number_of_queries(client, db):
    article = article_with(sections=3)

    assert build_queries(client, article.get_absolute_url()) == ARTICLE_PAGE_QUERIES


def test_the_article_page_query_count_does_not_grow_with_sections(client, db):
    small, large = article_with(sections=2), article_with(sections=25)

    counts = [build_queries(client, article.get_absolute_url()) for article in (small, large)]

    assert counts == [ARTICLE_PAGE_QUERIES, ARTICLE_PAGE_QUERIES]


def test_a_cached_article_page_runs_no_query(client, db):
    article = article_with(sections=3)

    assert hit_queries(client, article.get_absolute_url()) == CACHED_PAGE_QUERIES


def test_a_signed_in_reader_gets_the_article_body_built_for_an_anonymous_one(client, patient):
    article = article_with(sections=3)
    client.get(article.get_absolute_url())  # an anonymous reader: the body is built
    client.force_login(patient)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert len(queries) == SIGNED_IN_ARTICLE_QUERIES


def test_the_faq_page_runs_two_queries_whatever_the_number_of_faqs(client, db):
    FAQFactory()
    few = build_queries(client, "/faq/")
    for _ in range(30):
        FAQFactory()

    assert build_queries(client, "/faq/") == few == FAQ_PAGE_QUERIES


def test_a_cached_faq_page_runs_no_query(client, db):
    for _ in range(30):
        FAQFactory()

    assert hit_queries(client, "/faq/") == CACHED_PAGE_QUERIES


def test_a_focus_page_runs_as_many_queries_as_the_article_page(client, db):
    article = article_with(sections=3)
    anchor = article.sections.first().anchor

    assert build_queries(client, f"/learn/{article.slug}/focus/{anchor}/") == ARTICLE_PAGE_QUERIES


def test_the_other_focus_pages_of_an_article_run_no_query(client, db):
    """One build makes every section's part: the next section is served from it."""
    article = article_with(sections=3)
    first, second = [section.anchor for section in article.sections.all()[:2]]
    client.get(f"/learn/{article.slug}/focus/{first}/")

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/learn/{article.slug}/focus/{second}/").status_code == 200

    assert len(queries) == CACHED_PAGE_QUERIES


def test_a_cached_focus_page_runs_no_query(client, db):
    article = article_with(sections=3)
    anchor = article.sections.first().anchor

    assert hit_queries(client, f"/learn/{article.slug}/focus/{anchor}/") == CACHED_PAGE_QUERIES
