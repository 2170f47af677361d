"""Scheduled go-lives and expiry dates (issue 13, point 5).

A reviewer can approve a draft to go live at a later date and time; an article can carry an
expiry date after which it leaves public view and is listed as due for review. Both take effect
at the scheduler's first tick from that moment (education.tasks.publish_due_content, every
minute); each test runs the tick itself, `tick()`. Anonymous pages and API answers are cached,
so each test reads the public side BEFORE the moment (filling the cache) and again from it, in
frozen time.

Time moves less than an hour in each test: the caches keep entries for an hour, so a stale page
could otherwise vanish by expiring rather than because publishing moved on from it.
"""

import datetime
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from education import publishing, review, tasks
from education.models import FAQ, Article, ReviewEvent, Revision
from journal.prep.rules import catalogue_suggestions
from lib import caching, scheduler
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    ProviderQuestionFactory,
    SectionFactory,
    SideEffectFactory,
    publish_draft,
)
from tests.helpers import post_admin_change, visible_text

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
GO_LIVE = START + datetime.timedelta(minutes=30)
EXPIRY = START + datetime.timedelta(minutes=30)
MINUTE = datetime.timedelta(minutes=1)
SECOND = datetime.timedelta(seconds=1)

TITLE = "Infusion day"
SLUG = "infusion-day"
ARTICLE_URL = f"/learn/{SLUG}/"
QUESTION = "How long does an infusion take?"
OLD_ANSWER = "About forty minutes in the chair."
NEW_ANSWER = "About one hour, then a short rest."
LATER_ANSWER = "An answer written after the approval."
PROVIDER_QUESTION = "Who drives me home after an infusion?"
FAQ_API = "/api/v1/faqs/"
ARTICLE_API = f"/api/v1/articles/{SLUG}/"
REVIEW_DUE_LIST = "admin:education_reviewduearticle_changelist"


# --- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def clock(time_machine):
    """Frozen time, starting at START; tests move it on with clock.move_to(...)."""
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def visitor():
    """An anonymous reader, whose pages and API answers come from the public cache."""
    return Client()


def write_draft(**article_fields):
    """A draft article with one section, one FAQ and one question to ask a provider."""
    draft = ArticleFactory(is_live=False, title=TITLE, slug=SLUG, **article_fields)
    section = SectionFactory(article=draft, heading="What to expect")
    FAQFactory(section=section, question=QUESTION, answer=OLD_ANSWER)
    ProviderQuestionFactory(section=section, text=PROVIDER_QUESTION)
    return draft


@pytest.fixture
def draft(db, clock):
    """The draft of an article published at START with OLD_ANSWER."""
    draft = write_draft()
    publish_draft(draft)
    return draft


@pytest.fixture
def expiring_draft(db, clock):
    """The draft of an article published at START that expires at EXPIRY."""
    draft = write_draft(expires_at=EXPIRY)
    publish_draft(draft)
    return draft


def tick():
    """One tick of the scheduler at the frozen time, as run_scheduler runs education's job."""
    return tasks.publish_due_content(now=timezone.now())


def edit_answer(draft, answer):
    """An editor changes the draft FAQ's answer (a pending change, not yet public)."""
    faq = FAQ.objects.drafts().get(section__article=draft)
    faq.answer = answer
    faq.save()


def article_page(visitor):
    response = visitor.get(ARTICLE_URL)
    assert response.status_code == 200, f"{ARTICLE_URL} answered {response.status_code}"
    return visible_text(response.content.decode())


def faq_page(visitor):
    response = visitor.get("/faq/")
    assert response.status_code == 200
    return visible_text(response.content.decode())


def faq_api(visitor, if_none_match=None):
    headers = {"If-None-Match": if_none_match} if if_none_match else {}
    return visitor.get(FAQ_API, headers=headers)


def api_answers(visitor):
    response = faq_api(visitor)
    assert response.status_code == 200
    return [faq["answer_markdown"] for faq in response.json()["results"]]


def api_questions(visitor):
    response = faq_api(visitor)
    assert response.status_code == 200
    return [faq["question"] for faq in response.json()["results"]]


