"""Review dates and the trust signals readers see.

Readers see who wrote and reviewed a page (with the reviewer's credentials), its sources,
funding and conflicts, and can say whether it helped; search engines get structured data that
no text can break out of. The review workflow itself is in test_review_workflow.py.
"""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from education.models import (
    FAQ,
    Article,
    Contributor,
    PageFeedback,
    ProviderQuestion,
    Section,
    SideEffect,
    Source,
    Step,
    Testimonial,
)
from education.publishing import writing_live_content
from education.readability import reading_grade
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
    publish_draft,
)
from tests.helpers import admin_change_url, visible_text

ARTICLE_URL = "/learn/iv-ketamine-for-adhd/"
# Building the article page, as in test_query_budget.py: the article, then sections, claims,
# FAQs (each with their sources), steps, questions, side effects and testimonials.
ARTICLE_PAGE_QUERIES = 11
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


# --- helpers ---------------------------------------------------------------------------------


def long_date(date):
    return f"{date.day} {date:%B %Y}"


def today():
    return timezone.localdate()


def json_ld(html):
    """The page's structured-data blocks, parsed."""
    return [json.loads(block) for block in JSON_LD.findall(html)]


def without_json_ld(html):
    return JSON_LD.sub("", html)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- 3. review dates -------------------------------------------------------------------------


