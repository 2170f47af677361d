"""education's periodic jobs: the scheduler (lib/scheduler.py) runs each on every tick."""

from lib.scheduler import periodic

from . import notifications, publishing


@periodic
def publish_due_content(*, now):
    """Scheduled approvals go live, and expired articles leave, within a tick of their time."""
    return publishing.publish_due_content(now=now)


@periodic
def notify_reviews_due(*, now):
    """Reviewers hear of a review due within 30 days once, and every 7 days while overdue."""
    return notifications.reviews_due_noticed(now=now)
