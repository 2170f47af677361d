"""Clinic editors change every piece of content in the admin: lists, add forms, inlines and the
draft preview (what the public sees changes only through review: test_live_and_draft.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from education.models import FAQ, Article, Section
from tests.factories import (
    ContributorFactory,
    EditorFactory,
    ReviewerFactory,
    SourceFactory,
    UserFactory,
)
from tests.helpers import (
    admin_change_url,
    admin_form,
    form_data,
    post_admin_change,
    sign_in_staff,
    visible_text,
)

ADMIN_MODELS = [
    "article", "section", "claim", "faq", "step", "providerquestion", "sideeffect", "testimonial",
    "source",
]  # fmt: skip


@pytest.fixture
def editor_client(client, seeded):
    sign_in_staff(client, EditorFactory())
    return client


def the_draft():
    return Article.objects.drafts().get()


def preview_text(client):
    url = reverse("admin:education_article_preview", args=[the_draft().pk])
    return visible_text(client.get(url).content.decode())


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_an_editor_can_open_every_content_list_in_the_admin(editor_client, model):
    assert editor_client.get(reverse(f"admin:education_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_an_editor_can_open_every_content_add_form(editor_client, model):
    assert editor_client.get(reverse(f"admin:education_{model}_add")).status_code == 200


def test_an_editor_can_see_the_contributors_to_pick_from(editor_client):
    assert editor_client.get(reverse("admin:education_contributor_changelist")).status_code == 200


def test_an_editor_cannot_change_the_name_credited_as_reviewer(editor_client):
    contributor = ContributorFactory(name="Rita Vega", credentials="MD")

    response = editor_client.post(
        admin_change_url(contributor), {"name": "Dr Famous", "credentials": "MD, PhD"}
    )

    contributor.refresh_from_db()
    assert response.status_code == 403
    assert (contributor.name, contributor.credentials) == ("Rita Vega", "MD")


def test_an_editor_cannot_add_a_contributor(editor_client):
    assert editor_client.get(reverse("admin:education_contributor_add")).status_code == 403


def test_a_reviewer_can_change_a_contributors_credentials(client, seeded):
    contributor = ContributorFactory(name="Rita Vega", credentials="MD")
    sign_in_staff(client, ReviewerFactory())

    client.post(admin_change_url(contributor), {"name": "Rita Vega", "credentials": "MD, PhD"})

    contributor.refresh_from_db()
    assert contributor.credentials == "MD, PhD"


def test_an_editor_can_open_the_article_with_its_sections_inline(editor_client):
    html = editor_client.get(admin_change_url(the_draft())).content.decode()
    assert "What is IV Ketamine?" in html
    assert "Conclusion" in html


def test_an_editors_faq_change_is_saved_to_the_draft(editor_client):
    faq = FAQ.objects.drafts().get(question__startswith="How effective")
    response = post_admin_change(
        editor_client, faq, answer="It is not known yet. [Read more](#current-research)."
    )
    assert response.status_code == 302
    assert "It is not known yet. Read more." in preview_text(editor_client)


def test_an_editor_reorders_sections_inline_on_the_article(editor_client):
    article = the_draft()
    data = form_data(editor_client.get(admin_change_url(article)).content.decode(), "article_form")
    conclusion = Section.objects.drafts().get(anchor="conclusion")
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(conclusion.pk)
    )
    data[f"sections-{index}-order"] = "1"
    assert editor_client.post(admin_change_url(article), data).status_code == 302
    text = preview_text(editor_client)
    assert text.index("Conclusion") < text.index("Introduction")


def test_an_editor_edits_a_sections_items_inline(editor_client):
    section = Section.objects.drafts().get(anchor="step-by-step-guide")
    data = form_data(editor_client.get(admin_change_url(section)).content.decode(), "section_form")
    data["steps-0-title_en"] = "First conversation"
    assert editor_client.post(admin_change_url(section), data).status_code == 302
    assert "First conversation:" in preview_text(editor_client)


def test_an_editor_cannot_unpublish_an_article_through_its_form(editor_client):
    data = admin_form(editor_client, the_draft())
    assert "status" not in data
    assert "expires_at_0" in data  # an expiry date, which a reviewer publishes like any change


def test_a_patient_cannot_open_the_admin(client, seeded):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:education_faq_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_second_article_with_a_draft_articles_address_is_refused_with_a_message(
    editor_client,
):
    response = editor_client.post(
        reverse("admin:education_article_add"),
        {
            "title": "Another",
            "slug": "iv-ketamine-for-adhd",
            "summary": "A summary.",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Another article already uses this address (slug)." in response.content.decode()
    assert Article.objects.drafts().count() == 1


@pytest.mark.parametrize("year", [3000, 99999, 1200])
def test_a_source_year_no_publication_could_have_is_refused_beside_it(client, db, year):
    sign_in_staff(client, EditorFactory())
    source = SourceFactory(is_live=False)

    response = post_admin_change(client, source, year=year)

    assert "Enter the year it was published" in str(
        response.context["adminform"].form.errors["year"]
    )


def test_a_source_year_of_next_year_is_saved_for_a_paper_in_press(client, db):
    sign_in_staff(client, EditorFactory())
    source = SourceFactory(is_live=False)
    next_year = timezone.localdate().year + 1

    post_admin_change(client, source, year=next_year)

    source.refresh_from_db()
    assert source.year == next_year