def check_review_dates():
    """(exit status, output) of the check_review_dates command."""
    out = StringIO()
    try:
        call_command("check_review_dates", stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def reviewed_article(title, due_in_days, is_live=True):
    return ArticleFactory(
        title=title,
        is_live=is_live,
        last_reviewed=today() - datetime.timedelta(days=365),
        next_review_due=today() + datetime.timedelta(days=due_in_days),
    )


def test_the_review_check_reports_an_overdue_article_and_fails(db):
    article = reviewed_article("Late article", due_in_days=-1)
    status, output = check_review_dates()
    assert f"OVERDUE: Late article ({article.next_review_due.isoformat()})" in output
    assert status == 1


def test_the_review_check_reports_a_never_reviewed_article_and_fails(db):
    ArticleFactory(title="Unreviewed article")
    status, output = check_review_dates()
    assert "NEVER REVIEWED: Unreviewed article" in output
    assert status == 1


def test_the_review_check_reports_an_expired_article_and_fails(db):
    ArticleFactory(title="Old article", expires_at=timezone.now() - datetime.timedelta(minutes=1))
    status, output = check_review_dates()
    assert "EXPIRED: Old article" in output
    assert status == 1


def test_the_review_check_reports_an_article_due_soon_and_passes(db):
    article = reviewed_article("Soon article", due_in_days=30)
    status, output = check_review_dates()
    assert f"DUE SOON: Soon article ({article.next_review_due.isoformat()})" in output
    assert status == 0


def test_the_review_check_says_nothing_is_due_when_no_review_is_near(db):
    reviewed_article("Fresh article", due_in_days=31)
    status, output = check_review_dates()
    assert output.strip() == "No article is due for review in the next 30 days."
    assert status == 0


def test_the_review_check_leaves_drafts_out(db):
    ArticleFactory(title="Draft article", is_live=False)
    reviewed_article("Late draft", due_in_days=-10, is_live=False)
    status, output = check_review_dates()
    assert output.strip() == "No article is due for review in the next 30 days."
    assert status == 0


def test_the_review_due_admin_list_shows_the_same_articles_as_the_command(editor_client):
    reviewed_article("Late article", due_in_days=-1)
    reviewed_article("Soon article", due_in_days=10)
    reviewed_article("Fresh article", due_in_days=200)
    reviewed_article("Late draft", due_in_days=-1, is_live=False)
    _, output = check_review_dates()
    text = visible_text(page(editor_client, reverse("admin:education_reviewduearticle_changelist")))
    for title in ["Late article", "Soon article"]:
        assert title in output
        assert title in text
    for title in ["Fresh article", "Late draft"]:
        assert title not in output
        assert title not in text


# --- 4. trust panel --------------------------------------------------------------------------


@pytest.fixture
def trust_article(db):
    author = Contributor.objects.create(name="Dr Sam Writer", credentials="MD")
    return ArticleFactory(author=author)


@pytest.fixture
def trust_draft(db):
    """A draft article, not yet published."""
    author = Contributor.objects.create(name="Dr Sam Writer", credentials="MD")
    return ArticleFactory(author=author, is_live=False)


def test_the_trust_panel_names_the_author(client, trust_article):
    text = visible_text(page(client, trust_article.get_absolute_url()))
    assert "Written by Dr Sam Writer, MD" in text


def test_the_trust_panel_says_the_page_is_not_yet_medically_reviewed(client, trust_article):
    text = visible_text(page(client, trust_article.get_absolute_url()))
    assert "Medical review Not yet medically reviewed" in text


def test_the_trust_panel_names_the_reviewer_with_credentials_once_reviewed(
    client, trust_draft, reviewer
):
    publish_draft(trust_draft, reviewer)
    text = visible_text(page(client, trust_draft.get_absolute_url()))
    assert f"Reviewed by Dr {reviewer.username.title()}, MD, psychiatrist on" in text
    assert f"on {long_date(today())}" in text


def test_the_trust_panel_says_the_page_does_not_replace_the_clinician(client, trust_article):
    text = visible_text(page(client, trust_article.get_absolute_url()))
    assert "This page supports, and does not replace, your clinician." in text


def test_the_trust_panel_states_funding_and_conflicts_of_interest(client, trust_article):
    text = visible_text(page(client, trust_article.get_absolute_url()))
    assert "Funding and conflicts of interest" in text
    assert "That is a conflict of interest" in text


def test_the_spanish_trust_panel_marks_the_funding_statement_as_english(client, trust_article):
    html = page(client, "/es" + trust_article.get_absolute_url())
    (statement,) = re.findall(r'<p lang="en">This page is written.*?</p>', html, re.S)
    assert "(solo en inglés)" in statement


def test_the_trust_panel_says_there_is_no_advertising(client, trust_article):
    text = visible_text(page(client, trust_article.get_absolute_url()))
    assert "No advertising. This portal shows no adverts and no sponsored content." in text


def test_the_trust_panel_says_when_no_checkable_source_is_cited(client, trust_article):
    SectionFactory(article=trust_article)
    text = visible_text(page(client, trust_article.get_absolute_url()))
    assert "This article does not cite a checkable source yet." in text


def cited_numbers(html):
    """The reference numbers each cited item links to, in page order."""
    paragraphs = re.findall(r'<p class="references-cited">(.*?)</p>', html, re.S)
    return [re.findall(r'href="#ref-(\d+)"', paragraph) for paragraph in paragraphs]


def reference_list(html):
    """(id, visible text) of each entry of the reference list."""
    return [
        (ref_id, visible_text(body))
        for ref_id, body in re.findall(r'<li id="(ref-\d+)">(.*?)</li>', html, re.S)
    ]


@pytest.fixture
def cited_article(trust_article):
    """Sources on a section, a claim and an FAQ; citations sort unlike their reading order."""
    zulu, mike, alpha = (SourceFactory(citation=name) for name in ["Zulu", "Mike", "Alpha"])
    first = SectionFactory(article=trust_article, order=1)
    second = SectionFactory(article=trust_article, order=2)
    with writing_live_content():
        first.sources.add(zulu)
    ClaimFactory(section=first, sources=[mike])
    FAQFactory(section=second, sources=[alpha, zulu])
    return trust_article


def test_each_cited_item_links_to_its_numbered_references(client, cited_article):
    html = page(client, cited_article.get_absolute_url())
    assert cited_numbers(html) == [["1"], ["2"], ["3", "1"]]


def test_cited_items_show_reference_numbers_in_brackets(client, cited_article):
    text = visible_text(page(client, cited_article.get_absolute_url()))
    assert "Sources: [3] [1]" in text


def test_the_reference_list_shows_each_source_once_in_reading_order(client, cited_article):
    html = page(client, cited_article.get_absolute_url())
    assert [ref_id for ref_id, _ in reference_list(html)] == ["ref-1", "ref-2", "ref-3"]
    assert [text for _, text in reference_list(html)] == [
        "Zulu, 2024.",
        "Mike, 2024.",
        "Alpha, 2024.",
    ]


def test_a_source_cited_twice_gets_one_number(client, trust_article):
    source = SourceFactory(citation="Shared study")
    section = SectionFactory(article=trust_article)
    with writing_live_content():
        section.sources.add(source)
    ClaimFactory(section=section, sources=[source])
    html = page(client, trust_article.get_absolute_url())
    assert cited_numbers(html) == [["1"], ["1"]]
    assert len(reference_list(html)) == 1


def test_the_article_page_query_count_stays_fixed_with_sources_attached(
    client, cited_article, django_assert_num_queries
):
    page(client, cited_article.get_absolute_url())
    cache.clear()  # so the measured request builds the page rather than serving it from the cache
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        page(client, cited_article.get_absolute_url())


# --- 5. feedback -----------------------------------------------------------------------------


def feedback_url(article):
    return reverse("education:article_feedback", args=[article.slug])


def test_helpful_feedback_with_a_comment_is_saved(client, db):
    article = ArticleFactory()
    client.post(feedback_url(article), {"helpful": "yes", "comment": "Clear and kind."})
    feedback = PageFeedback.objects.get()
    assert (feedback.article, feedback.helpful, feedback.comment) == (
        article,
        True,
        "Clear and kind.",
    )


def test_feedback_redirects_back_to_the_feedback_section(client, db):
    article = ArticleFactory()
    response = client.post(feedback_url(article), {"helpful": "no"})
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#feedback"


def test_feedback_thanks_the_reader(client, db):
    article = ArticleFactory()
    response = client.post(feedback_url(article), {"helpful": "yes"}, follow=True)
    assert "Thank you. The clinic reads every answer." in visible_text(response.content.decode())


def test_feedback_without_an_answer_asks_for_one_and_saves_nothing(client, db):
    article = ArticleFactory()
    response = client.post(feedback_url(article), {"comment": "Hmm"}, follow=True)
    assert "Choose Yes or No." in visible_text(response.content.decode())
    assert not PageFeedback.objects.exists()


def test_feedback_on_a_draft_article_is_not_found(client, db):
    draft = ArticleFactory(is_live=False)
    assert client.post(feedback_url(draft), {"helpful": "yes"}).status_code == 404
    assert not PageFeedback.objects.exists()


def test_feedback_cannot_be_sent_with_get(client, db):
    article = ArticleFactory()
    assert client.get(feedback_url(article), {"helpful": "yes"}).status_code == 405
    assert not PageFeedback.objects.exists()


def test_an_editor_reads_feedback_in_the_admin(editor_client):
    PageFeedback.objects.create(article=ArticleFactory(), helpful=False, comment="Too long.")
    html = page(editor_client, reverse("admin:education_pagefeedback_changelist"))
    assert "Too long." in visible_text(html)


# --- 6. readability --------------------------------------------------------------------------

SIMPLE_HTML = "<p>I feel fine. The nurse is kind. We talk.</p>"


def test_simple_text_gets_a_low_reading_grade():
    assert reading_grade(SIMPLE_HTML) < 5


def test_the_seeds_long_sentences_get_a_reading_grade_above_8(seeded):
    section = Section.objects.drafts().get(anchor="introduction")
    assert reading_grade(section.body_html) > 8


def test_text_free_html_has_no_reading_grade():
    assert reading_grade("<p> </p>") is None


def test_the_admin_section_page_shows_the_reading_grade(editor_client):
    section = SectionFactory(
        body="I feel fine. The nurse is kind. We talk.", article__is_live=False
    )
    text = visible_text(page(editor_client, admin_change_url(section)))
    assert f"Reading grade: {reading_grade(section.body_html)}" in text
    assert "above grade 8" not in text


def test_the_admin_section_page_flags_a_section_above_grade_8(editor_client, seeded):
    section = Section.objects.drafts().get(anchor="introduction")
    text = visible_text(page(editor_client, admin_change_url(section)))
    assert f"{reading_grade(section.body_html)} — above grade 8" in text


# --- 7. structured data, robots, canonical links and the sitemap ----------------------------


def test_the_article_page_describes_itself_as_a_medical_web_page_for_patients(client, seeded):
    [data] = json_ld(page(client, ARTICLE_URL))
    assert data["@type"] == "MedicalWebPage"
    assert data["medicalAudience"]["audienceType"] == "Patient"
    assert data["name"] == "IV Ketamine for ADHD"


def test_the_article_structured_data_gives_date_author_and_citations(client, seeded_draft):
    section = seeded_draft.sections.first()
    section.sources.add(SourceFactory(citation="A trial", url="https://example.org/trial"))
    publish_draft(seeded_draft)
    [data] = json_ld(page(client, ARTICLE_URL))
    seeded_article = Article.objects.public().get()
    assert datetime.datetime.fromisoformat(data["dateModified"]) == seeded_article.updated
    assert data["author"]["name"] == "Clinic patient-education team"
    assert data["citation"] == [
        {"@type": "CreativeWork", "name": "A trial", "url": "https://example.org/trial"}
    ]


def test_the_article_structured_data_has_no_review_before_review(client, seeded):
    [data] = json_ld(page(client, ARTICLE_URL))
    assert "lastReviewed" not in data
    assert "reviewedBy" not in data


def test_the_article_structured_data_names_the_reviewer_with_credentials_after_review(
    client, seeded_draft, reviewer
):
    publish_draft(seeded_draft, reviewer)
    [data] = json_ld(page(client, ARTICLE_URL))
    assert data["lastReviewed"] == today().isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": f"Dr {reviewer.username.title()}",
        "honorificSuffix": "MD, psychiatrist",
    }


