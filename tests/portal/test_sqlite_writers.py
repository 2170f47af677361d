"""`make run`'s processes share one SQLite file (settings.SQLITE_OPTIONS): two requests that each
read and then write in one transaction both succeed, one after the other, instead of one failing
with "database is locked"."""

import threading
import time

from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def sqlite_connection(path, options):
    return DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "TEST": {},
        }
    )


def read_then_write(path, options, both_connected, failures):
    """What a request's atomic() does on SQLite: begin, read, and a moment later write."""
    connection = sqlite_connection(path, options)
    try:
        connection.ensure_connection()
        both_connected.wait(timeout=5)
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM notes")
            time.sleep(0.2)
            cursor.execute("INSERT INTO notes (text) VALUES ('x')")
        connection.commit()
    except Exception as error:  # noqa: BLE001 - the failure is what the test looks at
        failures.append(error)
    finally:
        connection.close()


def writers_failing(path, options):
    setup = sqlite_connection(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE notes (text TEXT)")
    setup.close()
    both_connected, failures = threading.Barrier(2), []
    threads = [
        threading.Thread(target=read_then_write, args=(path, options, both_connected, failures))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_two_writers_that_read_first_both_succeed(tmp_path, django_db_blocker):
    django_db_blocker.unblock()
    try:
        assert writers_failing(tmp_path / "portal.sqlite3", settings.SQLITE_OPTIONS) == []
    finally:
        django_db_blocker.restore()
