"""Medical review: who may do what to an article, and what each step records.

Content editors edit drafts and submit them; medical reviewers (the publish_article permission)
also approve, send back, cancel a scheduled publication and unpublish. The public sees an
article's changes only once a reviewer approves them (publishing.py copies them live).

An article's status, as staff read it:
- never published: "Draft", "In review", "Draft — sent back", "Scheduled to go live ...";
- published: "Published", or with pending changes "Published — changes pending review",
  "Published — changes in review", "Published — changes sent back", "Published — changes
  scheduled for ..."; "Expired" once its expiry date has passed.

Rules kept here: a reviewer never approves changes they made (unless ALLOW_SELF_APPROVAL, for
one-person clinics); a reviewer publishes only with a name and credentials on their
Contributor profile; an approval applies to the exact draft the reviewer was shown.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from lib import caching

from . import notifications, publishing
from .diffs import ItemChange, changes_between
from .models import Article, Contributor, DraftEdit, ReviewEvent, ReviewState, Revision

REVIEW_INTERVAL = datetime.timedelta(days=365)
# The furthest a reviewer may set the next review: patient-information standards (the PIF TICK,
# for one) ask for a review at least every three years, and a page saying "next review due
# 31 December 9999" promises nothing.
LONGEST_REVIEW_INTERVAL = datetime.timedelta(days=3 * 365)
DUE_SOON = datetime.timedelta(days=30)
PUBLISH_PERMISSION = "education.publish_article"
EDIT_PERMISSION = "education.change_article"


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def reviewer_profile(user) -> Contributor:
    """The Contributor credited for the user's reviews: it must give a name and credentials,
    because the article page names the reviewer with them."""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None or not contributor.name.strip() or not contributor.credentials.strip():
        add_url = reverse("admin:education_contributor_add") + f"?user={user.pk}"
        raise ValidationError(
            gettext(
                "Before you publish, add your name and credentials (for example \u201cMD, "
                "psychiatrist\u201d) to your contributor profile: pages say who reviewed them. "
                "Contributors \u203a Add contributor: %(url)s"
            )
            % {"url": add_url},
            code="no_credentials",
        )
    return contributor


def pending_changes(article: Article, draft: dict | None = None) -> list[ItemChange]:
    """Every difference between what the public reads and the draft (its snapshot, if the
    caller has taken it already)."""
    draft = draft or publishing.snapshot(article)
    return changes_between(publishing.live_snapshot(article), draft)


def scheduled_revision(article: Article) -> Revision | None:
    return article.revisions.filter(published_at__isnull=True, cancelled_at__isnull=True).first()


def last_sent_back(article: Article) -> ReviewEvent | None:
    if article.review_state != ReviewState.SENT_BACK:
        return None
    return article.review_events.filter(action=ReviewEvent.Action.SENT_BACK).first()


def changed_by(article: Article, user) -> bool:
    return DraftEdit.objects.filter(article=article, user=user).exists()


@dataclass
class PublicationStatus:
    label: str
    changed_items: int
    is_live: bool
    scheduled: Revision | None
    sent_back: ReviewEvent | None

    def __str__(self):
        return self.label


def _when(moment) -> str:
    # "30 Nov 2026, 14:05" in English, in the active language's words otherwise.
    return date_format(timezone.localtime(moment), gettext("d M Y, H:i"))


def status(
    article: Article, now=None, changes: list[ItemChange] | None = None
) -> PublicationStatus:
    """The article's status in the words of the module docstring (changes: its pending
    changes, if the caller has them already)."""
    now = now or timezone.now()
    live = publishing.live_copy(article)
    if live is None:
        changed = 0
    else:
        changed = len(pending_changes(article) if changes is None else changes)
    scheduled = scheduled_revision(article)
    sent_back = last_sent_back(article)
    state = article.review_state
    if live is None:
        if scheduled:
            label = gettext("Scheduled to go live %(when)s") % {"when": _when(scheduled.go_live_at)}
        else:
            label = {
                ReviewState.IN_REVIEW: gettext("In review"),
                ReviewState.SENT_BACK: gettext("Draft — sent back"),
            }.get(state, gettext("Draft"))
        label += _edits_after_scheduling(article, scheduled)
        return PublicationStatus(label, changed, False, scheduled, sent_back)
    if live.expires_at and live.expires_at <= now:
        label = gettext("Expired %(when)s — not public") % {"when": _when(live.expires_at)}
    elif scheduled:
        label = gettext("Published — changes scheduled for %(when)s") % {
            "when": _when(scheduled.go_live_at)
        }
    elif not changed:
        label = gettext("Published")
    else:
        label = {
            ReviewState.IN_REVIEW: gettext("Published — changes in review"),
            ReviewState.SENT_BACK: gettext("Published — changes sent back"),
        }.get(state, gettext("Published — changes pending review"))
    if changed:
        label += " " + ngettext(
            "(%(count)s changed item)", "(%(count)s changed items)", changed
        ) % {"count": changed}
    label += _edits_after_scheduling(article, scheduled)
    return PublicationStatus(label, changed, True, scheduled, sent_back)


def _edits_after_scheduling(article: Article, scheduled: Revision | None) -> str:
    """What the status adds when the draft changed after its scheduled approval: those edits are
    not in the approved revision, and go live only with an approval of their own."""
    if scheduled is None:
        return ""
    if publishing.fingerprint(publishing.snapshot(article)) == publishing.fingerprint(
        scheduled.content
    ):
        return ""
    return " " + gettext(
        "— edited since the approval: those edits are not scheduled and wait for review"
    )


def _set_state(article: Article, state: str) -> None:
    """A workflow step is not an edit of the draft: no history record, no author."""
    Article.objects.filter(pk=article.pk).update(review_state=state)
    article.review_state = state


@transaction.atomic
def submit_for_review(*, article: Article, user) -> None:
    """The reviewers hear of it (notifications.py)."""
    if not user.has_perm(EDIT_PERMISSION):
        raise PermissionDenied(
            gettext("Only content editors and medical reviewers submit for review.")
        )
    if publishing.live_copy(article) and not pending_changes(article):
        raise ValidationError(
            gettext(
                "\u201c%(article)s\u201d has no changes to review: the draft is what the public "
                "reads."
            )
            % {"article": article}
        )
    _set_state(article, ReviewState.IN_REVIEW)
    event = ReviewEvent.objects.create(
        article=article, action=ReviewEvent.Action.SUBMITTED, user=user
    )
    notifications.review_step_taken(event)


@transaction.atomic
def send_back(*, article: Article, user, comment: str, changes: list[str] = ()) -> ReviewEvent:
    """Return the changes to the editors with a comment they see on the article, and e-mail
    them (notifications.py)."""
    if not can_publish(user):
        raise PermissionDenied(gettext("Only medical reviewers send changes back."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": gettext("Say what needs to change: the editors see this comment.")}
        )
    _set_state(article, ReviewState.SENT_BACK)
    event = ReviewEvent.objects.create(
        article=article,
        action=ReviewEvent.Action.SENT_BACK,
        user=user,
        comment=comment,
        changes=list(changes),
    )
    notifications.review_step_taken(event)
    return event


def check_next_review_due(*, due: datetime.date, today: datetime.date) -> None:
    """Refuses a next review date that has passed or lies beyond LONGEST_REVIEW_INTERVAL."""
    if due <= today:
        raise ValidationError(gettext("Choose a date after today."), code="past")
    if due > today + LONGEST_REVIEW_INTERVAL:
        raise ValidationError(
            gettext(
                "Choose a date within three years: the content is reviewed at least that often."
            ),
            code="too_far",
        )


@transaction.atomic
def approve(
    *,
    article: Article,
    user,
    seen: str,
    go_live_at: datetime.datetime | None = None,
    next_review_due: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Revision:
    """Approve the draft the reviewer was shown (seen: its fingerprint), to go live now or at
    go_live_at. Records the reviewer, today and the next review due, and e-mails the editor
    (notifications.py)."""
    now = now or timezone.now()
    if not can_publish(user):
        raise PermissionDenied(gettext("Only medical reviewers approve and publish."))
    reviewer = reviewer_profile(user)
    Article.objects.select_for_update().filter(pk=article.pk).first()  # one approval at a time
    if changed_by(article, user) and not settings.ALLOW_SELF_APPROVAL:
        raise ValidationError(
            gettext(
                "You changed this article since it was last published, so another medical "
                "reviewer must approve it."
            ),
            code="own_changes",
        )
    content = publishing.snapshot(article)
    if publishing.fingerprint(content) != seen:
        raise ValidationError(
            gettext(
                "The draft changed while you were reviewing it. Read the changes again, then "
                "approve."
            ),
            code="stale",
        )
    publishing.check_addresses_are_free(article, content)
    publishing.check_evidence_is_sourced(content)
    today = timezone.localdate(now)
    revision = Revision.objects.create(
        article=article,
        content=content,
        approved_by=user,
        reviewer=reviewer,
        approved_at=now,
        go_live_at=max(go_live_at or now, now),
        next_review_due=next_review_due or today + REVIEW_INTERVAL,
    )
    article.revisions.filter(published_at__isnull=True, cancelled_at__isnull=True).exclude(
        pk=revision.pk
    ).update(cancelled_at=now)
    _set_state(article, ReviewState.EDITING)
    if revision.go_live_at <= now:
        publishing.publish_revision(revision, now=now)
        action = ReviewEvent.Action.APPROVED
    else:
        caching.content_changed()  # the scheduler looks up the next go-live again
        action = ReviewEvent.Action.SCHEDULED
    event = ReviewEvent.objects.create(
        article=article, action=action, user=user, revision=revision, created=now
    )
    notifications.review_step_taken(event)
    DraftEdit.objects.filter(article=article, edited_at__lte=now).delete()
    return revision


def cancel_schedule(*, article: Article, user) -> None:
    if not can_publish(user):
        raise PermissionDenied(gettext("Only medical reviewers cancel a scheduled publication."))
    revision = scheduled_revision(article)
    if revision is None:
        raise ValidationError(gettext("Nothing is scheduled for this article."))
    Revision.objects.filter(pk=revision.pk).update(cancelled_at=timezone.now())
    caching.content_changed()
    ReviewEvent.objects.create(
        article=article, action=ReviewEvent.Action.SCHEDULE_CANCELLED, user=user, revision=revision
    )


@transaction.atomic
def unpublish(*, article: Article, user) -> None:
    """Take the article out of public view now; its draft stays for the editors."""
    if not can_publish(user):
        raise PermissionDenied(gettext("Only medical reviewers unpublish."))
    if publishing.live_copy(article) is None:
        raise ValidationError(
            gettext("\u201c%(article)s\u201d is not published.") % {"article": article}
        )
    article.revisions.filter(published_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )
    publishing.unpublish(article)
    ReviewEvent.objects.create(article=article, action=ReviewEvent.Action.UNPUBLISHED, user=user)


@transaction.atomic
def import_unreviewed(*, article: Article) -> None:
    """The seed loader's first load: published as imported, named as not medically reviewed."""
    now = timezone.now()
    revision = Revision.objects.create(
        article=article,
        content=publishing.snapshot(article),
        approved_at=now,
        go_live_at=now,
    )
    publishing.publish_revision(revision, now=now)
    ReviewEvent.objects.create(
        article=article, action=ReviewEvent.Action.IMPORTED, revision=revision, created=now
    )


@dataclass
class ReviewDue:
    article: Article
    state: str  # "expired", "overdue", "never reviewed" or "due soon"

    @property
    def is_overdue(self):
        return self.state != "due soon"


def review_due_by(day: datetime.date) -> Q:
    """Articles whose review is due on or before day: a review never done is due already."""
    return Q(next_review_due__isnull=True) | Q(next_review_due__lte=day)


def due_for_review(today=None, now=None):
    """Published articles whose review is overdue, missing or due within 30 days, and those
    whose expiry date has passed."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    return (
        Article.objects.filter(is_live=True)
        .filter(review_due_by(today + DUE_SOON) | Q(expires_at__lte=now))
        .order_by(F("next_review_due").asc(nulls_first=True), "title")
    )


def review_state(article, today=None, now=None):
    today = today or timezone.localdate()
    now = now or timezone.now()
    if article.expires_at and article.expires_at <= now:
        return "expired"
    if article.next_review_due is None:
        return "never reviewed"
    return "overdue" if article.next_review_due < today else "due soon"


def reviews_due(today=None):
    return [ReviewDue(article, review_state(article, today)) for article in due_for_review(today)]
