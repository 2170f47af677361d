"""Each side effect on /side-effects/ says when to get help now, in a marked box, as a medical
reviewer approved it (issue 16, point 3)."""

from django.conf import settings

from education.loader import load_seed
from education.models import LoadedSeedItem, SideEffect
from tests.factories import ArticleFactory, SectionFactory, SideEffectFactory, publish_draft
from tests.helpers import visible_text

HELP = "Call your local emergency number if you faint; call the clinic the same day if dizzy."


def help_box(html, slug):
    start = html.rindex('<div class="get-help"', 0, html.index(f'aria-labelledby="{slug}-help"'))
    return visible_text(html[start : html.index("</div>", start)])


def test_a_side_effect_shows_when_to_get_help_now_in_a_marked_box(client, db):
    SideEffectFactory(slug="dizziness", get_help_now=HELP)

    html = client.get("/side-effects/").content.decode()

    assert help_box(html, "dizziness") == f"When to get help now {HELP}"


def test_a_side_effect_without_help_text_shows_no_empty_box(client, db):
    SideEffectFactory(slug="dizziness", get_help_now="")

    html = client.get("/side-effects/").content.decode()

    assert "When to get help now" not in html


def test_help_text_is_escaped_not_run_as_html(client, db):
    SideEffectFactory(slug="dizziness", get_help_now='<script>alert("x")</script> Call now.')

    html = client.get("/side-effects/").content.decode()

    assert "<script>alert" not in html


def test_the_side_effects_api_gives_when_to_get_help_now(client, db):
    SideEffectFactory(slug="dizziness", get_help_now=HELP)

    body = client.get("/api/v1/side-effects/").json()

    assert body["results"][0]["get_help_now"] == HELP


def test_the_api_schema_documents_when_to_get_help_now(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    field = schema["components"]["schemas"]["SideEffect"]["properties"]["get_help_now"]
    assert field["type"] == "string" and "emergency number" in field["description"]


def test_a_draft_help_text_is_not_public_until_a_reviewer_approves_it(client, db):
    section = SectionFactory(article=ArticleFactory(is_live=False))
    side_effect = SideEffectFactory(section=section, slug="dizziness", get_help_now="Old advice.")
    publish_draft(section.article)
    side_effect.get_help_now = HELP
    side_effect.save()

    assert HELP not in client.get("/side-effects/").content.decode()


def test_an_approved_help_text_is_exactly_what_the_page_shows(client, db):
    section = SectionFactory(article=ArticleFactory(is_live=False))
    side_effect = SideEffectFactory(section=section, slug="dizziness", get_help_now="Old advice.")
    publish_draft(section.article)
    side_effect.get_help_now = HELP
    side_effect.save()
    publish_draft(section.article)

    assert help_box(client.get("/side-effects/").content.decode(), "dizziness").endswith(HELP)


def test_every_seeded_side_effect_says_when_to_call_the_emergency_number_and_the_clinic(db):
    load_seed(settings.SEED_CONTENT_FILE)

    texts = SideEffect.objects.drafts().values_list("get_help_now", flat=True)

    assert len(texts) == 4
    assert all("local emergency number" in text and "clinic" in text for text in texts)


def test_a_side_effect_loaded_before_the_seed_had_help_text_gets_it_for_review(db):
    load_seed(settings.SEED_CONTENT_FILE)
    SideEffect.objects.filter(slug="headaches").update(get_help_now="")
    LoadedSeedItem.objects.filter(key__endswith="/later-texts").delete()

    load_seed(settings.SEED_CONTENT_FILE)

    assert "emergency number" in SideEffect.objects.drafts().get(slug="headaches").get_help_now
    assert SideEffect.objects.public().get(slug="headaches").get_help_now == ""
