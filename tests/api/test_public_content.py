"""The public content API: published content only, paginated, filterable, and cacheable by ETag
and Last-Modified, with a query count that does not grow with the content."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from education.api import ProviderQuestionViewSet
from education.models import FAQ, Contributor, EvidenceLabel, QuestionCategory
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    ProviderQuestionFactory,
    SectionFactory,
    SideEffectFactory,
    SourceFactory,
    UserFactory,
    publish_draft,
)
from tests.helpers import cache_control

FAQS = "/api/v1/faqs/"
ARTICLES = "/api/v1/articles/"
QUESTIONS = "/api/v1/questions/"
SIDE_EFFECTS = "/api/v1/side-effects/"

# Building the FAQ list: the count, the page of FAQs (with section and article joined, and so
# the article's review dates), their sources. (The content stamp, in the cache key and the ETag,
# is no query.)
FAQ_LIST_QUERIES = 3

# Building the question or the side-effect list: the count, the page (section and article
# joined), and the sources of their sections, which they carry with the section's evidence label.
ITEM_LIST_QUERIES = 3

# Answering an anonymous client from the cache, with the list or with a 304.
CACHED_ANSWER_QUERIES = 0

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counts live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def published_section(db):
    return SectionFactory(article=ArticleFactory(slug="published-article", title="A published"))


@pytest.fixture
def draft_section(db):
    return SectionFactory(
        article=ArticleFactory(slug="draft-article", title="B draft", is_live=False)
    )


def questions_in(response):
    return [faq["question"] for faq in response.json()["results"]]


def documented_parameter(api, path, name):
    """The query parameter as the served schema documents it for the list at path."""
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(parameter for parameter in parameters if parameter["name"] == name)


def all_keys(value):
    """Every key of every object, however deeply nested."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in all_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in all_keys(item)}
    return set()


# FAQs: visibility, pagination, filtering, searching, ordering


def test_the_faq_list_shows_the_faqs_of_a_published_article(api, published_section):
    FAQFactory(section=published_section, question="Is it public?")

    assert questions_in(api.get(FAQS)) == ["Is it public?"]


def test_the_faq_list_leaves_out_the_faqs_of_a_draft_article(api, published_section, draft_section):
    FAQFactory(section=published_section, question="Is it public?")
    FAQFactory(section=draft_section, question="Is it a secret draft?")

    assert "Is it a secret draft?" not in questions_in(api.get(FAQS))


def test_a_draft_articles_faq_is_not_found_by_its_id(api, draft_section):
    faq = FAQFactory(section=draft_section)

    assert api.get(f"{FAQS}{faq.pk}/").status_code == 404


def test_the_faq_list_is_paginated_with_count_next_previous_and_results(api, published_section):
    FAQFactory.create_batch(3, section=published_section)

    body = api.get(FAQS, {"page_size": 2}).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]


def test_the_second_faq_page_links_back_to_the_first(api, published_section):
    FAQFactory.create_batch(3, section=published_section)

    body = api.get(FAQS, {"page_size": 2, "page": 2}).json()

    assert len(body["results"]) == 1
    assert body["next"] is None
    assert body["previous"] is not None


def test_the_faq_list_serves_up_to_100_faqs_a_page(api, published_section):
    FAQFactory.create_batch(101, section=published_section)

    body = api.get(FAQS, {"page_size": 100}).json()

    assert body["count"] == 101
    assert len(body["results"]) == 100


def test_the_faq_list_shows_20_faqs_a_page_by_default(api, published_section):
    FAQFactory.create_batch(21, section=published_section)

    assert len(api.get(FAQS).json()["results"]) == 20


def test_paging_through_the_faqs_shows_each_one_exactly_once(api, db):
    for article_number in range(3):
        section = SectionFactory(article=ArticleFactory(title=f"Article {3 - article_number}"))
        FAQFactory.create_batch(4, section=section, order=0)
    pages = [api.get(FAQS, {"page_size": 5, "page": page}).json() for page in (1, 2, 3)]

    ids = [faq["id"] for page in pages for faq in page["results"]]

    assert len(ids) == 12
    assert len(set(ids)) == 12


def test_the_faq_list_comes_in_the_same_order_on_every_request(api, db):
    for article_number in range(3):
        section = SectionFactory(article=ArticleFactory(title=f"Article {3 - article_number}"))
        FAQFactory.create_batch(4, section=section, order=0)

    first, second = api.get(FAQS).json(), api.get(FAQS).json()

    assert [faq["id"] for faq in first["results"]] == [faq["id"] for faq in second["results"]]


def test_the_faq_list_follows_reading_order_of_articles_sections_and_faqs(api, db):
    later_article = SectionFactory(article=ArticleFactory(title="Zebra"), order=1)
    earlier_section = SectionFactory(article=ArticleFactory(title="Aardvark"), order=2)
    FAQFactory(section=later_article, question="In Zebra?", order=1)
    FAQFactory(section=earlier_section, question="Second in Aardvark?", order=2)
    FAQFactory(section=earlier_section, question="First in Aardvark?", order=1)

    assert questions_in(api.get(FAQS)) == ["First in Aardvark?", "Second in Aardvark?", "In Zebra?"]