def public_answers(visitor):
    """The FAQ answer as the article page, the FAQ page and the FAQ API show it."""
    return {
        "article page": article_page(visitor),
        "/faq/": faq_page(visitor),
        "FAQ API": " ".join(api_answers(visitor)),
    }


def assert_everywhere(visitor, shown, hidden):
    for where, text in public_answers(visitor).items():
        assert shown in text, f"{where} at {timezone.now():%H:%M} should show {shown!r}"
        assert hidden not in text, f"{where} at {timezone.now():%H:%M} should not show {hidden!r}"


def local(moment):
    return timezone.localtime(moment)


def status_label(moment):
    """A time as the admin status labels write it (review._when)."""
    return f"{local(moment):%d %b %Y, %H:%M}"


def admin_article_list(client):
    response = client.get(reverse("admin:education_article_changelist"))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def review_due_list(client):
    response = client.get(reverse(REVIEW_DUE_LIST))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def check_review_dates():
    """The command's output; it exits with status 1 when something needs attention."""
    out = StringIO()
    try:
        call_command("check_review_dates", stdout=out)
    except SystemExit:
        pass
    return out.getvalue()


def sitemap(visitor):
    return visitor.get("/sitemap.xml").content.decode()


def home_page(visitor):
    return visible_text(visitor.get("/").content.decode())


# --- scheduled go-live -----------------------------------------------------------------------


def test_a_scheduled_approval_leaves_the_old_text_public_until_its_go_live_time(
    clock, draft, visitor
):
    assert_everywhere(visitor, OLD_ANSWER, NEW_ANSWER)  # cached before the approval
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    assert_everywhere(visitor, OLD_ANSWER, NEW_ANSWER)  # cached after the approval

    clock.move_to(GO_LIVE - MINUTE)
    tick()

    assert_everywhere(visitor, OLD_ANSWER, NEW_ANSWER)


def test_the_scheduler_runs_the_publishing_job_on_every_tick():
    assert (
        scheduler.discover_jobs()["education.tasks.publish_due_content"]
        is tasks.publish_due_content
    )


def test_a_tick_a_second_before_the_go_live_time_publishes_nothing(clock, draft):
    edit_answer(draft, NEW_ANSWER)
    revision = publish_draft(draft, go_live_at=GO_LIVE)

    clock.move_to(GO_LIVE - SECOND)
    tick()

    revision.refresh_from_db()
    assert revision.published_at is None


def test_the_first_tick_from_the_go_live_time_publishes_the_approval(clock, draft):
    edit_answer(draft, NEW_ANSWER)
    revision = publish_draft(draft, go_live_at=GO_LIVE)

    clock.move_to(GO_LIVE)
    tick()

    revision.refresh_from_db()
    assert revision.published_at == GO_LIVE


def test_a_request_after_the_go_live_time_leaves_publishing_to_the_scheduler(clock, draft, visitor):
    edit_answer(draft, NEW_ANSWER)
    revision = publish_draft(draft, go_live_at=GO_LIVE)

    clock.move_to(GO_LIVE + MINUTE)
    article_page(visitor)

    revision.refresh_from_db()
    assert revision.published_at is None


def test_from_the_go_live_minute_the_new_text_is_served_after_the_first_tick(clock, draft, visitor):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    clock.move_to(GO_LIVE - MINUTE)
    tick()
    assert_everywhere(visitor, OLD_ANSWER, NEW_ANSWER)  # cached a minute before

    clock.move_to(GO_LIVE)
    tick()

    assert_everywhere(visitor, NEW_ANSWER, OLD_ANSWER)


def test_the_api_etag_changes_at_go_live(clock, draft, visitor):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    clock.move_to(GO_LIVE - MINUTE)
    tick()
    before = faq_api(visitor)["ETag"]
    assert faq_api(visitor, if_none_match=before).status_code == 304

    clock.move_to(GO_LIVE)
    tick()
    response = faq_api(visitor, if_none_match=before)

    assert response.status_code == 200, "a client revalidating its old copy must get the new one"
    assert response["ETag"] != before
    assert [faq["answer_markdown"] for faq in response.json()["results"]] == [NEW_ANSWER]


