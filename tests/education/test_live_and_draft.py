"""By construction, not by care: whatever an editor changes in the admin, on any content model,
the public pages, the public API and the checklist catalogue stay byte for byte what a medical
reviewer last published; once a reviewer publishes, the change is there at once."""

import re

import pytest
from django.urls import reverse

from education.models import (
    FAQ,
    Article,
    Claim,
    ProviderQuestion,
    Section,
    SideEffect,
    Source,
    Step,
    Testimonial,
)
from journal.forms import SideEffectReportForm
from journal.prep.rules import catalogue_suggestions
from tests.factories import (
    ArticleFactory,
    ReviewerFactory,
    SectionFactory,
    UserFactory,
    publish_draft,
)
from tests.helpers import (
    admin_change_url,
    form_data,
    post_admin_change,
    sign_in_staff,
    visible_text,
)

SLUG = "iv-ketamine-for-adhd"
ARTICLE = f"/learn/{SLUG}/"
MARK = "Zanzibar"  # a word the seed never uses: every edit below puts it in
PUBLIC_URLS = [
    "/",
    ARTICLE,
    f"{ARTICLE}focus/conclusion/",
    "/faq/",
    "/side-effects/",
    "/questions/",
    f"/search/?q={MARK}",
    "/sitemap.xml",
    "/api/v1/faqs/",
    "/api/v1/articles/",
    f"/api/v1/articles/{SLUG}/",
    "/api/v1/questions/",
    "/api/v1/side-effects/",
]
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def public_view(client):
    """Everything the public gets: each address's status, ETag and body (less the reader's own
    CSRF token), the checklist catalogue and the side effects a patient can report."""
    view = {}
    for url in PUBLIC_URLS:
        response = client.get(url)
        body = CSRF_TOKEN.sub(b"", response.content)
        view[url] = (response.status_code, response.get("ETag"), body)
    view["catalogue"] = [(each.source_key, each.text) for each in catalogue_suggestions()]
    form = SideEffectReportForm(user=UserFactory())
    view["reportable side effects"] = [
        str(choice) for choice in form.fields["side_effect"].queryset
    ]
    return view


def draft(model, **lookup):
    return model.objects.drafts().filter(section__article__slug=SLUG, **lookup).first()


def approve_on_the_review_screen(client, article):
    """A second medical reviewer approves the article's changes on its review screen."""
    sign_in_staff(client, ReviewerFactory())
    url = reverse("admin:education_article_review", args=[article.pk])
    seen = re.search(r'name="seen" value="([^"]+)"', client.get(url).content.decode()).group(1)
    response = client.post(url, {"action": "approve", "seen": seen})
    assert response.status_code == 302, response.content.decode()[:2000]


def edit_article_summary(client):
    post_admin_change(client, the_article(), summary=f"A summary about {MARK}.")


def edit_section_body(client):
    section = Section.objects.drafts().get(article__slug=SLUG, anchor="conclusion")
    post_admin_change(client, section, body=f"In {MARK}, we conclude.")


def reorder_sections(client):
    article = the_article()
    data = form_data(client.get(admin_change_url(article)).content.decode(), "article_form")
    conclusion = Section.objects.drafts().get(article=article, anchor="conclusion")
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(conclusion.pk)
    )
    data[f"sections-{index}-order"] = "1"
    data[f"sections-{index}-heading_en"] = f"{MARK} first"
    client.post(admin_change_url(article), data)


def edit_claim(client):
    post_admin_change(client, draft(Claim), text=f"A claim about {MARK}.")


def relabel_claim(client):
    claim = draft(Claim)
    source = Source.objects.drafts().first()
    post_admin_change(
        client, claim, evidence_label="controlled_trial", sources=[source.pk], text=f"{MARK} trial."
    )


def edit_faq(client):
    faq = draft(FAQ, question__startswith="How effective")
    post_admin_change(client, faq, answer=f"Nobody knows yet, even in {MARK}.")


def edit_step(client):
    post_admin_change(client, draft(Step), body=f"Travel to {MARK}.")


def edit_question(client):
    post_admin_change(client, draft(ProviderQuestion), text=f"Is {MARK} near?")


def edit_side_effect(client):
    post_admin_change(client, draft(SideEffect, slug="headaches"), description=f"{MARK} ache.")


def edit_side_effect_help(client):
    side_effect = draft(SideEffect, slug="headaches")
    post_admin_change(client, side_effect, get_help_now=f"Call the {MARK} clinic.")


def edit_key_points(client):
    section = Section.objects.drafts().get(article__slug=SLUG, anchor="conclusion")
    post_admin_change(client, section, key_points=f"- {MARK} in short.")


def edit_testimonial(client):
    post_admin_change(client, draft(Testimonial), quote=f"I went to {MARK}.")


def edit_shared_source(client):
    post_admin_change(client, Source.objects.drafts().get(), citation=f"The {MARK} study")


def attach_a_source(client):
    faq = draft(FAQ, question__startswith="How effective")
    source = Source.objects.drafts().get()
    post_admin_change(client, faq, sources=[str(source.pk)], answer=f"See {MARK}.")


def add_faq(client):
    section = Section.objects.drafts().get(article__slug=SLUG, anchor="faq")
    client.post(
        reverse("admin:education_faq_add"),
        {
            "section": section.pk,
            "order": 99,
            "question_en": f"Is there a clinic in {MARK}?",
            "answer_en": "No.",
            "evidence_label": "",
        },
    )


def delete_faq(client):
    faq = draft(FAQ, question__startswith="How effective")
    client.post(reverse("admin:education_faq_delete", args=[faq.pk]), {"post": "yes"})