def test_the_faq_list_filters_by_article_slug(api, db):
    wanted = SectionFactory(article=ArticleFactory(slug="wanted"))
    other = SectionFactory(article=ArticleFactory(slug="other"))
    FAQFactory(section=wanted, question="In the wanted article?")
    FAQFactory(section=other, question="In another article?")

    assert questions_in(api.get(FAQS, {"article": "wanted"})) == ["In the wanted article?"]


def test_the_schema_documents_exactly_the_article_filters_the_faq_list_accepts(api, db):
    pattern = documented_parameter(api, FAQS, "article")["schema"]["pattern"]
    values = ["wanted", " wanted ", "", "  ", "wanted\x00"]

    documented = [value for value in values if re.search(pattern, value)]
    accepted = [value for value in values if api.get(FAQS, {"article": value}).status_code == 200]

    assert documented == accepted == ["wanted", " wanted "]


def test_filtering_faqs_by_a_draft_articles_slug_finds_nothing(api, draft_section):
    FAQFactory(section=draft_section)

    assert api.get(FAQS, {"article": "draft-article"}).json()["count"] == 0


def test_the_faq_list_searches_questions(api, published_section):
    FAQFactory(section=published_section, question="How long does an infusion take?")
    FAQFactory(section=published_section, question="Who can I call?")

    assert questions_in(api.get(FAQS, {"search": "infusion"})) == [
        "How long does an infusion take?"
    ]


def test_the_faq_list_searches_answers(api, published_section):
    FAQFactory(section=published_section, question="First?", answer="About forty minutes.")
    FAQFactory(section=published_section, question="Second?", answer="Your clinic.")

    assert questions_in(api.get(FAQS, {"search": "forty"})) == ["First?"]


def test_a_search_with_a_nul_character_is_a_400_with_a_message_for_the_parameter(api, db):
    response = api.get(FAQS, {"search": "side\x00effects"})

    assert response.status_code == 400
    assert response.json() == {"search": ["Null characters are not allowed."]}


def test_the_schema_documents_exactly_the_searches_the_faq_list_accepts(api, db):
    pattern = documented_parameter(api, FAQS, "search")["schema"]["pattern"]
    values = ["infusion", "", "side effects", "side\x00effects"]

    documented = [value for value in values if re.search(pattern, value)]
    accepted = [value for value in values if api.get(FAQS, {"search": value}).status_code == 200]

    assert documented == accepted == ["infusion", "", "side effects"]


def test_the_faq_list_orders_by_question_on_request(api, published_section):
    for question in ["Banana?", "Cherry?", "Apple?"]:
        FAQFactory(section=published_section, question=question)

    assert questions_in(api.get(FAQS, {"ordering": "question"})) == [
        "Apple?",
        "Banana?",
        "Cherry?",
    ]


def test_the_faq_list_orders_by_question_descending_on_request(api, published_section):
    for question in ["Banana?", "Cherry?", "Apple?"]:
        FAQFactory(section=published_section, question=question)

    assert questions_in(api.get(FAQS, {"ordering": "-question"})) == [
        "Cherry?",
        "Banana?",
        "Apple?",
    ]


def test_paging_through_faqs_ordered_by_question_shows_each_one_exactly_once(
    api, published_section
):
    FAQFactory.create_batch(6, section=published_section, question="What are the side effects?")
    pages = [
        api.get(FAQS, {"ordering": "question", "page_size": 2, "page": page}).json()
        for page in (1, 2, 3)
    ]

    ids = [faq["id"] for page in pages for faq in page["results"]]

    assert sorted(ids) == sorted(set(ids))
    assert len(ids) == 6


def test_an_unknown_ordering_is_a_400_with_a_message_for_the_parameter(api, published_section):
    response = api.get(FAQS, {"ordering": "answer"})

    assert response.status_code == 400
    assert list(response.json()) == ["ordering"]
    assert "question" in response.json()["ordering"][0]


def test_an_unknown_field_among_known_orderings_is_a_400(api, published_section):
    assert api.get(FAQS, {"ordering": "question,answer"}).status_code == 400


def test_an_empty_ordering_is_a_400(api, published_section):
    assert api.get(FAQS, {"ordering": ""}).status_code == 400


def test_the_schema_documents_exactly_the_orderings_the_faq_list_accepts(api, published_section):
    pattern = documented_parameter(api, FAQS, "ordering")["schema"]["pattern"]
    values = ["question", "-id", "id,-question", "", "answer", "question,", "--id", "question "]

    documented = [value for value in values if re.search(pattern, value)]
    accepted = [value for value in values if api.get(FAQS, {"ordering": value}).status_code == 200]

    assert documented == accepted == ["question", "-id", "id,-question"]


def page_query_order_by(api, params, url=FAQS, table="education_faq"):
    """The ORDER BY clause of the query that fetches a page of the list at url."""
    with CaptureQueriesContext(connection) as queries:
        api.get(url, params)
    page_query = [
        query["sql"]
        for query in queries
        if f'FROM "{table}"' in query["sql"] and "LIMIT" in query["sql"]
    ][-1]
    return page_query.rsplit("ORDER BY", 1)[1]


