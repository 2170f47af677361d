"""GET/PUT /api/v1/reminders/: the reminders page's rules over the API, for the patient alone."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from journal import reminders
from journal.accounts import account_time_zone_set
from journal.models import AccountPreferences, Reminder, ReminderKind
from tests.factories import UserFactory
from tests.helpers import cache_control

pytestmark = pytest.mark.django_db

URL = "/api/v1/reminders/"
NOW = datetime.datetime(2026, 1, 10, 0, tzinfo=datetime.UTC)
BODY = {
    "check_in_enabled": True,
    "check_in_time": "19:30",
    "questionnaires_enabled": False,
    "questionnaires_time": "10:00",
    "visit_prep_enabled": False,
    "visit_prep_time": "10:00",
    "quiet_start": "22:00",
    "quiet_end": "07:00",
}


@pytest.fixture
def patient(db):
    patient = UserFactory(email="patient@example.com")
    account_time_zone_set(user=patient, time_zone="America/New_York")
    return patient


@pytest.fixture
def api(patient):
    client = APIClient()
    client.force_authenticate(patient)
    return client


def test_get_answers_every_reminder_off_by_default(api):
    body = api.get(URL).json()

    assert [body[f"{kind}_enabled"] for kind in ReminderKind] == [False, False, False]


def test_get_answers_the_zone_the_times_are_in(api):
    assert api.get(URL).json()["time_zone"] == "America/New_York"


@time_machine.travel(NOW, tick=False)
def test_put_turns_a_reminder_on_and_answers_when_it_is_next_due(api):
    body = api.put(URL, BODY, format="json").json()

    # 19:30 on 9 January in New York
    assert datetime.datetime.fromisoformat(body["check_in_next_due_at"]) == datetime.datetime(
        2026, 1, 10, 0, 30, tzinfo=datetime.UTC
    )


def test_put_saves_the_quiet_hours(api, patient):
    api.put(URL, BODY, format="json")

    preferences = AccountPreferences.objects.get(user=patient)
    assert (preferences.quiet_start, preferences.quiet_end) == (
        datetime.time(22),
        datetime.time(7),
    )


def test_put_refuses_quiet_hours_with_one_time_missing(api):
    response = api.put(URL, {**BODY, "quiet_end": None}, format="json")

    assert (response.status_code, response.json()) == (400, {"quiet_end": [reminders.QUIET_PAIR]})


def test_put_refuses_a_time_that_is_not_hours_and_minutes(api):
    body = {**BODY, "check_in_time": "7pm"}

    assert api.put(URL, body, format="json").status_code == 400


def test_another_patient_gets_their_own_reminders_not_the_owners(api):
    api.put(URL, BODY, format="json")
    other = APIClient()
    other.force_authenticate(UserFactory())

    assert other.get(URL).json()["check_in_enabled"] is False


def test_another_patients_put_leaves_the_owners_reminders_alone(api, patient):
    api.put(URL, BODY, format="json")
    other = APIClient()
    other.force_authenticate(UserFactory())

    other.put(URL, {**BODY, "check_in_enabled": False}, format="json")

    assert Reminder.objects.get(user=patient, kind=ReminderKind.CHECK_IN).enabled


def test_an_anonymous_client_gets_401(db):
    assert APIClient().get(URL).status_code == 401


def test_no_browser_or_proxy_may_keep_the_answer(api):
    assert {"private", "no-store"} <= cache_control(api.get(URL))
