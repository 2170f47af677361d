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
from tests.factories import ReviewerFactory

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