def test_the_default_faq_order_ends_with_the_id_so_pages_never_overlap(api, published_section):
    FAQFactory.create_batch(3, section=published_section)

    assert (
        page_query_order_by(api, {"page_size": 2})
        .split(" LIMIT")[0]
        .endswith('"education_faq"."id" ASC')
    )


def test_ordering_faqs_by_question_breaks_ties_by_id_so_pages_never_overlap(api, published_section):
    FAQFactory.create_batch(3, section=published_section, question="Same question?")

    assert '"education_faq"."id"' in page_query_order_by(
        api, {"ordering": "question", "page_size": 2}
    )


def test_an_faq_has_its_answer_as_sanitised_html_and_as_markdown(api, published_section):
    FAQFactory(section=published_section, answer="**Yes.** <script>alert(1)</script>")

    faq = api.get(FAQS).json()["results"][0]

    assert "<strong>Yes.</strong>" in faq["answer_html"]
    assert "script" not in faq["answer_html"]
    assert faq["answer_markdown"] == "**Yes.** <script>alert(1)</script>"


def test_an_faq_names_its_article_by_slug(api, published_section):
    FAQFactory(section=published_section)

    assert api.get(FAQS).json()["results"][0]["article"] == "published-article"


def test_an_faq_carries_its_evidence_label_and_sources(api, published_section):
    FAQFactory(
        section=published_section,
        evidence_label=EvidenceLabel.OBSERVATIONAL,
        sources=[SourceFactory(citation="Smith 2024", year=2024)],
    )

    body = api.get(FAQS).json()["results"][0]

    assert body["evidence_label"] == "observational"
    assert body["evidence_label_display"] == "Observational study"
    assert body["sources"] == [
        {
            "citation": "Smith 2024",
            "url": "https://example.org/study",
            "publisher": "",
            "year": 2024,
        }
    ]


def test_an_faq_carries_the_explanation_its_evidence_badge_shows(api, published_section):
    FAQFactory(section=published_section, evidence_label=EvidenceLabel.OBSERVATIONAL)

    assert api.get(FAQS).json()["results"][0]["evidence_explanation"] == (
        "A study that watches what happens, without a control group. It cannot show cause."
    )


def test_an_faq_carries_its_articles_review_dates(api, reviewed_article):
    FAQFactory(section=reviewed_article.sections.get())

    faq = api.get(FAQS).json()["results"][0]

    assert (faq["last_reviewed"], faq["next_review_due"]) == ("2025-03-01", "2026-03-01")


def test_an_faq_of_an_article_never_reviewed_has_null_review_dates(api, published_section):
    FAQFactory(section=published_section)

    faq = api.get(FAQS).json()["results"][0]

    assert (faq["last_reviewed"], faq["next_review_due"]) == (None, None)


def test_a_source_that_is_not_a_web_address_is_given_without_its_url(api, published_section):
    FAQFactory(
        section=published_section,
        sources=[SourceFactory(url="javascript:alert(1)", citation="Saved around checks")],
    )

    source = api.get(FAQS).json()["results"][0]["sources"][0]

    assert (source["citation"], source["url"]) == ("Saved around checks", "")


def test_every_key_in_the_faq_list_is_snake_case(api, published_section):
    FAQFactory(section=published_section, sources=[SourceFactory()])

    keys = all_keys(api.get(FAQS).json())

    assert keys
    assert all(SNAKE_CASE.match(key) for key in keys), keys


def test_the_faq_list_answers_in_json(api, published_section):
    FAQFactory(section=published_section)

    assert api.get(FAQS)["Content-Type"] == "application/json"


# Articles


@pytest.fixture
def reviewed_article(db):
    article = ArticleFactory(
        slug="reviewed",
        title="Reviewed article",
        medical_reviewer=Contributor.objects.create(name="Dr Ada Lane", credentials="MD"),
        author=Contributor.objects.create(name="Patient education team"),
        last_reviewed=datetime.date(2025, 3, 1),
        next_review_due=datetime.date(2026, 3, 1),
    )
    SectionFactory(
        article=article,
        heading="What it is",
        anchor="what-it-is",
        body='Some **bold** text. <script>alert("x")</script> [link](javascript:alert(1))',
        evidence_label=EvidenceLabel.CONTROLLED_TRIAL,
        sources=[SourceFactory(citation="A trial", year=2023)],
    )
    return article


def test_the_article_list_shows_published_articles(api, reviewed_article):
    assert [article["slug"] for article in api.get(ARTICLES).json()["results"]] == ["reviewed"]


def test_the_article_list_leaves_out_draft_articles(api, reviewed_article, draft_section):
    slugs = [article["slug"] for article in api.get(ARTICLES).json()["results"]]

    assert "draft-article" not in slugs


def test_the_default_article_order_ends_with_the_id_so_pages_never_overlap(api, db):
    ArticleFactory.create_batch(3, title="Same title")

    order_by = page_query_order_by(api, {"page_size": 2}, ARTICLES, "education_article")

    assert order_by.split(" LIMIT")[0].endswith('"education_article"."id" ASC')


def test_a_published_article_is_served_by_its_slug(api, reviewed_article):
    response = api.get(f"{ARTICLES}reviewed/")

    assert response.status_code == 200
    assert response.json()["title"] == "Reviewed article"


def test_a_draft_articles_slug_is_not_found(api, draft_section):
    assert api.get(f"{ARTICLES}draft-article/").status_code == 404


