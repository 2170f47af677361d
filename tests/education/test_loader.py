import importlib

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command

from education import review
from education.loader import load_seed
from education.models import (
    FAQ,
    Article,
    Claim,
    ProviderQuestion,
    Section,
    SideEffect,
    Step,
    Testimonial,
)
from tests.factories import EditorFactory, ReviewerFactory, SectionFactory
from tests.helpers import post_admin_change, sign_in_staff

SEED = settings.SEED_CONTENT_FILE
MODELS = [Article, Section, Claim, FAQ, Step, ProviderQuestion, SideEffect, Testimonial]


def content_counts(rows=lambda model: model.objects.all()):
    return {model.__name__: rows(model).count() for model in MODELS}


def draft_counts():
    return content_counts(lambda model: model.objects.drafts())


def live_counts():
    return content_counts(lambda model: model.objects.public())


def test_loading_the_seed_creates_the_whole_article_as_drafts(db):
    load_seed(SEED)
    assert draft_counts() == {
        "Article": 1,
        "Section": 20,
        "Claim": 14,
        "FAQ": 4,
        "Step": 5,
        "ProviderQuestion": 5,
        "SideEffect": 4,
        "Testimonial": 4,
    }


def test_the_first_load_publishes_the_whole_article(db):
    load_seed(SEED)
    assert live_counts() == draft_counts()


def test_the_first_load_publishes_the_article_as_not_medically_reviewed(db):
    load_seed(SEED)
    assert Article.objects.public().get().medical_reviewer is None


def test_loading_twice_creates_nothing_more(db):
    load_seed(SEED)
    before = content_counts()
    assert load_seed(SEED) == {}
    assert content_counts() == before


def test_loading_again_keeps_an_editors_change(db):
    load_seed(SEED)
    faq = FAQ.objects.drafts().first()
    faq.answer = "The clinic's corrected answer."
    faq.save()
    load_seed(SEED)
    faq.refresh_from_db()
    assert faq.answer == "The clinic's corrected answer."


def test_loading_again_does_not_publish_an_editors_change(db):
    load_seed(SEED)
    faq = FAQ.objects.drafts().first()
    faq.answer = "The clinic's corrected answer."
    faq.save()
    load_seed(SEED)
    assert not FAQ.objects.public().filter(answer="The clinic's corrected answer.").exists()


def test_loading_again_does_not_restore_what_an_editor_deleted(db):
    load_seed(SEED)
    Claim.objects.drafts().filter(text__contains="Harvard").delete()
    load_seed(SEED)
    assert not Claim.objects.drafts().filter(text__contains="Harvard").exists()


def test_loading_again_keeps_a_reviewers_unpublishing(db):
    load_seed(SEED)
    review.unpublish(article=Article.objects.drafts().get(), user=ReviewerFactory())
    load_seed(SEED)
    assert not Article.objects.public().exists()


def test_the_command_reports_what_it_loaded_then_that_nothing_was_new(db, capsys):
    call_command("load_seed_content")
    assert "14 claims" in capsys.readouterr().out
    call_command("load_seed_content")
    assert "nothing to add" in capsys.readouterr().out


def test_the_seed_keeps_items_in_the_clinics_order(db):
    load_seed(SEED)
    steps = [step.title for step in Step.objects.drafts().order_by("order")]
    assert steps == [
        "Initial Consultation",
        "Assessment",
        "Infusion Sessions",
        "Post-Infusion Monitoring",
        "Follow-Up Appointments",
    ]


def test_the_seed_is_loaded_without_a_line_break_at_the_end_of_any_text(db):
    load_seed(SEED)

    untrimmed = [
        (section.anchor, name)
        for section in Section.objects.drafts()
        for name in ["body_en", "body_es", "key_points_en", "key_points_es"]
        if (getattr(section, name) or "") != (getattr(section, name) or "").strip()
    ]
    assert untrimmed == []


def test_an_editors_first_save_of_the_article_shows_only_what_they_changed(client, db):
    load_seed(SEED)
    article = Article.objects.drafts().get()
    sign_in_staff(client, EditorFactory())

    response = post_admin_change(client, article, summary="A new summary.")

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    changes = review.pending_changes(article)
    assert [change.key.partition(":")[0] for change in changes] == ["article"]


def test_the_migration_trims_texts_stored_with_a_final_line_break(db):
    trim_seed_texts = importlib.import_module("education.migrations.0011_trim_seed_texts")
    section = SectionFactory(body="Some text.\n", key_points="- A point\n")

    trim_seed_texts.trim_texts(django_apps, None)

    section.refresh_from_db()
    assert (section.body_en, section.key_points_en) == ("Some text.", "- A point")
