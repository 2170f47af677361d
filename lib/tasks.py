"""Background work asked for by a request or a scheduler job, queued once its rows are committed."""

import datetime
from typing import Any

from django.db import transaction
from django_tasks.base import Task

# How long a queued task may stay undone before a scheduler job queues it again (the queue
# refused it, or its worker died): the reminders' and the safety alerts' jobs use it.
RETRY_AFTER = datetime.timedelta(minutes=10)


def enqueue_once_committed(task: Task, **kwargs: Any) -> None:
    """Queues task(**kwargs) when the current transaction commits, so a worker never looks for
    a row it can't see yet. A queue out of reach (Redis down) costs the queueing, not what the
    transaction saved: Django logs the failure, and the scheduler jobs look again after
    RETRY_AFTER for work that matters."""

    def enqueue() -> None:
        task.enqueue(**kwargs)

    # Django's log of a failing robust callback names it by its qualified name.
    enqueue.__qualname__ = f"enqueue {task.module_path}"
    transaction.on_commit(enqueue, robust=True)
