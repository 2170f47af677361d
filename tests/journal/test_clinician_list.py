"""The clinician's list: consenting patients only, each with flags computed from what they
share, in a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.care import workspace
from journal.models import CareAccess
from tests.factories import (
    BloodPressureReadingFactory,
    CareConnectionFactory,
    ClinicFactory,
    ClinicianFactory,
    JournalEntryFactory,
    QuestionnaireResponseFactory,
)
from tests.helpers import cache_control, sign_in_staff, visible_text

NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def clinician(clinic):
    return ClinicianFactory(clinic=clinic)


def _flags(clinician, patient):
    row = next(row for row in workspace.patient_list(clinician=clinician) if row.patient == patient)
    return {flag.label.split(" (")[0]: flag for flag in row.flags}


def _phq9(patient, *, item9=0, score_without_item9=5, days_ago=0):
    answers = [1] * score_without_item9 + [0] * (8 - score_without_item9) + [item9]
    return QuestionnaireResponseFactory(
        user=patient, answers=answers, taken_at=NOW - datetime.timedelta(days=days_ago)
    )


def test_a_patient_sharing_the_summary_is_listed(clinic, clinician):
    connection = CareConnectionFactory(clinic=clinic)

    assert [row.connection for row in workspace.patient_list(clinician=clinician)] == [connection]


def test_a_patient_who_withdrew_is_not_listed(clinic, clinician):
    CareConnectionFactory(clinic=clinic, withdrawn_at=NOW, summary=False)

    assert workspace.patient_list(clinician=clinician) == []


def test_a_patient_of_another_clinic_is_not_listed(clinician):
    CareConnectionFactory()

    assert workspace.patient_list(clinician=clinician) == []


def test_item_9_above_0_in_the_latest_phq9_is_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    _phq9(patient, item9=1)

    assert _flags(clinician, patient)["PHQ-9 item 9 above 0"].raised


def test_item_9_of_an_older_phq9_is_not_flagged_once_a_newer_one_answers_0(
    clinic, clinician, patient
):
    CareConnectionFactory(clinic=clinic, user=patient)
    _phq9(patient, item9=2, days_ago=14)
    _phq9(patient, item9=0)

    assert not _flags(clinician, patient)["PHQ-9 item 9 above 0"].raised


def test_a_phq9_flag_is_not_computed_without_the_questionnaires_scope(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient, questionnaires=False)
    _phq9(patient, item9=1)

    flag = _flags(clinician, patient)["PHQ-9 item 9 above 0"]
    assert (flag.shared, flag.raised) == (False, False)


def test_a_phq9_up_by_5_is_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    _phq9(patient, score_without_item9=2, days_ago=14)
    _phq9(patient, score_without_item9=7)

    assert _flags(clinician, patient)["PHQ-9 up by 5 or more"].raised


def test_a_phq9_up_by_4_is_not_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    _phq9(patient, score_without_item9=2, days_ago=14)
    _phq9(patient, score_without_item9=6)

    assert not _flags(clinician, patient)["PHQ-9 up by 5 or more"].raised


def test_a_reading_of_180_over_100_this_fortnight_is_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    BloodPressureReadingFactory(user=patient, systolic=180, diastolic=100)

    assert _flags(clinician, patient)["Blood pressure at or above 180/120 or below 90/60"].raised


def test_a_reading_below_90_over_60_is_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    BloodPressureReadingFactory(user=patient, systolic=85, diastolic=55)

    assert _flags(clinician, patient)["Blood pressure at or above 180/120 or below 90/60"].raised


def test_a_very_high_reading_older_than_14_days_is_not_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    BloodPressureReadingFactory(
        user=patient, systolic=190, diastolic=125, measured_at=NOW - datetime.timedelta(days=15)
    )

    assert not _flags(clinician, patient)[
        "Blood pressure at or above 180/120 or below 90/60"
    ].raised


def test_a_blood_pressure_flag_is_not_computed_without_the_journal_scope(
    clinic, clinician, patient
):
    CareConnectionFactory(clinic=clinic, user=patient, journal=False)
    BloodPressureReadingFactory(user=patient, systolic=190, diastolic=125)

    flag = _flags(clinician, patient)["Blood pressure at or above 180/120 or below 90/60"]
    assert (flag.shared, flag.raised) == (False, False)


def test_no_check_in_for_7_days_is_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    JournalEntryFactory(user=patient, date=timezone.localdate() - datetime.timedelta(days=7))

    assert _flags(clinician, patient)["No check-in for 7 days"].raised


def test_a_check_in_6_days_ago_is_not_flagged(clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    JournalEntryFactory(user=patient, date=timezone.localdate() - datetime.timedelta(days=6))

    assert not _flags(clinician, patient)["No check-in for 7 days"].raised


def _list_queries(client, clinician):
    sign_in_staff(client, clinician)
    with CaptureQueriesContext(db_connection) as queries:
        assert client.get(reverse("clinic:patients")).status_code == 200
    return len(queries)


def _patient_with_everything(clinic):
    connection = CareConnectionFactory(clinic=clinic)
    _phq9(connection.user, item9=1)
    _phq9(connection.user, days_ago=14)
    BloodPressureReadingFactory(user=connection.user, systolic=190, diastolic=125)
    JournalEntryFactory(user=connection.user)


def test_the_list_runs_as_many_queries_for_five_patients_as_for_one(client, clinic, clinician):
    _patient_with_everything(clinic)
    one = _list_queries(client, clinician)
    for _ in range(4):
        _patient_with_everything(clinic)

    assert _list_queries(client, clinician) == one


def test_opening_the_list_is_in_each_listed_patients_access_log(client, clinic, clinician):
    connection = CareConnectionFactory(clinic=clinic)
    sign_in_staff(client, clinician)

    client.get(reverse("clinic:patients"))

    assert CareAccess.objects.get(patient=connection.user).what == "patient list flags"


def test_the_list_says_not_shared_for_a_flag_the_patient_did_not_share(client, clinic, clinician):
    CareConnectionFactory(clinic=clinic, journal=False, questionnaires=False)
    sign_in_staff(client, clinician)

    text = visible_text(client.get(reverse("clinic:patients")).content.decode())

    assert "No check-in for 7 days: not shared" in text


def test_no_browser_or_proxy_may_keep_the_list(client, clinician):
    sign_in_staff(client, clinician)

    response = client.get(reverse("clinic:patients"))

    assert {"private", "no-store"} <= cache_control(response)
