"""education's periodic jobs: the scheduler (lib/scheduler.py) runs each on every tick."""

from lib.scheduler import periodic

from . import publishing


@periodic
def publish_due_content(*, now):
    """Scheduled approvals go live, and expired articles leave, within a tick of their time."""
    return publishing.publish_due_content(now=now)