def test_an_article_gives_its_review_dates_as_iso_dates(api, reviewed_article):
    body = api.get(f"{ARTICLES}reviewed/").json()

    assert body["last_reviewed"] == "2025-03-01"
    assert body["next_review_due"] == "2026-03-01"


def test_an_article_names_its_medical_reviewer_with_credentials(api, reviewed_article):
    assert api.get(f"{ARTICLES}reviewed/").json()["reviewer"] == "Dr Ada Lane, MD"


def test_an_article_without_a_reviewer_says_null(api, published_section):
    assert api.get(f"{ARTICLES}published-article/").json()["reviewer"] is None


def test_an_articles_section_body_html_is_sanitised(api, reviewed_article):
    body_html = api.get(f"{ARTICLES}reviewed/").json()["sections"][0]["body_html"]

    assert "<strong>bold</strong>" in body_html
    assert "<script" not in body_html
    assert "alert" not in body_html
    assert "javascript:" not in body_html


def test_an_articles_section_keeps_its_markdown(api, reviewed_article):
    section = api.get(f"{ARTICLES}reviewed/").json()["sections"][0]

    assert section["body_markdown"] == (
        'Some **bold** text. <script>alert("x")</script> [link](javascript:alert(1))'
    )


@pytest.fixture
def section_with_items_marker(db):
    return SectionFactory(
        article=ArticleFactory(slug="marked"), body="Before.\n\n[[items]]\n\nAfter."
    )


def test_a_sections_html_leaves_out_the_marker_of_its_items_place(api, section_with_items_marker):
    section = api.get(f"{ARTICLES}marked/").json()["sections"][0]

    assert section["body_html"] == "<p>Before.</p>\n<p>After.</p>"


def test_a_sections_markdown_leaves_out_the_marker_of_its_items_place(
    api, section_with_items_marker
):
    section = api.get(f"{ARTICLES}marked/").json()["sections"][0]

    assert section["body_markdown"] == "Before.\n\nAfter."


def test_a_marker_line_typed_in_the_admin_is_left_out_of_the_markdown(api, db):
    SectionFactory(  # a browser sends a textarea's lines ending in CR LF
        article=ArticleFactory(slug="typed"), body="Before.\r\n\r\n[[items]]\r\n\r\nAfter."
    )

    section = api.get(f"{ARTICLES}typed/").json()["sections"][0]

    assert section["body_markdown"] == "Before.\r\n\r\nAfter."


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("field", ["body_html", "body_markdown"])
def test_no_section_of_the_clinics_article_shows_the_items_marker(api, seeded, language, field):
    article = api.get(f"{ARTICLES}iv-ketamine-for-adhd/", {"lang": language}).json()

    assert [section["anchor"] for section in article["sections"] if "[[" in section[field]] == []


def test_an_articles_section_carries_its_evidence_label_and_its_display(api, reviewed_article):
    section = api.get(f"{ARTICLES}reviewed/").json()["sections"][0]

    assert section["evidence_label"] == "controlled_trial"
    assert section["evidence_label_display"] == "Controlled trial"


def test_an_articles_section_lists_its_sources(api, reviewed_article):
    section = api.get(f"{ARTICLES}reviewed/").json()["sections"][0]

    assert [source["citation"] for source in section["sources"]] == ["A trial"]
    assert section["sources"][0]["year"] == 2023


def test_an_articles_section_has_its_anchor_and_heading(api, reviewed_article):
    section = api.get(f"{ARTICLES}reviewed/").json()["sections"][0]

    assert section["anchor"] == "what-it-is"
    assert section["heading"] == "What it is"


def test_an_articles_section_carries_the_explanation_its_evidence_badge_shows(
    api, reviewed_article
):
    section = api.get(f"{ARTICLES}reviewed/").json()["sections"][0]

    assert section["evidence_explanation"] == (
        "A study that compares a treatment with a control group."
    )


def test_every_key_of_an_article_is_snake_case(api, reviewed_article):
    keys = all_keys(api.get(f"{ARTICLES}reviewed/").json())

    assert all(SNAKE_CASE.match(key) for key in keys), keys


# Questions to ask and side effects


def test_the_question_list_filters_by_category(api, published_section):
    ProviderQuestionFactory(
        section=published_section, text="Is it safe?", category=QuestionCategory.SAFETY
    )
    ProviderQuestionFactory(
        section=published_section, text="Will it work?", category=QuestionCategory.OUTCOMES
    )

    results = api.get(QUESTIONS, {"category": "safety"}).json()["results"]

    assert [question["text"] for question in results] == ["Is it safe?"]
    assert results[0]["category_display"] == "Side effects and safety"


