"""Only published content is public: a draft is never shown at a public address, to anyone,
staff included (staff preview drafts in the admin: test_review_workflow.py)."""

import pytest

from tests.factories import (
    ArticleFactory,
    EditorFactory,
    FAQFactory,
    ProviderQuestionFactory,
    SectionFactory,
    SideEffectFactory,
    UserFactory,
)
from tests.helpers import sign_in_staff


@pytest.fixture
def draft_section(db):
    return SectionFactory(article=ArticleFactory(is_live=False), heading="Unpublished heading")


def test_a_never_published_article_is_not_found_by_the_public(client, draft_section):
    assert client.get(draft_section.article.get_absolute_url()).status_code == 404


def test_a_never_published_article_is_not_found_by_a_patient(client, draft_section):
    client.force_login(UserFactory())
    assert client.get(draft_section.article.get_absolute_url()).status_code == 404


def test_a_never_published_article_is_not_found_by_staff_at_its_public_address(
    client, draft_section
):
    sign_in_staff(client, EditorFactory())
    assert client.get(draft_section.article.get_absolute_url()).status_code == 404


def test_a_published_article_has_no_preview_banner(client, db):
    article = ArticleFactory()
    assert "Preview of the draft" not in client.get(article.get_absolute_url()).content.decode()


def test_faqs_of_a_draft_article_stay_off_the_faq_page(client, draft_section):
    FAQFactory(section=draft_section, question="Hidden question?")
    FAQFactory(question="Public question?")
    html = client.get("/faq/").content.decode()
    assert "Public question?" in html
    assert "Hidden question?" not in html


def test_side_effects_of_a_draft_article_stay_off_the_side_effects_page(client, draft_section):
    SideEffectFactory(section=draft_section, name="Hidden effect")
    assert "Hidden effect" not in client.get("/side-effects/").content.decode()


def test_questions_of_a_draft_article_stay_off_the_questions_page(client, draft_section):
    ProviderQuestionFactory(section=draft_section, text="Hidden question?")
    assert "Hidden question?" not in client.get("/questions/").content.decode()


def test_a_draft_article_is_not_on_the_home_page(client, draft_section):
    assert draft_section.article.title not in client.get("/").content.decode()


def test_a_draft_article_is_not_in_the_sitemap(client, draft_section):
    assert draft_section.article.slug not in client.get("/sitemap.xml").content.decode()


def test_a_draft_article_is_not_found_by_search(client, draft_section):
    html = client.get("/search/", {"q": "Unpublished"}).content.decode()
    assert "0 results" in html
