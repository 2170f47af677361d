"""Editorial e-mails (issue 17, point 4): each review step tells the people who act next, and
the reviewers hear of a review coming due. Steps and jobs run inside
django_capture_on_commit_callbacks(execute=True), as a committed request or tick would."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from education import notifications, review, tasks
from education.models import DraftEdit, ReviewDueNotice
from lib import scheduler
from lib.mail import portal_url
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    FAQFactory,
    ReviewerFactory,
    SectionFactory,
    publish_draft,
)

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
TITLE = "Infusion day"
COMMENT = "Please cite the dosing source."


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a step and then what waits for its commit (the tasks), returning the e-mails sent."""

    def run(step, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            step(**kwargs)
        return mail.outbox

    return run


@pytest.fixture
def draft(db):
    """A draft article with a pending change (never published)."""
    article = ArticleFactory(is_live=False, title=TITLE)
    FAQFactory(section=SectionFactory(article=article))
    return article


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@clinic.example")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(email="reviewer@clinic.example")


def admin_link(article):
    return portal_url(reverse("admin:education_article_change", args=[article.pk]))


def html_part(message):
    return message.alternatives[0][0]


def approve(draft, reviewer, **approval):
    return publish_draft(draft, reviewer=reviewer, **approval)


def rename(draft, title):
    draft.title = title
    draft.save()


# --- submitted for review --------------------------------------------------------------------


def test_a_submission_is_e_mailed_to_every_medical_reviewer_with_an_address(
    committed, draft, editor, reviewer
):
    other = ReviewerFactory(email="second@clinic.example")
    ReviewerFactory(email="")

    sent = committed(review.submit_for_review, article=draft, user=editor)

    assert [sorted(message.to) for message in sent] == [sorted([reviewer.email, other.email])]


def test_a_submission_is_not_e_mailed_to_an_inactive_reviewer(committed, draft, editor):
    ReviewerFactory(email="left@clinic.example", is_active=False)

    assert committed(review.submit_for_review, article=draft, user=editor) == []


def test_a_reviewer_who_submits_is_not_e_mailed_about_their_own_submission(
    committed, draft, reviewer
):
    other = ReviewerFactory(email="second@clinic.example")

    sent = committed(review.submit_for_review, article=draft, user=reviewer)

    assert [message.to for message in sent] == [[other.email]]


def test_the_submission_e_mail_names_the_article_and_what_happened(
    committed, draft, editor, reviewer
):
    (message,) = committed(review.submit_for_review, article=draft, user=editor)

    assert message.subject == f"Review requested: {TITLE}"
    assert f"{editor.username} submitted the changes to \u201c{TITLE}\u201d" in message.body


def test_the_submission_e_mail_links_to_the_article_in_the_admin_in_both_parts(
    committed, draft, editor, reviewer
):
    (message,) = committed(review.submit_for_review, article=draft, user=editor)

    assert admin_link(draft) in message.body
    assert f'href="{admin_link(draft)}"' in html_part(message)


def test_nothing_is_sent_when_the_submission_is_rolled_back(
    django_capture_on_commit_callbacks, draft, editor, reviewer
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            review.submit_for_review(article=draft, user=editor)
            raise RuntimeError("a later part of the step failed")

    assert mail.outbox == []


# --- sent back, approved, scheduled ----------------------------------------------------------


@pytest.fixture
def submitted(committed, draft, editor, reviewer):
    """The editor submitted the draft; the reviewers' e-mail is left out of the outbox."""
    committed(review.submit_for_review, article=draft, user=editor)
    mail.outbox.clear()
    return draft


def test_a_sent_back_e_mail_goes_to_the_editor_who_submitted(committed, submitted, reviewer):
    sent = committed(review.send_back, article=submitted, user=reviewer, comment=COMMENT)

    assert [message.to for message in sent] == [["editor@clinic.example"]]


def test_a_sent_back_e_mail_carries_the_reviewers_comment(committed, submitted, reviewer):
    (message,) = committed(review.send_back, article=submitted, user=reviewer, comment=COMMENT)

    assert COMMENT in message.body
    assert COMMENT in html_part(message)


def test_an_approval_is_e_mailed_to_the_editor_who_submitted(committed, submitted, reviewer):
    (message,) = committed(approve, draft=submitted, reviewer=reviewer)

    assert message.to == ["editor@clinic.example"]
    assert message.subject == f"Approved and published: {TITLE}"


def test_a_scheduled_approval_e_mail_says_when_the_changes_go_live(
    clock, committed, submitted, reviewer
):
    go_live = START + 2 * DAY

    (message,) = committed(approve, draft=submitted, reviewer=reviewer, go_live_at=go_live)

    assert f"they go live on {timezone.localtime(go_live):%d %B %Y at %H:%M}" in message.body


def test_a_sent_back_e_mail_names_the_draft_in_review(committed, submitted, reviewer):
    rename(submitted, "A title in review")

    (message,) = committed(review.send_back, article=submitted, user=reviewer, comment=COMMENT)

    assert message.subject == "Changes sent back: A title in review"


def test_a_reviewer_who_submitted_is_not_e_mailed_about_their_own_sending_back(
    committed, draft, reviewer
):
    committed(review.submit_for_review, article=draft, user=reviewer)
    mail.outbox.clear()

    assert committed(review.send_back, article=draft, user=reviewer, comment=COMMENT) == []


def test_without_a_submission_an_approval_is_e_mailed_to_the_editors_who_changed_the_draft(
    committed, draft, editor, reviewer
):
    DraftEdit.objects.create(article=draft, user=editor, edited_at=timezone.now())

    sent = committed(approve, draft=draft, reviewer=reviewer)

    assert [message.to for message in sent] == [[editor.email]]


def test_an_approval_answers_only_the_submission_made_since_the_last_approval(
    committed, submitted, reviewer
):
    committed(approve, draft=submitted, reviewer=reviewer)
    mail.outbox.clear()

    assert committed(approve, draft=submitted, reviewer=ReviewerFactory()) == []


# --- review due ------------------------------------------------------------------------------


@pytest.fixture
def due_in(db, clock):
    """Publishes an article whose next review is due the given number of days from today."""

    def publish(days):
        article = ArticleFactory(is_live=False, title=TITLE)
        publish_draft(article, next_review_due=timezone.localdate() + days * DAY)
        return article

    return publish


@pytest.fixture
def tick(committed):
    """One scheduler tick of the review-due job at the frozen time; the e-mails sent so far."""
    return lambda: committed(tasks.notify_reviews_due, now=timezone.now())


def test_the_scheduler_runs_the_review_due_job_on_every_tick():
    assert scheduler.discover_jobs()["education.tasks.notify_reviews_due"] is (
        tasks.notify_reviews_due
    )


def test_a_review_due_within_30_days_is_e_mailed_to_the_reviewers(due_in, reviewer, tick):
    due_in(30)

    assert [message.to for message in tick()] == [[reviewer.email]]


def test_the_review_due_e_mail_says_the_due_date_and_links_to_the_article(due_in, reviewer, tick):
    article = due_in(30)

    (message,) = tick()

    due = timezone.localdate() + 30 * DAY
    assert f"is due on {due.day} {due:%B %Y}" in message.body
    assert admin_link(article) in message.body


def test_a_review_due_in_31_days_is_not_e_mailed_yet(due_in, reviewer, tick):
    due_in(31)

    assert tick() == []


def test_a_review_due_soon_is_e_mailed_only_once(clock, due_in, reviewer, tick):
    due_in(20)
    tick()

    clock.move_to(START + 19 * DAY)

    assert len(tick()) == 1


def test_two_ticks_at_the_same_moment_send_one_review_due_e_mail(due_in, reviewer, tick):
    due_in(10)

    tick()

    assert len(tick()) == 1
    assert ReviewDueNotice.objects.count() == 1


def test_an_overdue_review_is_e_mailed_the_day_after_its_due_date(clock, due_in, reviewer, tick):
    due_in(0)
    tick()  # due today: "due soon"

    clock.move_to(START + DAY)

    assert tick()[-1].subject == f"Review overdue: {TITLE}"


def test_an_overdue_review_is_not_e_mailed_again_within_7_days(clock, due_in, reviewer, tick):
    due_in(-1)
    tick()

    clock.move_to(START + 6 * DAY)

    assert len(tick()) == 1


def test_an_overdue_review_is_e_mailed_again_after_7_days(clock, due_in, reviewer, tick):
    due_in(-1)
    tick()

    clock.move_to(START + 7 * DAY)

    assert len(tick()) == 2


@pytest.fixture
def never_reviewed(db, clock):
    """Publishes an article without a medical review, as the seed loader does, today."""
    article = ArticleFactory(is_live=False, title=TITLE)
    review.import_unreviewed(article=article)
    return article


def test_an_article_never_reviewed_is_e_mailed_as_overdue_the_day_it_went_live(
    never_reviewed, reviewer, tick
):
    (message,) = tick()

    assert message.subject == f"Review overdue: {TITLE}"


def test_the_overdue_e_mail_of_an_article_never_reviewed_says_since_when_it_is_public(
    never_reviewed, reviewer, tick
):
    (message,) = tick()

    today = timezone.localdate()
    expected = (
        f"has never been medically reviewed: it has been public since {today.day} {today:%B %Y}"
    )
    assert expected in message.body
    assert expected in html_part(message)


def test_an_article_never_reviewed_is_not_e_mailed_again_within_7_days(
    clock, never_reviewed, reviewer, tick
):
    tick()

    clock.move_to(START + 6 * DAY)

    assert len(tick()) == 1


def test_an_article_never_reviewed_is_e_mailed_again_after_7_days(
    clock, never_reviewed, reviewer, tick
):
    tick()

    clock.move_to(START + 7 * DAY)

    assert len(tick()) == 2


def test_a_review_due_e_mail_names_the_published_title_not_an_unapproved_one(
    due_in, reviewer, tick
):
    rename(due_in(10), "An unapproved title")

    (message,) = tick()

    assert message.subject == f"Review due soon: {TITLE}"


def test_a_review_due_notice_of_an_article_unpublished_before_sending_is_not_sent(
    django_capture_on_commit_callbacks, due_in, reviewer
):
    article = due_in(10)
    with django_capture_on_commit_callbacks() as waiting:
        notifications.reviews_due_noticed(now=timezone.now())
    review.unpublish(article=article, user=reviewer)

    for callback in waiting:
        callback()

    assert mail.outbox == []


def test_a_review_due_notice_already_sent_is_not_sent_again_by_a_second_run_of_its_task(
    due_in, reviewer, tick
):
    due_in(10)
    tick()

    notifications.send_review_due_notice.enqueue(notice_id=ReviewDueNotice.objects.get().pk)

    assert len(mail.outbox) == 1
