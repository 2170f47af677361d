"""What the portal asks of its database connection, proved on the database itself."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def prepared_statements_reading(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{table}%"]
        )
        return cursor.fetchone()[0]


def test_a_query_run_again_and_again_is_prepared_on_postgresql(db):
    for _ in range(6):
        Session.objects.filter(session_key="no-such-session").exists()

    assert prepared_statements_reading(Session._meta.db_table) == 1
