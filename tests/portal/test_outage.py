"""While PostgreSQL is down, every request gets a clear 503 with Retry-After, never a 500.

The database is made unreachable by making every connection attempt fail, as it does while
PostgreSQL is stopped or restarting; Django then calls the portal's handler500.
"""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path
from django.utils import timezone
from rest_framework.authtoken.models import Token

from journal.models import JournalEntry, JournalRevision
from portal import urls as portal_urls
from portal.views import database_unavailable
from tests.factories import JournalEntryFactory
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

ENTRIES_URL = "/api/v1/journal/entries/"


@pytest.fixture(autouse=True)
def production_error_pages(settings):
    settings.DEBUG = False  # handler500 is only used without DEBUG


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


@pytest.fixture
def token_client(patient):
    key = Token.objects.create(user=patient).key
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")


def database_down():
    """Every new query fails to reach the database, as while PostgreSQL is stopped."""
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("connection refused: is the server running?"),
    )


def failing_bookkeeping():
    """The journal revision UPDATE that follows every write loses the database."""
    return mock.patch.object(
        JournalRevision, "move", side_effect=OperationalError("server closed the connection")
    )


def today():
    return timezone.localdate().isoformat()


# Pages


def test_a_page_answers_503_while_the_database_is_unreachable(browser):
    with database_down():
        response = browser.get("/faq/")
    assert response.status_code == 503


def test_a_page_answered_503_says_when_to_retry_in_retry_after(browser):
    with database_down():
        response = browser.get("/faq/")
    assert int(response["Retry-After"]) > 0


def test_the_503_page_tells_the_reader_the_portal_is_briefly_unavailable(browser):
    with database_down():
        response = browser.get("/faq/")
    text = visible_text(response.content.decode())
    assert "The portal is briefly unavailable" in text
    assert f"try again in {response['Retry-After']} seconds" in text


def test_the_503_page_uses_the_sites_look(browser):
    with database_down():
        response = browser.get("/faq/")
    assert "Clinic patient portal" in response.content.decode()


def test_a_logged_in_patients_page_answers_503_while_the_database_is_unreachable(browser, patient):
    browser.force_login(patient)
    with database_down():
        response = browser.get("/journal/")
    assert response.status_code == 503


def test_the_503_answer_is_never_cached(browser):
    with database_down():
        response = browser.get("/faq/")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


# The API


def test_an_api_request_answers_503_while_the_database_is_unreachable(token_client):
    with database_down():
        response = token_client.get(ENTRIES_URL)
    assert response.status_code == 503


def test_an_api_503_is_json_with_a_detail_that_says_when_to_retry(token_client):
    with database_down():
        response = token_client.get(ENTRIES_URL)
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert "briefly unavailable" in detail
    assert f"retry in {response['Retry-After']} seconds" in detail


def test_a_public_api_request_answers_503_while_the_database_is_unreachable(browser):
    with database_down():
        response = browser.get("/api/v1/faqs/")
    assert response.status_code == 503
    assert "detail" in response.json()


def test_an_api_write_answers_503_while_the_database_is_unreachable(token_client):
    with database_down():
        response = token_client.post(
            ENTRIES_URL, {"date": today(), "focus": 5}, content_type="application/json"
        )
    assert response.status_code == 503


# Other errors


def boom(request):
    raise RuntimeError("boom")


# The portal's URLs and error handlers, plus a page and an API route that fail with a bug.
urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
]
urlpatterns += portal_urls.urlpatterns
handler500 = portal_urls.handler500


@pytest.fixture
def failing_views(settings):
    settings.ROOT_URLCONF = __name__


def test_another_error_on_a_page_still_answers_the_500_page(browser, failing_views):
    response = browser.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in visible_text(response.content.decode())


def test_another_error_on_the_api_still_answers_500(browser, failing_views):
    assert browser.get("/api/boom/").status_code == 500


def test_a_500_answer_has_no_retry_after(browser, failing_views):
    assert "Retry-After" not in browser.get("/boom/")


def test_an_error_raised_from_a_lost_connection_counts_as_the_database_unavailable():
    try:
        try:
            raise InterfaceError("connection already closed")
        except InterfaceError as lost:
            raise RuntimeError("could not load the page") from lost
    except RuntimeError as error:
        assert database_unavailable(error)


def test_an_error_with_no_database_failure_behind_it_is_not_the_database_unavailable():
    assert not database_unavailable(RuntimeError("boom"))


# The health check


def test_healthz_answers_503_when_no_connection_can_be_made(browser):
    with database_down():
        response = browser.get("/healthz")
    assert response.status_code == 503


# Writes are all or nothing


def test_a_journal_entry_is_not_stored_when_the_bookkeeping_after_it_fails(token_client):
    with failing_bookkeeping():
        response = token_client.post(
            ENTRIES_URL, {"date": today(), "focus": 5}, content_type="application/json"
        )
    assert response.status_code == 503
    assert not JournalEntry.objects.exists()


def test_a_journal_entry_keeps_its_values_when_the_bookkeeping_after_an_update_fails(
    token_client, patient
):
    entry = JournalEntryFactory(user=patient, focus=3)
    with failing_bookkeeping():
        token_client.patch(
            f"{ENTRIES_URL}{entry.pk}/", {"focus": 9}, content_type="application/json"
        )
    entry.refresh_from_db()
    assert entry.focus == 3


# Settings


def test_a_postgresql_connection_attempt_gives_up_after_a_few_seconds():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ENV"}
    env["DATABASE_URL"] = "postgres://portal@db.example.org:5432/portal"
    code = (
        "import portal.settings as s; print(s.DATABASES['default']['OPTIONS']['connect_timeout'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert 0 < int(result.stdout) <= 5
