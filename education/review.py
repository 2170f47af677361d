"""Medical review: who may publish, what publishing records, and which articles are due."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from .models import Article, Contributor, Status

REVIEW_INTERVAL = datetime.timedelta(days=365)
DUE_SOON = datetime.timedelta(days=30)
PUBLISH_PERMISSION = "education.publish_article"


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def reviewer_for(user):
    """The Contributor credited for a staff member's reviews (created on their first review)."""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None:
        name = user.get_full_name() or user.get_username()
        contributor = Contributor.objects.create(user=user, name=name)
    return contributor


def publish(article, user, today=None):
    """Publish after medical review, recording the reviewer, today and the next review date."""
    if not can_publish(user):
        raise PermissionError("Only medical reviewers can publish.")
    today = today or timezone.localdate()
    article.status = Status.PUBLISHED
    article.medical_reviewer = reviewer_for(user)
    article.last_reviewed = today
    article.next_review_due = today + REVIEW_INTERVAL
    article.save()


@dataclass
class ReviewDue:
    article: Article
    state: str  # "overdue", "never reviewed" or "due soon"

    @property
    def is_overdue(self):
        return self.state != "due soon"


def due_for_review(today=None):
    """Articles in review or published whose review is overdue, missing, or due within 30 days."""
    today = today or timezone.localdate()
    return (
        Article.objects.exclude(status=Status.DRAFT)
        .filter(Q(next_review_due__isnull=True) | Q(next_review_due__lte=today + DUE_SOON))
        .order_by(F("next_review_due").asc(nulls_first=True), "title")
    )


def review_state(article, today=None):
    today = today or timezone.localdate()
    if article.next_review_due is None:
        return "never reviewed"
    return "overdue" if article.next_review_due < today else "due soon"


def reviews_due(today=None):
    return [ReviewDue(article, review_state(article, today)) for article in due_for_review(today)]
