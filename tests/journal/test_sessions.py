"""Sessions with the user's id in a column (journal/sessions.py), and the one query that tells
the owner cache who asks: a cached page is served to the signed-in owner and to nobody whose
session Django itself would not accept."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client, RequestFactory
from django.utils import timezone

from journal import cached_sessions
from journal.models import UserSession
from journal.sessions import signed_in_user
from tests.factories import UserFactory

DASHBOARD = "/journal/"


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def cached_dashboard(signed_in):
    """The patient's dashboard, built and stored by a first visit."""
    assert signed_in.get(DASHBOARD).status_code == 200
    return signed_in


def session_of(client):
    return UserSession.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def request_with_session_of(client):
    request = RequestFactory().get(DASHBOARD)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    return request


def is_sent_to_log_in(response):
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_signing_in_keeps_the_users_id_with_the_session(signed_in, patient):
    assert session_of(signed_in).user_id == patient.pk


def test_the_session_store_of_the_shared_cache_keeps_the_users_id_too(patient):
    store = cached_sessions.SessionStore()
    store["_auth_user_id"] = str(patient.pk)
    store.create()

    assert UserSession.objects.get(session_key=store.session_key).user_id == patient.pk


def test_the_signed_in_patient_is_read_with_their_journal_revision(cached_dashboard, patient):
    user = signed_in_user(request_with_session_of(cached_dashboard))

    assert user.pk == patient.pk
    assert user.journal_revision_number is not None


def test_signing_out_ends_the_cached_dashboard_at_once(cached_dashboard):
    cached_dashboard.post("/accounts/logout/")

    assert is_sent_to_log_in(cached_dashboard.get(DASHBOARD))


def test_a_session_ended_elsewhere_is_not_served_the_cached_dashboard(cached_dashboard):
    session_of(cached_dashboard).delete()

    assert is_sent_to_log_in(cached_dashboard.get(DASHBOARD))


def test_an_expired_session_is_not_served_the_cached_dashboard(cached_dashboard):
    session = session_of(cached_dashboard)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()

    assert is_sent_to_log_in(cached_dashboard.get(DASHBOARD))


def test_a_password_changed_elsewhere_ends_the_cached_dashboard(cached_dashboard, patient):
    patient.set_password("another-long-password")
    patient.save()

    assert is_sent_to_log_in(cached_dashboard.get(DASHBOARD))


def test_a_deactivated_account_is_not_served_its_cached_dashboard(cached_dashboard, patient):
    patient.is_active = False
    patient.save()

    assert is_sent_to_log_in(cached_dashboard.get(DASHBOARD))


def test_a_session_with_tampered_data_is_not_served_the_cached_dashboard(cached_dashboard):
    session = session_of(cached_dashboard)
    session.session_data = session.session_data[:-4] + "AAAA"
    session.save()

    assert is_sent_to_log_in(cached_dashboard.get(DASHBOARD))


def test_a_session_naming_another_user_than_its_column_is_not_trusted(cached_dashboard):
    session = session_of(cached_dashboard)
    UserSession.objects.filter(pk=session.pk).update(user=UserFactory())

    assert signed_in_user(request_with_session_of(cached_dashboard)) is None


def test_a_session_signed_in_by_another_backend_is_left_to_django(cached_dashboard):
    store = cached_sessions.SessionStore(session_of(cached_dashboard).session_key)
    store[BACKEND_SESSION_KEY] = "axes.backends.AxesStandaloneBackend"
    store.save()

    assert signed_in_user(request_with_session_of(cached_dashboard)) is None


def test_a_session_holding_a_message_is_left_to_django(cached_dashboard):
    store = cached_sessions.SessionStore(session_of(cached_dashboard).session_key)
    store["_messages"] = "[]"
    store.save()

    assert signed_in_user(request_with_session_of(cached_dashboard)) is None


def test_a_request_without_a_session_cookie_has_no_signed_in_user(db):
    assert signed_in_user(RequestFactory().get(DASHBOARD)) is None


def test_deleting_an_account_deletes_its_sessions(signed_in, patient):
    other_device = Client()
    other_device.force_login(patient)

    patient.delete()

    assert not UserSession.objects.exists()


def test_a_cached_dashboard_carries_the_headers_of_the_page_built_for_it(signed_in):
    built = signed_in.get(DASHBOARD)

    cached = signed_in.get(DASHBOARD)

    assert {
        name: value for name, value in cached.items() if name not in {"Content-Length", "Date"}
    } == {name: value for name, value in built.items() if name not in {"Content-Length", "Date"}}
    assert "script-src 'self'" in cached["Content-Security-Policy"]
