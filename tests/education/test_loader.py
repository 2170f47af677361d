from django.conf import settings
from django.core.management import call_command

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

SEED = settings.SEED_CONTENT_FILE


def content_counts():
    models = [Article, Section, Claim, FAQ, Step, ProviderQuestion, SideEffect, Testimonial]
    return {model.__name__: model.objects.count() for model in models}


def test_loading_the_seed_creates_the_whole_article(db):
    load_seed(SEED)
    assert content_counts() == {
        "Article": 1,
        "Section": 20,
        "Claim": 2,
        "FAQ": 4,
        "Step": 5,
        "ProviderQuestion": 5,
        "SideEffect": 4,
        "Testimonial": 4,
    }


def test_loading_twice_creates_nothing_more(db):
    load_seed(SEED)
    before = content_counts()
    assert load_seed(SEED) == {}
    assert content_counts() == before


def test_loading_again_keeps_an_editors_change(db):
    load_seed(SEED)
    faq = FAQ.objects.first()
    faq.answer = "The clinic's corrected answer."
    faq.save()
    load_seed(SEED)
    faq.refresh_from_db()
    assert faq.answer == "The clinic's corrected answer."


def test_loading_again_does_not_restore_what_an_editor_deleted(db):
    load_seed(SEED)
    Claim.objects.filter(text__contains="Harvard").delete()
    load_seed(SEED)
    assert not Claim.objects.filter(text__contains="Harvard").exists()


def test_loading_again_keeps_an_editors_unpublishing(db):
    load_seed(SEED)
    Article.objects.update(status="draft")
    load_seed(SEED)
    assert Article.objects.get().status == "draft"


def test_the_command_reports_what_it_loaded_then_that_nothing_was_new(db, capsys):
    call_command("load_seed_content")
    assert "2 claims" in capsys.readouterr().out
    call_command("load_seed_content")
    assert "nothing to add" in capsys.readouterr().out


def test_the_seed_keeps_items_in_the_clinics_order(db):
    load_seed(SEED)
    steps = [step.title for step in Step.objects.order_by("order")]
    assert steps == [
        "Initial Consultation",
        "Assessment",
        "Infusion Sessions",
        "Post-Infusion Monitoring",
        "Follow-Up Appointments",
    ]
