"""Work queued once its rows are committed (lib/tasks.py)."""

import logging

from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from lib.tasks import enqueue_once_committed
from tests.factories import UserFactory

done = []


@task()
def note_done(*, user_id: int) -> None:
    done.append(user_id)


def refuse(*args, **kwargs):
    raise ConnectionError("Redis is out of reach")


def test_a_task_is_queued_only_when_its_transaction_commits(db, django_capture_on_commit_callbacks):
    done.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user = UserFactory()
        enqueue_once_committed(note_done, user_id=user.pk)
        assert done == []

    assert len(callbacks) == 1
    assert done == [user.pk]


def test_a_task_of_a_rolled_back_transaction_is_never_queued(
    db, django_capture_on_commit_callbacks
):
    done.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                enqueue_once_committed(note_done, user_id=1)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert done == []


def test_a_queue_out_of_reach_is_logged_by_task_and_keeps_what_was_saved(
    db, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(ImmediateBackend, "enqueue", refuse)
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        with django_capture_on_commit_callbacks(execute=True):
            user = UserFactory()
            enqueue_once_committed(note_done, user_id=user.pk)

    assert type(user).objects.filter(pk=user.pk).exists()
    assert "enqueue tests.lib.test_tasks.note_done" in caplog.text