def test_the_faq_page_lists_every_public_question_as_structured_data(client, seeded):
    FAQFactory(question="A draft question?", section__article__is_live=False)
    [data] = json_ld(page(client, "/faq/"))
    assert data["@type"] == "FAQPage"
    questions = [entity["name"] for entity in data["mainEntity"]]
    assert questions == list(FAQ.objects.public().values_list("question", flat=True))
    assert len(questions) == 4


def test_the_faq_structured_data_gives_answers_without_html_tags(client, seeded):
    [data] = json_ld(page(client, "/faq/"))
    answers = [entity["acceptedAnswer"]["text"] for entity in data["mainEntity"]]
    assert all(answers)
    assert not any(re.search(r"<\s*/?[a-z]", answer) for answer in answers)
    assert any(answer.endswith("Learn more about its applications.") for answer in answers)


def test_the_faq_structured_data_gives_answers_as_plain_text_not_html_entities(client, db):
    FAQFactory(answer="Costs & risks are < 5%.")
    [data] = json_ld(page(client, "/faq/"))
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "Costs & risks are < 5%."


def test_an_faq_question_cannot_break_out_of_the_structured_data_block(client, db):
    FAQFactory(question="Is it safe?</script><script>alert(1)</script>")
    html = page(client, "/faq/")
    assert html.lower().count("<script") == 1
    [data] = json_ld(html)
    assert data["mainEntity"][0]["name"] == "Is it safe?</script><script>alert(1)</script>"