def test_a_first_publication_scheduled_for_later_is_not_found_until_its_go_live_time(
    clock, db, visitor
):
    draft = write_draft()
    publish_draft(draft, go_live_at=GO_LIVE)
    assert SLUG not in sitemap(visitor)
    assert TITLE not in home_page(visitor)  # the home page is now cached without it

    clock.move_to(GO_LIVE - MINUTE)
    tick()
    assert visitor.get(ARTICLE_URL).status_code == 404
    assert visitor.get(ARTICLE_API).status_code == 404
    assert SLUG not in sitemap(visitor)
    assert TITLE not in home_page(visitor)

    clock.move_to(GO_LIVE)
    tick()
    assert visitor.get(ARTICLE_URL).status_code == 200
    assert visitor.get(ARTICLE_API).status_code == 200
    assert f"{ARTICLE_URL}</loc>" in sitemap(visitor)
    assert TITLE in home_page(visitor)


def test_edits_made_after_a_scheduled_approval_do_not_go_live_with_it(clock, draft, visitor):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    edit_answer(draft, LATER_ANSWER)

    clock.move_to(GO_LIVE)
    tick()

    assert_everywhere(visitor, NEW_ANSWER, LATER_ANSWER)


def test_edits_made_after_a_scheduled_approval_remain_pending_once_it_went_live(
    clock, draft, visitor
):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    edit_answer(draft, LATER_ANSWER)

    clock.move_to(GO_LIVE)
    tick()

    assert [change.title for change in review.pending_changes(draft)] == [
        f"FAQ changed: {QUESTION}"
    ]
    assert str(review.status(draft)) == "Published — changes pending review (1 changed item)"


def test_the_status_says_edits_made_after_a_scheduled_approval_are_not_scheduled(clock, draft):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    edit_answer(draft, LATER_ANSWER)

    assert "edited since the approval: those edits are not scheduled" in str(review.status(draft))


def test_the_status_of_a_scheduled_approval_left_as_approved_says_nothing_more(clock, draft):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)

    assert "edited since the approval" not in str(review.status(draft))


def test_a_second_scheduled_approval_replaces_the_first(clock, draft, visitor):
    first_answer = "The first approved answer."
    edit_answer(draft, first_answer)
    publish_draft(draft, go_live_at=GO_LIVE)
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE + 15 * MINUTE)

    clock.move_to(GO_LIVE)
    tick()
    assert_everywhere(visitor, OLD_ANSWER, first_answer)

    clock.move_to(GO_LIVE + 15 * MINUTE)
    tick()
    assert_everywhere(visitor, NEW_ANSWER, first_answer)


def test_publishing_now_cancels_an_earlier_schedule_so_it_cannot_overwrite_the_newer_text(
    clock, draft, visitor
):
    first_answer = "The first approved answer."
    edit_answer(draft, first_answer)
    publish_draft(draft, go_live_at=GO_LIVE)
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft)  # approved to go live now

    clock.move_to(GO_LIVE + MINUTE)
    tick()

    assert_everywhere(visitor, NEW_ANSWER, first_answer)


def test_a_reviewer_cancelling_a_schedule_keeps_the_published_version_after_its_time(
    clock, draft, reviewer_client, visitor
):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    review_url = reverse("admin:education_article_review", args=[draft.pk])
    assert "Cancel the scheduled publication" in reviewer_client.get(review_url).content.decode()

    response = reviewer_client.post(review_url, {"action": "cancel_schedule"}, follow=True)
    assert "The scheduled publication is cancelled." in visible_text(response.content.decode())

    clock.move_to(GO_LIVE + MINUTE)
    tick()
    assert_everywhere(visitor, OLD_ANSWER, NEW_ANSWER)
    assert str(review.status(draft)) == "Published — changes pending review (1 changed item)"


def test_the_article_list_says_when_a_first_publication_is_scheduled_to_go_live(
    clock, reviewer_client
):
    publish_draft(write_draft(), go_live_at=GO_LIVE)

    assert f"{TITLE} Scheduled to go live {status_label(GO_LIVE)}" in admin_article_list(
        reviewer_client
    )


