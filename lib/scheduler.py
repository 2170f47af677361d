"""The scheduler: every SCHEDULER_SECONDS it runs each app's periodic jobs, which find the work
that is due and hand it to the task queue (Django's Tasks API, see settings.TASKS).

Each app lists its jobs in its `tasks.py` with `@periodic`; `run_scheduler` finds them with
Django's `autodiscover_modules`, so this module imports neither app.

A job must be safe to run twice at once (two schedulers, or one restarted in the middle of a
run): it records each piece of due work under a uniqueness rule in the database before it
enqueues it, and the task that does the work checks that record, so the work is done at most
once however often it is found (journal.reminders, education.notifications).
"""

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

Job = Callable[..., object]  # called with now=<aware datetime>
JOBS: dict[str, Job] = {}


def periodic(job: Job) -> Job:
    """Registers a job the scheduler runs on every tick: job(now=...)."""
    JOBS[f"{job.__module__}.{job.__qualname__}"] = job
    return job


def discover_jobs() -> dict[str, Job]:
    autodiscover_modules("tasks")
    return JOBS


def run_jobs(*, now: datetime | None = None) -> dict[str, object]:
    """One tick: every job once, in the order registered. A job that fails is logged and the
    others still run; the next tick finds its work again."""
    now = now or timezone.now()
    answers = {}
    for name, job in discover_jobs().items():
        try:
            answers[name] = job(now=now)
        except Exception:
            logger.exception("Scheduled job %s failed; the next tick tries again.", name)
        finally:
            close_old_connections()
    return answers


def run_forever(*, seconds: float | None = None) -> None:
    """Ticks until SIGTERM or SIGINT; a tick under way is finished first."""
    seconds = seconds or settings.SCHEDULER_SECONDS
    stopping = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stopping.set())
    logger.info("Scheduler started: %d jobs every %g s.", len(discover_jobs()), seconds)
    while not stopping.is_set():
        run_jobs()
        stopping.wait(seconds)