def test_an_faq_answer_cannot_break_out_of_the_structured_data_block(client, db):
    FAQFactory(answer="Yes.</script><script>alert(1)</script> Really.")
    html = page(client, "/faq/")
    assert html.lower().count("<script") == 1
    [data] = json_ld(html)
    assert data["mainEntity"][0]["acceptedAnswer"]["text"].endswith("Really.")


def test_the_article_summary_cannot_break_out_of_the_structured_data_block(client, db):
    article = ArticleFactory(summary="Hi </script><script>alert(1)</script>")
    html = page(client, article.get_absolute_url())
    assert html.lower().count("<script") == 1
    [data] = json_ld(html)
    assert data["description"] == "Hi </script><script>alert(1)</script>"


@pytest.mark.parametrize("path", ["/journal/", "/checklists/", "/share/", "/accounts/", "/admin/"])
def test_robots_txt_keeps_search_engines_out_of_private_pages(client, db, path):
    lines = page(client, "/robots.txt").splitlines()
    assert f"Disallow: {path}" in lines


def test_robots_txt_names_the_sitemap(client, db):
    lines = page(client, "/robots.txt").splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.parametrize("url", ["/", ARTICLE_URL, "/faq/", "/side-effects/", "/questions/"])
def test_public_pages_carry_a_canonical_link_and_open_graph_tags(client, seeded, url):
    html = page(client, url)
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert '<meta property="og:title" content="' in html
    assert '<meta property="og:type" content="' in html