def test_the_article_list_says_when_changes_to_a_published_article_are_scheduled(
    clock, draft, reviewer_client
):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)

    assert f"Published — changes scheduled for {status_label(GO_LIVE)}" in admin_article_list(
        reviewer_client
    )


def test_the_status_reads_published_once_the_scheduled_changes_went_live(clock, draft, visitor):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)

    clock.move_to(GO_LIVE)
    tick()

    assert str(review.status(draft)) == "Published"


def test_a_reviewer_schedules_a_go_live_date_and_time_on_the_review_screen(
    clock, draft, reviewer_client, visitor
):
    edit_answer(draft, NEW_ANSWER)
    review_url = reverse("admin:education_article_review", args=[draft.pk])
    screen = reviewer_client.get(review_url).content.decode()
    assert 'type="datetime-local" name="go_live_at"' in screen
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', screen).group(1)

    response = reviewer_client.post(
        review_url,
        {
            "action": "approve",
            "seen": seen,
            "go_live_at": f"{local(GO_LIVE):%Y-%m-%dT%H:%M}",
            "next_review_due": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    go_live = local(GO_LIVE)
    assert (
        f"Approved. The changes go live on {go_live:%d %B %Y at %H:%M} (within a minute of that "
        "time)." in visible_text(response.content.decode())
    )
    assert Revision.objects.get(published_at__isnull=True).go_live_at == GO_LIVE
    assert_everywhere(visitor, OLD_ANSWER, NEW_ANSWER)


def test_a_scheduled_revision_goes_live_once_when_two_schedulers_tick_at_the_same_moment(
    clock, draft
):
    edit_answer(draft, NEW_ANSWER)
    revision = publish_draft(draft, go_live_at=GO_LIVE)
    clock.move_to(GO_LIVE)

    with mock.patch.object(
        publishing, "publish_revision", wraps=publishing.publish_revision
    ) as publish:
        tick()
        tick()

    assert publish.call_count == 1
    went_live = ReviewEvent.objects.filter(action=ReviewEvent.Action.PUBLISHED)
    assert list(went_live.values_list("revision", flat=True)) == [revision.pk]
    revision.refresh_from_db()
    assert revision.published_at == GO_LIVE


def test_a_process_that_still_sees_the_go_live_as_due_does_not_publish_it_again(
    clock, draft, monkeypatch
):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)
    clock.move_to(GO_LIVE)
    tick()
    # Another process, which looked up the next due time before this one published it.
    monkeypatch.setattr(caching, "remembered_until_content_changes", lambda *args: GO_LIVE)

    with mock.patch.object(publishing, "publish_revision") as publish:
        tick()

    assert publish.call_count == 0
    assert ReviewEvent.objects.filter(action=ReviewEvent.Action.PUBLISHED).count() == 1


def test_publishing_finds_when_a_scheduled_go_live_is_due(clock, draft):
    edit_answer(draft, NEW_ANSWER)
    publish_draft(draft, go_live_at=GO_LIVE)

    assert publishing.next_content_change() == GO_LIVE


def test_publishing_finds_when_an_expiry_is_due(clock, expiring_draft):
    assert publishing.next_content_change() == EXPIRY


# --- expiry ----------------------------------------------------------------------------------


def test_an_expired_article_page_is_not_found_from_its_expiry_minute(
    clock, expiring_draft, visitor
):
    clock.move_to(EXPIRY - MINUTE)
    tick()
    assert OLD_ANSWER in article_page(visitor)  # cached
    assert visitor.get(ARTICLE_API).status_code == 200

    clock.move_to(EXPIRY)
    tick()

    assert visitor.get(ARTICLE_URL).status_code == 404
    assert visitor.get(ARTICLE_API).status_code == 404


def test_the_faqs_of_an_expired_article_leave_the_faq_page_and_api(clock, expiring_draft, visitor):
    clock.move_to(EXPIRY - MINUTE)
    tick()
    assert QUESTION in faq_page(visitor)  # cached
    assert api_questions(visitor) == [QUESTION]

    clock.move_to(EXPIRY)
    tick()

    assert QUESTION not in faq_page(visitor)
    assert api_questions(visitor) == []


def test_the_questions_of_an_expired_article_leave_the_checklist_catalogue(
    clock, expiring_draft, visitor
):
    clock.move_to(EXPIRY - MINUTE)
    tick()
    assert [s.text for s in catalogue_suggestions()] == [PROVIDER_QUESTION]
    assert PROVIDER_QUESTION in visible_text(visitor.get("/questions/").content.decode())

    clock.move_to(EXPIRY)
    tick()

    assert catalogue_suggestions() == []
    assert PROVIDER_QUESTION not in visible_text(visitor.get("/questions/").content.decode())


def test_an_expired_article_leaves_the_sitemap_and_the_home_page(clock, expiring_draft, visitor):
    clock.move_to(EXPIRY - MINUTE)
    tick()
    assert ARTICLE_URL in sitemap(visitor)
    assert TITLE in home_page(visitor)  # cached

    clock.move_to(EXPIRY)
    tick()

    assert ARTICLE_URL not in sitemap(visitor)
    assert TITLE not in home_page(visitor)


def test_an_expired_article_is_listed_on_the_review_due_admin_page(
    clock, expiring_draft, reviewer_client
):
    clock.move_to(EXPIRY - MINUTE)
    tick()
    assert TITLE not in review_due_list(reviewer_client)  # reviewed today, due in a year

    clock.move_to(EXPIRY)
    tick()

    assert f"{TITLE} expired" in review_due_list(reviewer_client), (
        "the Review column should read review.review_state(): 'expired' (ReviewDueAdmin's "
        "list_display 'review_state' resolves to the Article.review_state field instead)"
    )


def test_check_review_dates_lists_an_expired_article(clock, expiring_draft):
    clock.move_to(EXPIRY - MINUTE)
    tick()
    assert TITLE not in check_review_dates()

    clock.move_to(EXPIRY)
    tick()

    assert f"EXPIRED: {TITLE} (" in check_review_dates()


def test_the_article_list_says_an_expired_article_is_not_public(
    clock, expiring_draft, reviewer_client
):
    clock.move_to(EXPIRY)
    tick()

    assert f"{TITLE} Expired {status_label(EXPIRY)} — not public" in admin_article_list(
        reviewer_client
    )


def test_an_expiry_set_on_the_draft_takes_effect_only_once_a_reviewer_publishes_it(
    clock, draft, editor_client, visitor
):
    response = post_admin_change(
        editor_client,
        draft,
        expires_at_0=f"{local(EXPIRY):%Y-%m-%d}",
        expires_at_1=f"{local(EXPIRY):%H:%M:%S}",
    )
    assert response.status_code == 302, "the editor's change was not saved"
    draft.refresh_from_db()
    assert draft.expires_at == EXPIRY
    assert OLD_ANSWER in article_page(visitor)  # cached

    clock.move_to(EXPIRY + MINUTE)
    tick()
    assert OLD_ANSWER in article_page(visitor), "an unpublished expiry removed the article"
    assert [change.title for change in review.pending_changes(draft)] == [
        f"Article changed: {TITLE}"
    ]
    assert Article.objects.get(is_live=True).expires_at is None

    publish_draft(draft)
    assert visitor.get(ARTICLE_URL).status_code == 404


def test_a_side_effect_of_an_expired_article_can_no_longer_be_reported_through_the_api(
    clock, db, patient
):
    draft = ArticleFactory(is_live=False, slug="sleep", expires_at=EXPIRY)
    SideEffectFactory(section=SectionFactory(article=draft), slug="vivid-dreams")
    publish_draft(draft)
    api = APIClient()
    api.force_authenticate(patient)
    report = {"side_effect": "vivid-dreams", "severity": 3}
    assert api.post("/api/v1/journal/side-effects/", report, format="json").status_code == 201

    clock.move_to(EXPIRY)
    tick()

    response = api.post("/api/v1/journal/side-effects/", report, format="json")
    assert response.status_code == 400
    assert "side_effect" in response.json()