def revert_faq(client):
    """An editor reverts the FAQ to the version before its last (published) edit."""
    faq = draft(FAQ, question__startswith="How effective")
    older = faq.history.exclude(answer__contains=MARK).first()
    url = reverse("admin:education_faq_simple_history", args=[faq.pk, older.history_id])
    data = form_data(client.get(url).content.decode(), "historicalfaq_form")
    client.post(url, data)


def the_article():
    return Article.objects.drafts().get(slug=SLUG)


def shown_in_search(client):
    return MARK in visible_text(client.get(f"/search/?q={MARK}").content.decode())


def on_the_article(client):
    return MARK in visible_text(client.get(ARTICLE).content.decode())


EDITS = [
    pytest.param(edit_article_summary, lambda c: MARK in c.get("/").content.decode(), id="article"),
    pytest.param(edit_section_body, shown_in_search, id="section"),
    pytest.param(reorder_sections, on_the_article, id="section order"),
    pytest.param(edit_claim, shown_in_search, id="claim"),
    pytest.param(
        relabel_claim,
        lambda c: "Controlled trial" in c.get(ARTICLE).content.decode(),
        id="evidence label",
    ),  # fmt: skip
    pytest.param(edit_faq, lambda c: MARK in c.get("/api/v1/faqs/").content.decode(), id="faq"),
    pytest.param(edit_step, shown_in_search, id="step"),
    pytest.param(
        edit_question,
        lambda c: MARK in c.get("/questions/").content.decode(),
        id="provider question",
    ),  # fmt: skip
    pytest.param(
        edit_side_effect,
        lambda c: MARK in c.get("/side-effects/").content.decode(),
        id="side effect",
    ),  # fmt: skip
    pytest.param(
        edit_side_effect_help,
        lambda c: MARK in c.get("/side-effects/").content.decode(),
        id="side effect: when to get help now",
    ),  # fmt: skip
    pytest.param(
        edit_key_points,
        lambda c: MARK in c.get(f"{ARTICLE}focus/conclusion/").content.decode(),
        id="key points",
    ),  # fmt: skip
    pytest.param(edit_testimonial, shown_in_search, id="testimonial"),
    pytest.param(edit_shared_source, on_the_article, id="shared source"),
    pytest.param(
        attach_a_source, lambda c: MARK in c.get("/faq/").content.decode(), id="sources attached"
    ),  # fmt: skip
    pytest.param(add_faq, lambda c: MARK in c.get("/faq/").content.decode(), id="addition"),
    pytest.param(
        delete_faq, lambda c: b"How effective" not in c.get("/faq/").content, id="deletion"
    ),  # fmt: skip
]


@pytest.fixture
def published_seed(seeded, client):
    """The seed as published, with a source cited by one section (sources are shared)."""
    article = the_article()
    source = Source.objects.create(citation="A checkable study", url="https://example.org/s")
    Section.objects.drafts().get(article=article, anchor="current-research").sources.add(source)
    publish_draft(article)
    return article


@pytest.mark.parametrize(("make_edit", "is_public"), EDITS)
def test_an_editors_admin_change_leaves_everything_public_unchanged_byte_for_byte(
    client, editor, published_seed, make_edit, is_public
):
    before = public_view(client)
    sign_in_staff(client, editor)
    make_edit(client)
    client.logout()

    assert public_view(client) == before


@pytest.mark.parametrize(("make_edit", "is_public"), EDITS)
def test_an_editors_admin_change_is_public_at_once_when_a_reviewer_publishes_it(
    client, editor, published_seed, make_edit, is_public
):
    public_view(client)  # every public page is now in the cache
    sign_in_staff(client, editor)
    make_edit(client)
    approve_on_the_review_screen(client, published_seed)
    client.logout()

    assert is_public(client)


def test_a_history_revert_leaves_everything_public_unchanged_until_published(
    client, editor, published_seed
):
    sign_in_staff(client, editor)
    edit_faq(client)
    approve_on_the_review_screen(client, published_seed)
    client.logout()
    before = public_view(client)
    sign_in_staff(client, editor)
    revert_faq(client)
    client.logout()

    assert public_view(client) == before


def test_a_published_history_revert_is_public_at_once(client, editor, published_seed):
    sign_in_staff(client, editor)
    edit_faq(client)
    approve_on_the_review_screen(client, published_seed)
    sign_in_staff(client, editor)
    revert_faq(client)
    approve_on_the_review_screen(client, published_seed)
    client.logout()

    assert MARK not in client.get("/faq/").content.decode()


def test_a_history_revert_keeps_the_versions_spanish(client, editor, published_seed):
    faq = draft(FAQ, question__startswith="How effective")
    spanish = faq.answer_es
    sign_in_staff(client, editor)
    edit_faq(client)

    revert_faq(client)

    faq.refresh_from_db()
    assert spanish
    assert faq.answer_es == spanish


@pytest.fixture
def another_article_citing_the_source(published_seed):
    other = ArticleFactory(is_live=False, slug="another-article")
    SectionFactory(article=other, sources=[Source.objects.drafts().get()])
    publish_draft(other)
    return other


def test_a_change_to_a_shared_source_is_pending_on_every_article_citing_it(
    client, editor, published_seed, another_article_citing_the_source
):
    sign_in_staff(client, editor)
    edit_shared_source(client)
    client.logout()

    assert MARK not in client.get("/learn/another-article/").content.decode()
    assert MARK not in client.get(ARTICLE).content.decode()


def test_publishing_one_article_leaves_another_citing_the_same_source_unchanged(
    client, editor, published_seed, another_article_citing_the_source
):
    sign_in_staff(client, editor)
    edit_shared_source(client)
    approve_on_the_review_screen(client, published_seed)
    client.logout()

    assert MARK in client.get(ARTICLE).content.decode()
    assert MARK not in client.get("/learn/another-article/").content.decode()