def test_an_unknown_question_category_is_a_400_with_a_message_for_the_field(api, db):
    response = api.get(QUESTIONS, {"category": "astrology"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["category"]
    assert isinstance(response.json()["category"][0], str)


@pytest.mark.parametrize(
    "url, parameter",
    [
        (FAQS, "article"),
        (QUESTIONS, "category"),
        (QUESTIONS, "article"),
        (SIDE_EFFECTS, "trackable"),
        (FAQS, "modified_since"),
        (ARTICLES, "modified_since"),
    ],
)
def test_an_empty_filter_is_a_400_with_a_message_for_the_parameter(api, db, url, parameter):
    response = api.get(url, {parameter: ""})

    assert response.status_code == 400
    assert response.json() == {parameter: ["Give a value, or leave the parameter out."]}


def test_a_blank_article_filter_is_a_400(api, db):
    assert api.get(FAQS, {"article": "  "}).status_code == 400


def test_a_trackable_value_that_is_neither_true_nor_false_is_a_400(api, db):
    response = api.get(SIDE_EFFECTS, {"trackable": "maybe"})

    assert response.status_code == 400
    assert response.json() == {"trackable": ['Enter "true" or "false".']}


def test_a_rejected_request_is_kept_by_no_browser_or_proxy(api, db):
    response = api.get(QUESTIONS, {"category": ""})

    assert cache_control(response) == {"private", "no-store"}
    assert not response.has_header("ETag")


def test_a_rejected_request_is_answered_afresh_each_time_never_from_the_cache(api, db, monkeypatch):
    answered = []
    answer = ProviderQuestionViewSet.list

    def counted_answer(view, request, *args, **kwargs):
        answered.append(request)
        return answer(view, request, *args, **kwargs)

    monkeypatch.setattr(ProviderQuestionViewSet, "list", counted_answer)

    for _ in range(2):
        assert api.get(QUESTIONS, {"category": ""}).status_code == 400

    assert len(answered) == 2


def test_the_question_list_leaves_out_draft_articles_questions(api, draft_section):
    ProviderQuestionFactory(section=draft_section)

    assert api.get(QUESTIONS).json()["count"] == 0


def test_the_side_effect_list_shows_published_side_effects(api, published_section):
    SideEffectFactory(section=published_section, name="Nausea", slug="nausea")

    results = api.get(SIDE_EFFECTS).json()["results"]

    assert [(effect["slug"], effect["name"]) for effect in results] == [("nausea", "Nausea")]
    assert results[0]["article"] == "published-article"


def test_the_side_effect_list_leaves_out_draft_articles_side_effects(api, draft_section):
    SideEffectFactory(section=draft_section)

    assert api.get(SIDE_EFFECTS).json()["count"] == 0


@pytest.fixture
def evidenced_section(reviewed_article):
    """The reviewed article's section: labelled a controlled trial, citing "A trial"."""
    return reviewed_article.sections.get()


def test_a_question_carries_its_sections_evidence_label_and_sources(api, evidenced_section):
    ProviderQuestionFactory(section=evidenced_section)

    question = api.get(QUESTIONS).json()["results"][0]

    assert question["evidence_label"] == "controlled_trial"
    assert question["evidence_label_display"] == "Controlled trial"
    assert [source["citation"] for source in question["sources"]] == ["A trial"]


def test_a_question_carries_its_articles_review_dates(api, evidenced_section):
    ProviderQuestionFactory(section=evidenced_section)

    question = api.get(QUESTIONS).json()["results"][0]

    assert (question["last_reviewed"], question["next_review_due"]) == (
        "2025-03-01",
        "2026-03-01",
    )


def test_a_side_effect_carries_its_sections_evidence_label_and_sources(api, evidenced_section):
    SideEffectFactory(section=evidenced_section)

    effect = api.get(SIDE_EFFECTS).json()["results"][0]

    assert effect["evidence_label"] == "controlled_trial"
    assert effect["evidence_label_display"] == "Controlled trial"
    assert [source["citation"] for source in effect["sources"]] == ["A trial"]


def test_a_side_effect_carries_its_articles_review_dates(api, evidenced_section):
    SideEffectFactory(section=evidenced_section)

    effect = api.get(SIDE_EFFECTS).json()["results"][0]

    assert (effect["last_reviewed"], effect["next_review_due"]) == ("2025-03-01", "2026-03-01")


# Review dates: every public list orders by them


PUBLIC_LISTS = [FAQS, QUESTIONS, SIDE_EFFECTS, ARTICLES]


@pytest.fixture
def articles_due_at_different_times(db):
    """Three articles, each with an FAQ, a question and a side effect: "soon" was reviewed
    first and is due first, "later" was reviewed and is due later, "never" was never reviewed."""
    for slug, reviewed, due in [
        ("later", datetime.date(2025, 6, 1), datetime.date(2026, 6, 1)),
        ("never", None, None),
        ("soon", datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)),
    ]:
        article = ArticleFactory(slug=slug, last_reviewed=reviewed, next_review_due=due)
        section = SectionFactory(article=article)
        FAQFactory(section=section)
        ProviderQuestionFactory(section=section)
        SideEffectFactory(section=section)


def articles_in(response):
    """The slug of each listed article, or of the article each listed item is in."""
    return [
        item["article"] if "article" in item else item["slug"]
        for item in response.json()["results"]
    ]


@pytest.mark.parametrize("url", PUBLIC_LISTS)
@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("next_review_due", ["soon", "later", "never"]),
        ("-next_review_due", ["later", "soon", "never"]),
        ("last_reviewed", ["soon", "later", "never"]),
        ("-last_reviewed", ["later", "soon", "never"]),
    ],
)
def test_a_public_list_orders_by_a_review_date_with_items_never_reviewed_last(
    api, articles_due_at_different_times, url, ordering, expected
):
    assert articles_in(api.get(url, {"ordering": ordering})) == expected


