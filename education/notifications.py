"""Editorial e-mails: who hears of each review step, and of a review coming due.

- Submitted for review: every active medical reviewer with an e-mail address.
- Sent back (with the reviewer's comment), approved or scheduled: the editor who submitted the
  changes (the round's last submission); with no submission, whoever changed the draft.
- A published article's next review within 30 days: the reviewers, once ("due on <date>"), then
  once every 7 days while it is overdue. An article never reviewed is overdue from the day it
  went live.

Nobody hears of their own step. Each e-mail names the article, says what happened and links to
the article in the admin; there is never patient data in it. A task sends it once the step's
transaction commits, so a step that is rolled back sends nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext
from django_tasks import task

from lib.mail import portal_url, send_email
from lib.tasks import enqueue_once_committed

from . import publishing, review
from .models import Article, DraftEdit, ReviewDueNotice, ReviewEvent
from .roles import MEDICAL_REVIEWERS

OVERDUE_EVERY = datetime.timedelta(days=7)
Action = ReviewEvent.Action
REVIEWERS_ANSWERS = [Action.SENT_BACK, Action.APPROVED, Action.SCHEDULED]


def reviewers():
    """Active members of "Medical reviewers" with an e-mail address."""
    return get_user_model().objects.filter(
        groups__name=MEDICAL_REVIEWERS, is_active=True, email__gt=""
    )


def editors_to_tell(event: ReviewEvent) -> list[int]:
    """Who submitted the changes this reviewer's step answers: the user of the last submission
    since the article's previous approval or, without one, whoever changed the draft."""
    previous = (
        event.article.review_events.filter(
            pk__lt=event.pk, action__in=[Action.SUBMITTED, Action.APPROVED, Action.SCHEDULED]
        )
        .order_by("-pk")
        .first()
    )
    if previous is not None and previous.action == Action.SUBMITTED and previous.user_id:
        return [previous.user_id]
    return list(DraftEdit.objects.filter(article=event.article).values_list("user", flat=True))


def review_step_taken(event: ReviewEvent) -> None:
    """Called by review.py as it records a step: the people to tell hear of it once the step is
    committed. Call it before the step forgets who changed the draft (an approval does)."""
    if event.action == Action.SUBMITTED:
        to_tell = list(reviewers().values_list("pk", flat=True))
    elif event.action in REVIEWERS_ANSWERS:
        to_tell = editors_to_tell(event)
    else:
        return
    to_tell = sorted(set(to_tell) - {event.user_id})
    if to_tell:
        # a queue out of reach costs the e-mail, not the review step
        enqueue_once_committed(send_review_step_notice, event_id=event.pk, user_ids=to_tell)


@task()
def send_review_step_notice(*, event_id: int, user_ids: list[int]) -> None:
    """One e-mail to those of the users still active with an address when the worker runs."""
    event = ReviewEvent.objects.select_related("article", "revision", "user").get(pk=event_id)
    to = list(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True, email__gt="")
        .values_list("email", flat=True)
    )
    if not to:
        return
    # Staff e-mails are in the site's language, whatever language the step was taken in.
    with translation.override(settings.LANGUAGE_CODE):
        subject, what_happened = step_summary(event)
        send_email(
            to=to,
            subject=subject,
            template="education/emails/review_step",
            context={
                "what_happened": what_happened,
                "comment": event.comment,
                "changes": event.changes,
                "admin_url": _admin_url(event.article),
            },
        )


def step_summary(event: ReviewEvent) -> tuple[str, str]:
    """The e-mail's subject and its first sentence: who did what to which article. A step is
    about the draft in review, so it names the draft's title (sent as the step commits)."""
    names = {"actor": _name(event.user), "title": event.article.title}
    if event.action == Action.SUBMITTED:
        return (
            gettext("Review requested: %(title)s") % names,
            gettext("%(actor)s submitted the changes to \u201c%(title)s\u201d for medical review.")
            % names,
        )
    if event.action == Action.SENT_BACK:
        return (
            gettext("Changes sent back: %(title)s") % names,
            gettext(
                "%(actor)s sent the changes to \u201c%(title)s\u201d back to the editors with "
                "this comment:"
            )
            % names,
        )
    if event.action == Action.APPROVED:
        return (
            gettext("Approved and published: %(title)s") % names,
            gettext("%(actor)s approved the changes to \u201c%(title)s\u201d; they are published.")
            % names,
        )
    go_live = timezone.localtime(event.revision.go_live_at)
    # "05 November 2026 at 14:05" in English.
    when = format_date(go_live, gettext("d F Y \\a\\t H:i"))
    return (
        gettext("Approved, scheduled to go live: %(title)s") % names,
        gettext(
            "%(actor)s approved the changes to \u201c%(title)s\u201d; they go live on %(when)s "
            "(within a minute of that time)."
        )
        % {**names, "when": when},
    )


