"""The dashboard's database work does not grow with the size of a patient's journal."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal.models import JournalEntry
from tests.factories import (
    BloodPressureReadingFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    QuestionnaireResponseFactory,
    SideEffectFactory,
    SideEffectReportFactory,
    UserFactory,
)

DASHBOARD_URLS = [
    pytest.param("/journal/", id="default-window"),
    pytest.param("/journal/?days=90", id="90-day-window"),
]

# Measured on the patient with 1,000 entries; the same for the 30- and 90-day windows:
#  1. django_session: the signed-in patient's session
#  2. auth_user: the patient
#  3. journal_journalentry: daily rating averages over the window (one GROUP BY date query)
#  4. journal_journalentry: the 5 most recent entries
#  5. journal_bloodpressurereading: the 5 most recent readings
#  6. journal_sideeffectreport JOIN education_sideeffect: the 5 most recent side effects
#  7. journal_infusionsession: the 5 most recent infusions
#  8. journal_medication: up to 5 current medications
#  9. journal_questionnaireresponse: the 5 most recent questionnaires
DASHBOARD_QUERIES = 9


@pytest.fixture
def patient_with_one_entry(db):
    patient = UserFactory()
    JournalEntryFactory(user=patient)
    return patient


@pytest.fixture
def patient_with_1000_entries(db):
    """1,000 entries spread over the last 90 days, and some of every other kind of record."""
    patient = UserFactory()
    today = timezone.localdate()
    JournalEntry.objects.bulk_create(
        JournalEntry(
            user=patient,
            date=today - datetime.timedelta(days=number % 90),
            focus=number % 11,
            hyperactivity=(number + 3) % 11,
            impulsivity=(number + 5) % 11,
            mood=(number + 7) % 11,
            anxiety=(number + 9) % 11,
            sleep_hours=number % 10,
            notes=f"Entry {number}",
        )
        for number in range(1000)
    )
    now = timezone.now()
    infusions = [
        InfusionSessionFactory(user=patient, date=today - datetime.timedelta(days=7 * week))
        for week in range(8)
    ]
    BloodPressureReadingFactory.create_batch(
        30, user=patient, measured_at=now - datetime.timedelta(hours=5)
    )
    for number, infusion in enumerate(infusions):
        SideEffectReportFactory(
            user=patient,
            side_effect=SideEffectFactory() if number % 2 else None,
            infusion=infusion,
            occurred_at=now - datetime.timedelta(days=number),
        )
    MedicationFactory.create_batch(10, user=patient)
    QuestionnaireResponseFactory.create_batch(6, user=patient)
    QuestionnaireResponseFactory.create_batch(
        6, user=patient, questionnaire="gad7", answers=[1, 2, 1, 0, 0, 1, 2]
    )
    return patient


def _dashboard_queries(client, patient, url):
    client.force_login(patient)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_busy_patient_really_has_1000_entries(patient_with_1000_entries):
    assert JournalEntry.objects.owned_by(patient_with_1000_entries).count() == 1000


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_dashboard_runs_as_many_queries_for_1000_entries_as_for_one(
    client, patient_with_one_entry, patient_with_1000_entries, url
):
    small = _dashboard_queries(client, patient_with_one_entry, url)
    large = _dashboard_queries(client, patient_with_1000_entries, url)

    assert large == small


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_dashboard_runs_exactly_its_pinned_number_of_queries(
    client, patient_with_1000_entries, url, django_assert_num_queries
):
    client.force_login(patient_with_1000_entries)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