@pytest.mark.parametrize("url", PUBLIC_LISTS)
def test_the_schema_offers_every_public_list_in_order_of_review_dates(api, db, url):
    pattern = documented_parameter(api, url, "ordering")["schema"]["pattern"]

    assert re.search(pattern, "next_review_due,-last_reviewed")


# Modified since: what changed for the public at or after a moment

BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
CHANGED = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)


@pytest.fixture
def changed_at_two_moments(db, time_machine):
    """Article "before", with an FAQ, a question and a side effect, went public at BEFORE;
    "changed", with the same, at CHANGED."""
    for slug, moment in [("before", BEFORE), ("changed", CHANGED)]:
        time_machine.move_to(moment, tick=False)
        section = SectionFactory(article=ArticleFactory(slug=slug))
        FAQFactory(section=section)
        ProviderQuestionFactory(section=section)
        SideEffectFactory(section=section)


@pytest.mark.parametrize("url", PUBLIC_LISTS)
def test_a_public_list_modified_since_a_moment_leaves_out_what_changed_before(
    api, changed_at_two_moments, url
):
    response = api.get(url, {"modified_since": "2025-03-01T00:00:00Z"})

    assert articles_in(response) == ["changed"]


def test_modified_since_includes_what_changed_at_that_very_moment(api, changed_at_two_moments):
    assert articles_in(api.get(FAQS, {"modified_since": "2025-06-01T00:00:00Z"})) == ["changed"]


def test_modified_since_reads_the_offset(api, changed_at_two_moments):
    """01:00 at +02:00 is 23:00 UTC the day before CHANGED."""
    response = api.get(FAQS, {"modified_since": "2025-06-01T01:00:00+02:00"})

    assert articles_in(response) == ["changed"]


def test_editing_a_draft_does_not_make_its_faq_modified_since(api, draft, time_machine):
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=1))
    since = timezone.now().isoformat()
    edit_draft_faq(draft, "Edited?")

    assert api.get(FAQS, {"modified_since": since}).json()["count"] == 0


def test_publishing_an_edit_makes_its_faq_modified_since(
    api, draft, published_section, time_machine
):
    FAQFactory(section=published_section, question="Unchanged?")
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=1))
    since = timezone.now().isoformat()
    edit_draft_faq(draft, "Edited?")
    publish_draft(draft)

    assert questions_in(api.get(FAQS, {"modified_since": since})) == ["Edited?"]


@pytest.mark.parametrize(
    "value, expected",
    [("0001-01-01T00:00:00+01:00", ["before", "changed"]), ("9999-12-31T23:59:59-01:00", [])],
    ids=["before-year-1-in-utc", "after-9999-in-utc"],
)
def test_a_modified_since_beyond_the_years_utc_can_hold_is_the_nearest_moment(
    api, changed_at_two_moments, value, expected
):
    assert articles_in(api.get(FAQS, {"modified_since": value})) == expected


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2025-06-01",
        "2025-06-01T00:00:00",
        "2025-13-01T00:00:00Z",
    ],
    ids=["words", "date-only", "no-offset", "no-such-month"],
)
def test_a_modified_since_that_is_not_a_date_time_with_offset_is_a_400(api, db, value):
    response = api.get(FAQS, {"modified_since": value})

    assert response.status_code == 400
    assert response.json() == {
        "modified_since": [
            "Enter a date and time with its offset from UTC, e.g. 2025-01-31T09:00:00Z."
        ]
    }


def test_the_public_content_needs_no_authentication(api, published_section):
    for url in [FAQS, ARTICLES, QUESTIONS, SIDE_EFFECTS, f"{ARTICLES}published-article/"]:
        assert api.get(url).status_code == 200, url


# Languages


def public_reads(api):
    """Every public operation of the served schema (all are GETs), by path."""
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    return {
        path: operations["get"]
        for path, operations in schema["paths"].items()
        if path.startswith((FAQS, ARTICLES, QUESTIONS, SIDE_EFFECTS))
    }


def test_every_public_operation_documents_the_language_it_may_be_asked_in(api, db):
    undocumented = [
        path
        for path, operation in public_reads(api).items()
        if not {"lang", "Accept-Language"} <= {each["name"] for each in operation["parameters"]}
    ]

    assert undocumented == []


def test_every_public_operation_documents_the_content_language_it_answers_with(api, db):
    undocumented = [
        path
        for path, operation in public_reads(api).items()
        if "Content-Language" not in operation["responses"]["200"].get("headers", {})
    ]

    assert undocumented == []


# Conditional GET


@pytest.fixture
def faq(published_section):
    return FAQFactory(section=published_section, question="Cached?")


def test_a_content_response_carries_an_etag(api, faq):
    assert re.fullmatch(r'"[0-9a-f]+"', api.get(FAQS)["ETag"])


def test_a_content_response_carries_a_last_modified_date(api, faq):
    assert api.get(FAQS)["Last-Modified"].endswith(" GMT")