def reviews_due_noticed(*, now: datetime.datetime) -> int:
    """Records a notice for each published article whose review is due within 30 days or
    overdue, unless one was recorded for it in this period, and queues the new ones; returns
    how many were new. Two schedulers at once record each notice once: the insert that loses
    the race finds the winner's row and queues nothing."""
    today = timezone.localdate(now)
    due = Article.objects.filter(review.review_due_by(today + review.DUE_SOON), is_live=True)
    new = 0
    for live in due.only("draft", "next_review_due", "created"):
        never_reviewed = live.next_review_due is None
        # the live row is made when the article first goes live (and again after unpublishing)
        due_on = timezone.localdate(live.created) if never_reviewed else live.next_review_due
        kind, period = notice_period(due_on=due_on, today=today, never_reviewed=never_reviewed)
        with transaction.atomic():
            notice, created = ReviewDueNotice.objects.get_or_create(
                article_id=live.draft_id,
                kind=kind,
                period=period,
                defaults={"due_on": due_on, "created": now},
            )
            if created:
                enqueue_once_committed(send_review_due_notice, notice_id=notice.pk)
        new += created
    return new


def notice_period(
    *, due_on: datetime.date, today: datetime.date, never_reviewed: bool = False
) -> tuple[str, datetime.date]:
    """The notice a review due on due_on calls for today: "due soon" (once per due date) until
    the day it is due, then "overdue" once per 7 days from the day after. A review never done
    (due_on: the day the article went live) was due before the public read it: "overdue" from
    that very day."""
    if today <= due_on and not never_reviewed:
        return ReviewDueNotice.Kind.DUE_SOON, due_on
    overdue_from = due_on if never_reviewed else due_on + datetime.timedelta(days=1)
    weeks = (today - overdue_from) // OVERDUE_EVERY
    return ReviewDueNotice.Kind.OVERDUE, overdue_from + weeks * OVERDUE_EVERY


@task()
def send_review_due_notice(*, notice_id: int) -> None:
    """Sends a recorded notice unless a run of this task already did (the row lock keeps two
    runs apart)."""
    with transaction.atomic():
        notice = (
            ReviewDueNotice.objects.select_for_update().select_related("article").get(pk=notice_id)
        )
        live = publishing.live_copy(notice.article)
        if notice.sent_at is not None or live is None:
            return  # sent, or no longer published: no review is due
        to = list(reviewers().values_list("email", flat=True))
        if to:
            overdue = notice.kind == ReviewDueNotice.Kind.OVERDUE
            never_reviewed = live.next_review_due is None
            with translation.override(settings.LANGUAGE_CODE):
                # the title readers see, not an unapproved one of the draft
                _send_review_due(to, notice, live.title, overdue, never_reviewed)
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])


def _send_review_due(to, notice, title, overdue, never_reviewed) -> None:
    if overdue:
        subject = gettext("Review overdue: %(title)s") % {"title": title}
    else:
        subject = gettext("Review due soon: %(title)s") % {"title": title}
    send_email(
        to=to,
        subject=subject,
        template="education/emails/review_due",
        context={
            "notice": notice,
            "overdue": overdue,
            "never_reviewed": never_reviewed,
            "title": title,
            "admin_url": _admin_url(notice.article),
        },
        message_key=f"review-due-{notice.pk}",
    )


def _admin_url(article: Article) -> str:
    return portal_url(reverse("admin:education_article_change", args=[article.pk]))


def _name(user) -> str:
    if user is None:
        return gettext("Someone")
    return user.get_full_name() or user.get_username()
