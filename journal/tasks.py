"""The journal's background work: the scheduler's job that finds due reminders, and the task that
sends one (the rules are in journal/reminders.py); and the job that queues again the safety
alerts whose e-mail never went (journal/care/alerts.py)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from lib.scheduler import periodic
from lib.tasks import enqueue_once_committed

from . import reminders
from .care import alerts


@task()
def send_reminder(*, delivery_id: int) -> bool:
    """Sends one recorded reminder, at most once however often it is queued."""
    return reminders.deliver(delivery_id=delivery_id, now=timezone.now())


@periodic
def find_due_reminders(*, now: datetime.datetime) -> str:
    """Records the deliveries due by now, a page of reminders per transaction, queues the new
    ones, and queues again those a worker left unsent. Safe to run twice at once."""
    recorded = 0
    for page in reminders.due_pages(now=now):
        with transaction.atomic():
            delivery_ids = reminders.record_due(reminders=page, now=now)
            for delivery_id in delivery_ids:
                enqueue_once_committed(send_reminder, delivery_id=delivery_id)
        recorded += len(delivery_ids)
    with transaction.atomic():
        retried = reminders.deliveries_to_retry(now=now)
        for delivery_id in retried:
            enqueue_once_committed(send_reminder, delivery_id=delivery_id)
    return f"{recorded} reminders queued, {len(retried)} queued again"


@periodic
def queue_unsent_alerts(*, now: datetime.datetime) -> str:
    """Queues again the safety alerts whose e-mail is still unsent after a while (the queue was
    out of reach when they were raised, or a worker died): sending checks the alert under a row
    lock, so an e-mail queued twice goes once."""
    alert_ids = alerts.unsent_alerts(now=now)
    with transaction.atomic():
        for alert_id in alert_ids:
            alerts.queue_alert_email(alert_id=alert_id)
    return f"{len(alert_ids)} safety alert e-mails queued again"