def test_a_content_response_may_be_cached_publicly_for_a_while(api, faq):
    cache_control = {part.strip() for part in api.get(FAQS)["Cache-Control"].split(",")}

    assert "public" in cache_control
    assert any(re.fullmatch(r"max-age=[1-9][0-9]*", part) for part in cache_control)


def test_an_article_response_carries_an_etag_and_last_modified(api, reviewed_article):
    response = api.get(f"{ARTICLES}reviewed/")

    assert response.has_header("ETag")
    assert response.has_header("Last-Modified")


def test_a_head_request_carries_the_etag_of_the_get(api, faq):
    assert api.head(FAQS)["ETag"] == api.get(FAQS)["ETag"]


def test_an_options_answer_is_kept_by_no_browser_or_proxy(api, faq):
    assert cache_control(api.options(FAQS)) == {"private", "no-store"}


def test_an_options_answer_carries_no_etag_to_pass_for_the_list(api, faq):
    assert not api.options(FAQS).has_header("ETag")


def test_a_request_with_the_current_etag_gets_304(api, faq):
    etag = api.get(FAQS)["ETag"]

    response = api.get(FAQS, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_a_304_repeats_the_etag(api, faq):
    etag = api.get(FAQS)["ETag"]

    assert api.get(FAQS, HTTP_IF_NONE_MATCH=etag)["ETag"] == etag


def test_a_request_with_the_last_modified_date_gets_304(api, faq):
    last_modified = api.get(FAQS)["Last-Modified"]

    assert api.get(FAQS, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_an_article_request_with_its_current_etag_gets_304(api, reviewed_article):
    etag = api.get(f"{ARTICLES}reviewed/")["ETag"]

    assert api.get(f"{ARTICLES}reviewed/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_another_url_has_another_etag(api, faq):
    assert api.get(FAQS)["ETag"] != api.get(FAQS, {"page_size": 5})["ETag"]


# A failed precondition: the content is not the version the client names (If-Match,
# If-Unmodified-Since)

NO_SUCH_VERSION = '"no-such-version"'
LONG_AGO = "Sat, 01 Jan 2000 00:00:00 GMT"


def test_a_request_naming_another_version_in_if_match_gets_a_json_412(api, faq):
    response = api.get(FAQS, HTTP_IF_MATCH=NO_SUCH_VERSION)

    assert response.status_code == 412
    assert response["Content-Type"] == "application/json"
    assert "If-Match" in response.json()["detail"]


def test_a_request_with_an_if_unmodified_since_before_the_last_change_gets_a_json_412(api, faq):
    response = api.get(f"{FAQS}{faq.pk}/", HTTP_IF_UNMODIFIED_SINCE=LONG_AGO)

    assert response.status_code == 412
    assert "If-Unmodified-Since" in response.json()["detail"]


def test_an_article_request_naming_another_version_gets_a_json_412(api, reviewed_article):
    response = api.get(f"{ARTICLES}reviewed/", HTTP_IF_MATCH=NO_SUCH_VERSION)

    assert (response.status_code, "detail" in response.json()) == (412, True)


def test_a_412_is_kept_by_no_browser_or_proxy(api, faq):
    assert cache_control(api.get(FAQS, HTTP_IF_MATCH=NO_SUCH_VERSION)) == {"private", "no-store"}


def test_a_412_varies_as_the_answer_it_stands_for(api, faq):
    vary = api.get(FAQS)["Vary"]

    assert api.get(FAQS, HTTP_IF_MATCH=NO_SUCH_VERSION)["Vary"] == vary


def test_a_412_is_in_the_language_asked(api, faq):
    response = api.get(FAQS, {"lang": "es"}, HTTP_IF_MATCH=NO_SUCH_VERSION)

    assert response["Content-Language"] == "es"
    assert response.json()["detail"].startswith("El contenido")


# Content changes reach the API (and move its ETag) only when a reviewer publishes them


@pytest.fixture
def draft(db):
    """A draft article with a section and an FAQ, published once: staff edit this draft, and
    the API serves its live copy."""
    article = ArticleFactory(is_live=False, slug="edited", title="Edited article")
    FAQFactory(section__article=article, question="Cached?")
    publish_draft(article)
    return article


def edit_draft_faq(draft, question):
    faq = FAQ.objects.drafts().get(section__article=draft)
    faq.question = question
    faq.save()


def delete_draft_faq(draft):
    FAQ.objects.drafts().get(section__article=draft).delete()


def add_source_to_draft_section(draft, citation):
    draft.sections.get().sources.add(SourceFactory(citation=citation))


def test_editing_a_draft_faq_leaves_the_etag_unchanged(api, draft):
    etag = api.get(FAQS)["ETag"]
    edit_draft_faq(draft, "Edited?")

    assert api.get(FAQS)["ETag"] == etag


def test_editing_a_draft_faq_leaves_the_public_faq_unchanged(api, draft):
    api.get(FAQS)
    edit_draft_faq(draft, "Edited?")
    cache.clear()  # so the view itself answers, from the database

    assert questions_in(api.get(FAQS)) == ["Cached?"]


def test_publishing_an_edited_faq_changes_the_etag_at_once(api, draft):
    etag = api.get(FAQS)["ETag"]
    edit_draft_faq(draft, "Edited?")
    publish_draft(draft)

    assert api.get(FAQS)["ETag"] != etag


def test_after_an_edited_faq_is_published_the_old_etag_gets_the_new_content(api, draft):
    etag = api.get(FAQS)["ETag"]
    edit_draft_faq(draft, "Edited?")
    publish_draft(draft)

    response = api.get(FAQS, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert questions_in(response) == ["Edited?"]


def test_deleting_a_draft_faq_leaves_the_etag_unchanged(api, draft):
    etag = api.get(FAQS)["ETag"]
    delete_draft_faq(draft)

    assert api.get(FAQS)["ETag"] == etag


def test_publishing_a_deleted_faq_changes_the_etag_at_once(api, draft):
    etag = api.get(FAQS)["ETag"]
    delete_draft_faq(draft)
    publish_draft(draft)

    assert api.get(FAQS)["ETag"] != etag


def test_after_a_deleted_faq_is_published_the_old_etag_gets_the_new_content(api, draft):
    etag = api.get(FAQS)["ETag"]
    delete_draft_faq(draft)
    publish_draft(draft)

    response = api.get(FAQS, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_adding_a_source_to_a_draft_section_leaves_the_etag_unchanged(api, draft):
    url = f"{ARTICLES}edited/"
    etag = api.get(url)["ETag"]
    add_source_to_draft_section(draft, "A new review")

    assert api.get(url)["ETag"] == etag


def test_publishing_a_source_added_to_a_section_changes_the_etag_at_once(api, draft):
    url = f"{ARTICLES}edited/"
    etag = api.get(url)["ETag"]
    add_source_to_draft_section(draft, "A new review")
    publish_draft(draft)

    assert api.get(url)["ETag"] != etag


def test_after_a_source_addition_is_published_the_old_etag_gets_the_new_sources(api, draft):
    url = f"{ARTICLES}edited/"
    etag = api.get(url)["ETag"]
    add_source_to_draft_section(draft, "A new review")
    publish_draft(draft)

    response = api.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    citations = [source["citation"] for source in response.json()["sections"][0]["sources"]]
    assert "A new review" in citations


# Query budget


def faqs_with_sources(count):
    source = SourceFactory()
    for number in range(count):
        section = SectionFactory(article=ArticleFactory())
        FAQFactory(section=section, question=f"Question {number}?", sources=[source])


def list_query_count(api, url=FAQS):
    """The queries of building the list: after a first request the cache is emptied."""
    api.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


def test_the_faq_list_runs_a_fixed_number_of_queries(api, db):
    faqs_with_sources(3)

    assert list_query_count(api) == FAQ_LIST_QUERIES


def test_the_faq_list_query_count_does_not_grow_with_the_number_of_faqs(api, db):
    faqs_with_sources(3)
    few = list_query_count(api)
    faqs_with_sources(57)

    assert list_query_count(api) == few == FAQ_LIST_QUERIES


def items_in_sections_with_sources(factory, count):
    source = SourceFactory()
    for _ in range(count):
        factory(section=SectionFactory(article=ArticleFactory(), sources=[source]))


@pytest.mark.parametrize(
    "url, factory",
    [(QUESTIONS, ProviderQuestionFactory), (SIDE_EFFECTS, SideEffectFactory)],
    ids=["questions", "side-effects"],
)
def test_an_item_list_query_count_does_not_grow_with_the_number_of_items(api, db, url, factory):
    items_in_sections_with_sources(factory, 3)
    few = list_query_count(api, url)
    items_in_sections_with_sources(factory, 27)

    assert list_query_count(api, url) == few == ITEM_LIST_QUERIES


def test_a_cached_faq_list_costs_no_query(api, db):
    faqs_with_sources(3)
    api.get(FAQS)

    with CaptureQueriesContext(connection) as queries:
        assert api.get(FAQS).status_code == 200

    assert len(queries) == CACHED_ANSWER_QUERIES


def test_a_304_from_the_cache_costs_no_query(api, faq):
    etag = api.get(FAQS)["ETag"]

    with CaptureQueriesContext(connection) as queries:
        assert api.get(FAQS, HTTP_IF_NONE_MATCH=etag).status_code == 304

    assert len(queries) == CACHED_ANSWER_QUERIES


def test_a_client_with_the_current_etag_gets_304_when_the_view_answers(api, faq):
    etag = api.get(FAQS)["ETag"]
    cache.clear()  # so the view itself answers

    assert api.get(FAQS, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_token_client_with_the_current_etag_gets_304(api, faq):
    token = Token.objects.create(user=UserFactory())
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    etag = api.get(FAQS)["ETag"]

    assert api.get(FAQS, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_if_none_match_star_on_a_missing_article_is_a_404_not_a_304(api, db):
    response = api.get("/api/v1/articles/no-such-article/", HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 404


def test_a_matching_etag_does_not_hide_throttling(api, published_section, settings):
    settings.API_THROTTLE_RATES = {"anon": "1/minute", "user": "1/minute"}
    etag = api.get("/api/v1/faqs/")["ETag"]
    response = api.get("/api/v1/faqs/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 429


def test_a_matching_etag_does_not_hide_a_bad_token(api, published_section):
    etag = api.get("/api/v1/faqs/")["ETag"]
    response = api.get("/api/v1/faqs/", HTTP_IF_NONE_MATCH=etag, HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
