import datetime

import pytest
from django.core.management import call_command

from lib import scheduler

NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def registered(db, monkeypatch):
    """The scheduler's registry with only the jobs a test registers (a tick closes stale
    database connections, hence db)."""
    monkeypatch.setattr(scheduler, "JOBS", {})
    monkeypatch.setattr(scheduler, "discover_jobs", lambda: scheduler.JOBS)
    return scheduler.JOBS


def test_a_tick_runs_every_registered_job_with_the_time(registered):
    seen = []
    scheduler.periodic(lambda *, now: seen.append(now))

    scheduler.run_jobs(now=NOW)

    assert seen == [NOW]


def test_a_failing_job_does_not_stop_the_others(registered, caplog):
    seen = []

    def broken(*, now):
        raise RuntimeError("boom")

    scheduler.periodic(broken)
    scheduler.periodic(lambda *, now: seen.append(now))

    scheduler.run_jobs(now=NOW)

    assert seen == [NOW]


def test_a_failing_job_is_logged(registered, caplog):
    def broken(*, now):
        raise RuntimeError("boom")

    scheduler.periodic(broken)

    scheduler.run_jobs(now=NOW)

    assert "failed; the next tick tries again" in caplog.text


def test_run_scheduler_once_runs_one_tick_and_stops(registered, capsys):
    scheduler.periodic(lambda *, now: "done")

    call_command("run_scheduler", "--once")

    assert "done" in capsys.readouterr().out
