"""The task queue for real, as production runs it: scheduler and worker processes against
PostgreSQL (the database queue, django-tasks-db) and against Redis (RQ, django-tasks-rq). Two
schedulers find the same due reminder at once, and one e-mail goes out.

The processes must share the test's database, which an in-memory SQLite can't: these tests run
in the PostgreSQL run of the suite (`.ci/run`'s second half). Without a Redis on 127.0.0.1 the
RQ test is skipped, except in CI, where it fails.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from journal.models import AccountPreferences, Reminder, ReminderDelivery, ReminderKind
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the real workers run in the PostgreSQL run"
    ),
    pytest.mark.django_db(transaction=True),
]

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def due_check_in_reminder():
    """A patient's daily check-in reminder (UTC, no quiet hours), due a minute ago, the day not
    logged yet."""
    patient = UserFactory(email="patient@example.org")
    AccountPreferences.objects.create(
        user=patient, time_zone="UTC", quiet_start=None, quiet_end=None
    )
    due = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=1)
    return Reminder.objects.create(
        user=patient,
        kind=ReminderKind.CHECK_IN,
        enabled=True,
        enabled_at=due - datetime.timedelta(days=1),
        time_of_day=due.time(),
        next_due_at=due,
    )


@pytest.fixture
def redis_queue():
    """An empty Redis database for RQ's queue."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    yield REDIS_URL
    client.flushdb()


def process_environment(outbox: Path, redis_url: str) -> dict:
    """The test's own PostgreSQL database, the queue named by redis_url (empty: the database),
    and each e-mail written as a file into outbox."""
    database = connection.settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": (
            f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "EMAIL_FILE_PATH": str(outbox),
    }


def run_two_schedulers_then_a_worker(environment: dict) -> None:
    command = [sys.executable, "manage.py"]
    schedulers = [
        subprocess.Popen(
            [*command, "run_scheduler", "--once"], cwd=settings.BASE_DIR, env=environment
        )
        for _ in range(2)
    ]
    assert [scheduler.wait(timeout=120) for scheduler in schedulers] == [0, 0]
    worker = subprocess.run(
        [*command, "run_worker", "--burst"], cwd=settings.BASE_DIR, env=environment, timeout=120
    )
    assert worker.returncode == 0


def sent_subjects(outbox: Path) -> list[str]:
    return [
        line
        for path in outbox.iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("Subject:")
    ]


def test_a_database_queue_worker_sends_a_reminder_once_although_two_schedulers_ran(
    due_check_in_reminder, tmp_path
):
    run_two_schedulers_then_a_worker(process_environment(tmp_path, redis_url=""))

    assert len(sent_subjects(tmp_path)) == 1


def test_an_rq_worker_sends_a_reminder_once_although_two_schedulers_ran(
    due_check_in_reminder, redis_queue, tmp_path
):
    run_two_schedulers_then_a_worker(process_environment(tmp_path, redis_url=redis_queue))

    assert len(sent_subjects(tmp_path)) == 1


def test_the_delivery_is_recorded_as_sent_by_the_worker(due_check_in_reminder, tmp_path):
    run_two_schedulers_then_a_worker(process_environment(tmp_path, redis_url=""))

    assert ReminderDelivery.objects.get().sent_at is not None