def test_the_article_page_is_an_open_graph_article_titled_as_the_article(client, seeded):
    html = page(client, ARTICLE_URL)
    assert '<meta property="og:title" content="IV Ketamine for ADHD">' in html
    assert '<meta property="og:type" content="article">' in html


def test_the_sitemap_lists_the_published_article_and_not_a_draft(client, seeded):
    ArticleFactory(slug="a-draft", is_live=False)
    xml = page(client, "/sitemap.xml")
    assert f"<loc>http://testserver{ARTICLE_URL}</loc>" in xml
    assert "/learn/a-draft/" not in xml


# --- 8. every staff-editable text is escaped or sanitised on display -------------------------

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
PUBLIC_PAGES = ["/faq/", "/side-effects/", "/questions/", "/", "/search/?q=alert"]


@pytest.fixture
def page_content(db):
    """One published article showing every kind of staff-editable plain text."""
    author = Contributor.objects.create(name="Dr Sam Writer", credentials="MD")
    article = ArticleFactory(author=author, medical_reviewer=author, last_reviewed=today())
    section = SectionFactory(article=article)
    source = SourceFactory(publisher="A publisher")
    with writing_live_content():
        section.sources.add(source)
    return {
        Article: article,
        Section: section,
        Contributor: author,
        Source: source,
        Step: StepFactory(section=section),
        ProviderQuestion: ProviderQuestionFactory(section=section),
        SideEffect: SideEffectFactory(section=section, management="Rest."),
        Testimonial: TestimonialFactory(section=section, reflection="It passed."),
        FAQ: FAQFactory(section=section),
    }


PLAIN_TEXT_FIELDS = [
    (Article, "title"),
    (Article, "summary"),
    (Article, "funding_and_conflicts"),
    (Section, "heading"),
    (Step, "title"),
    (Step, "body"),
    (ProviderQuestion, "text"),
    (SideEffect, "name"),
    (SideEffect, "description"),
    (SideEffect, "management"),
    (Testimonial, "attribution"),
    (Testimonial, "quote"),
    (Testimonial, "reflection"),
    (Source, "citation"),
    (Source, "publisher"),
    (Contributor, "name"),
    (Contributor, "credentials"),
    (FAQ, "question"),
]


@pytest.mark.parametrize(
    ("model", "field"),
    PLAIN_TEXT_FIELDS,
    ids=[f"{model.__name__}.{field}" for model, field in PLAIN_TEXT_FIELDS],
)
def test_staff_text_is_escaped_on_every_public_page(client, page_content, model, field):
    obj = page_content[model]
    setattr(obj, field, PAYLOAD)
    with writing_live_content():
        obj.save()
    pages = [page(client, page_content[Article].get_absolute_url())]
    pages += [page(client, url) for url in PUBLIC_PAGES]
    assert any("&lt;script&gt;alert(1)" in html for html in pages), "the text is never shown"
    for html in pages:
        assert all("<" not in block for block in JSON_LD.findall(html))
        markup = without_json_ld(html).lower()
        assert "<script>alert" not in markup
        assert "<img" not in markup


def test_a_javascript_source_url_is_rejected_by_the_model(db):
    source = Source(citation="A study", url="javascript:alert(1)")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict


def test_a_javascript_source_url_is_rejected_by_the_admin_form(editor_client):
    response = editor_client.post(
        reverse("admin:education_source_add"),
        {"citation": "A study", "url": "javascript:alert(1)", "publisher": "", "year": ""},
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Source.objects.exists()
