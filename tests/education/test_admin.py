"""Clinic editors change every piece of content in the admin and see it on the site at once."""

import pytest
from django.urls import reverse

from education.models import FAQ, Article, Section
from tests.factories import EditorFactory, UserFactory
from tests.helpers import form_data, visible_text

ADMIN_MODELS = [
    "article", "section", "claim", "faq", "step", "providerquestion", "sideeffect", "testimonial",
    "source", "contributor",
]  # fmt: skip


@pytest.fixture
def editor_client(client, seeded):
    client.force_login(EditorFactory())
    return client


def change_url(obj):
    return reverse(f"admin:education_{obj._meta.model_name}_change", args=[obj.pk])


def post_admin_change(client, obj, form_id, **changes):
    data = form_data(client.get(change_url(obj)).content.decode(), form_id)
    data.update(changes)
    return client.post(change_url(obj), data)


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_an_editor_can_open_every_content_list_in_the_admin(editor_client, model):
    assert editor_client.get(reverse(f"admin:education_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_an_editor_can_open_every_content_add_form(editor_client, model):
    assert editor_client.get(reverse(f"admin:education_{model}_add")).status_code == 200


def test_an_editor_can_open_the_article_with_its_sections_inline(editor_client):
    article = Article.objects.get()
    html = editor_client.get(change_url(article)).content.decode()
    assert "What is IV Ketamine?" in html
    assert "Conclusion" in html


def test_an_editors_faq_change_shows_on_the_faq_page(editor_client):
    faq = FAQ.objects.get(question__startswith="How effective")
    response = post_admin_change(
        editor_client,
        faq,
        "faq_form",
        answer="It is not known yet. [Read more](#current-research).",
    )
    assert response.status_code == 302
    text = visible_text(editor_client.get("/faq/").content.decode())
    assert "It is not known yet. Read more." in text


def test_an_editor_reorders_sections_inline_on_the_article(editor_client):
    article = Article.objects.get()
    data = form_data(editor_client.get(change_url(article)).content.decode(), "article_form")
    conclusion = Section.objects.get(anchor="conclusion")
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(conclusion.pk)
    )
    data[f"sections-{index}-order"] = "1"
    assert editor_client.post(change_url(article), data).status_code == 302
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert html.index('id="conclusion"') < html.index('id="introduction"')


def test_an_editor_edits_a_sections_items_inline(editor_client):
    section = Section.objects.get(anchor="step-by-step-guide")
    data = form_data(editor_client.get(change_url(section)).content.decode(), "section_form")
    data["steps-0-title"] = "First conversation"
    assert editor_client.post(change_url(section), data).status_code == 302
    assert "First conversation:" in visible_text(
        editor_client.get(section.get_absolute_url()).content.decode()
    )


def test_an_editor_can_unpublish_an_article(editor_client):
    article = Article.objects.get()
    assert (
        post_admin_change(editor_client, article, "article_form", status="draft").status_code == 302
    )
    editor_client.logout()
    assert editor_client.get(article.get_absolute_url()).status_code == 404


def test_a_patient_cannot_open_the_admin(client, seeded):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:education_faq_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
