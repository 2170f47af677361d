"""The journal's background work: the scheduler's job that finds due reminders, and the task that
sends one (the rules are in journal/reminders.py)."""

import datetime
import functools

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from lib.scheduler import periodic

from . import reminders


@task()
def send_reminder(*, delivery_id: int) -> bool:
    """Sends one recorded reminder, at most once however often it is queued."""
    return reminders.deliver(delivery_id=delivery_id, now=timezone.now())


def enqueue_on_commit(delivery_ids: list[int]) -> None:
    """Queued only once the rows are committed, so a worker never looks for a row it can't see."""
    for delivery_id in delivery_ids:
        transaction.on_commit(functools.partial(send_reminder.enqueue, delivery_id=delivery_id))


@periodic
def find_due_reminders(*, now: datetime.datetime) -> str:
    """Records the deliveries due by now, a page of reminders per transaction, queues the new
    ones, and queues again those a worker left unsent. Safe to run twice at once."""
    recorded = 0
    for page in reminders.due_pages(now=now):
        with transaction.atomic():
            delivery_ids = reminders.record_due(reminders=page, now=now)
            enqueue_on_commit(delivery_ids)
        recorded += len(delivery_ids)
    with transaction.atomic():
        retried = reminders.deliveries_to_retry(now=now)
        enqueue_on_commit(retried)
    return f"{recorded} reminders queued, {len(retried)} queued again"
