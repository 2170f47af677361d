"""The database work of the dashboard, the visit-prep sheet and the checklist build does not grow
with the size of a patient's journal: each is pinned to an exact number of queries, for building
a page and for serving it from the cache below authentication."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from education.models import QuestionCategory
from journal.models import ItemOrigin, JournalEntry
from journal.prep.rules import build_checklist
from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    QuestionnaireResponseFactory,
    SideEffectFactory,
    SideEffectReportFactory,
    UserFactory,
)
from tests.journal.test_checklist_rules import journal_of_size

DASHBOARD_URLS = [
    pytest.param("/journal/", id="default-window"),
    pytest.param("/journal/?days=90", id="90-day-window"),
]

# Building the dashboard, measured on the patient with 1,000 entries, an upcoming appointment with
# top questions and infusions (so everything at a glance shows); the same for the 30- and 90-day
# windows:
#  1. django_session: the signed-in patient's session
#  2. auth_user: the signed-in patient
#  3. journal_journalrevision: the version of their pages, part of the page cache's key (the
#     content stamp, also part of it, is no query); the key is not in the cache, so the page is
#     built:
#  4. journal_journalentry: today's check-in, which the quick-entry form edits if it exists
#  5. journal_journalentry: how many of the last 30 days have a check-in
#  6. journal_safetysettings: the clinic's safety thresholds (read once per request)
#  7. journal_bloodpressurereading: the latest flagged reading in the last 30 days
#  8. journal_questionnaireresponse: the latest PHQ-9 with item 9 above 0 in the last 30 days
#  9. journal_checklist LEFT JOIN journal_checklistitem: the next appointment and its number of
#     questions
# 10. journal_checklistitem: its top-priority questions (only when there is an appointment)
# 11. journal_infusionsession: the latest infusion
# 12. journal_journalentry: average ratings the week before and after it (only when there is one)
# 13. journal_journalentry: daily rating averages over the window (one GROUP BY date query)
# 14. journal_infusionsession: the infusion days in the window, marked on every chart
# 15. journal_bloodpressurereading: daily average readings over the window (GROUP BY day)
# 16. journal_clinicianrating: the clinic's CGI ratings in the window
# 17. journal_journalentry: the 5 most recent entries
# 18. journal_bloodpressurereading: the 5 most recent readings
# 19. journal_sideeffectreport JOIN education_sideeffect: the 5 most recent side effects
# 20. journal_infusionsession: the 5 most recent infusions
# 21. journal_medication: up to 5 current medications
# 22. journal_questionnaireresponse: the 5 most recent questionnaires
DASHBOARD_QUERIES = 22

# Serving a page (dashboard or visit sheet) from the cache: queries 1-3 above.
CACHED_PAGE_QUERIES = 3

# Building the visit-prep sheet, the same for 1 and 1,000 entries:
#  1. django_session: the signed-in patient's session
#  2. auth_user: the signed-in patient
#  3. journal_journalrevision: the version of their pages (the page cache's key)
#  4. journal_checklist: the checklist, if the patient's own
#  5. auth_user: the checklist's patient, whose journal the sheet sums up
#  6. journal_checklist: the appointment before this one (where the summary starts)
#  7. journal_checklistitem: the questions
#  8. journal_infusionsession LEFT JOIN journal_infusionmonitoring: the infusions in the period
#     with the clinic's monitoring record of each (the sheet shows each one)
#  9. journal_journalentry: the entries of the weeks around them, for the before/after change
#     (skipped when the period has no infusion: 15 queries then)
# 10. journal_journalentry: rating averages over the period
# 11. journal_sideeffectreport LEFT JOIN education_sideeffect: side effects, counted by name
# 12. journal_bloodpressurereading: the count and the lowest and highest readings
# 13. journal_safetysettings: the clinic's safety thresholds (read once per request)
# 14. journal_bloodpressurereading: the flagged readings
# 15. journal_medication: medications taken in the period
# 16. journal_questionnaireresponse: the latest questionnaires
VISIT_SHEET_QUERIES = 16

# build_checklist on a journal of 3 records of each kind or of 300:
#  1. SAVEPOINT: build_checklist is atomic (a savepoint inside the test's transaction)
#  2. journal_checklistitem: the source keys and texts already on the list
#  3. journal_checklistitem: the highest position
#  4. journal_checklist: the appointment before this one (where the period starts)
#  5. journal_safetysettings: the clinic's safety thresholds (read once per request)
#  6. journal_bloodpressurereading: readings in the period
#  7. journal_infusionmonitoring JOIN journal_infusionsession: the clinic's monitoring records of
#     the period's infusions
#  8. journal_questionnaireresponse: questionnaires in the period
#  9. journal_sideeffectreport LEFT JOIN education_sideeffect: side effects, counted by name
# 10. journal_journalentry: rating averages over the period
# 11. journal_medication: medications taken in the period
# 12. education_providerquestion: the catalogue questions
# 13. INSERT journal_checklistitem: every new question in one bulk insert
# 14. UPDATE journal_journalrevision: the patient's cached pages are out of date
# 15. RELEASE SAVEPOINT
BUILD_CHECKLIST_QUERIES = 15

# POST /api/v1/checklists/<pk>/generate/ on a journal of 3 records of each kind or of 300:
#  1. django_session: the signed-in patient's session
#  2. auth_user: the signed-in patient
#  3. journal_checklist: the checklist, if the patient's own
#  4. journal_checklistitem: its questions (the viewset's queryset prefetches them)
#  5-8. as 1-4 of build_checklist above
#  9. auth_user: the checklist's patient (the checklist was loaded without it)
# 10-20. as 5-15 of build_checklist above
# 21. journal_checklist: the checklist again, for the answer
# 22. journal_checklistitem: its questions, now with the new ones
GENERATE_QUERIES = 22


@pytest.fixture
def patient_with_one_entry(db):
    patient = UserFactory()
    JournalEntryFactory(user=patient)
    return patient


@pytest.fixture
def patient_with_1000_entries(db):
    """1,000 entries, one a day (one check-in per date) over the last 1,000 days, and some of
    every other kind of record."""
    patient = UserFactory()
    today = timezone.localdate()
    JournalEntry.objects.bulk_create(
        JournalEntry(
            user=patient,
            date=today - datetime.timedelta(days=number),
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


def build_queries(client, patient, url):
    """The queries of building the page afresh: after a first request (which creates the
    patient's journal revision) the cache is emptied, so the measured request builds it."""
    client.force_login(patient)
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries


def hit_queries(client, patient, url):
    """The queries of serving the page from the cache, after a first request stored it."""
    client.force_login(patient)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries


def with_everything_at_a_glance(patient):
    """The patient with an upcoming appointment that has top questions and an infusion, so the
    dashboard runs every query it can."""
    checklist = ChecklistFactory(user=patient)
    ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)
    InfusionSessionFactory(user=patient, date=timezone.localdate())
    return patient


def _dashboard_queries(client, patient, url):
    return len(build_queries(client, with_everything_at_a_glance(patient), url))


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
    client, patient_with_1000_entries, url
):
    assert _dashboard_queries(client, patient_with_1000_entries, url) == DASHBOARD_QUERIES


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_a_cached_dashboard_costs_only_the_queries_of_its_cache_key(
    client, patient_with_1000_entries, url
):
    assert len(hit_queries(client, patient_with_1000_entries, url)) == CACHED_PAGE_QUERIES


# The visit-prep sheet


def sheet_url(checklist):
    return f"/checklists/{checklist.pk}/sheet/"


@pytest.fixture
def small_sheet(patient_with_one_entry):
    """One entry, one infusion and one question."""
    InfusionSessionFactory(user=patient_with_one_entry)
    checklist = ChecklistFactory(user=patient_with_one_entry)
    ChecklistItemFactory(checklist=checklist)
    return checklist


@pytest.fixture
def large_sheet(patient_with_1000_entries):
    """1,000 entries (and much else) since the last appointment, and 30 questions."""
    today = timezone.localdate()
    ChecklistFactory(
        user=patient_with_1000_entries, appointment_date=today - datetime.timedelta(days=100)
    )
    checklist = ChecklistFactory(user=patient_with_1000_entries)
    ChecklistItemFactory.create_batch(20, checklist=checklist)
    ChecklistItemFactory.create_batch(
        7, checklist=checklist, origin=ItemOrigin.PERSONALISED, category=QuestionCategory.SAFETY
    )
    ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)
    return checklist


def test_the_visit_sheet_runs_exactly_its_pinned_number_of_queries(client, large_sheet):
    queries = build_queries(client, large_sheet.user, sheet_url(large_sheet))

    assert len(queries) == VISIT_SHEET_QUERIES


def test_the_visit_sheet_runs_as_many_queries_for_1000_entries_as_for_one(
    client, small_sheet, large_sheet
):
    small = build_queries(client, small_sheet.user, sheet_url(small_sheet))
    large = build_queries(client, large_sheet.user, sheet_url(large_sheet))

    assert len(large) == len(small) == VISIT_SHEET_QUERIES


def test_a_cached_visit_sheet_costs_only_the_queries_of_its_cache_key(
    client, small_sheet, large_sheet
):
    small = hit_queries(client, small_sheet.user, sheet_url(small_sheet))
    large = hit_queries(client, large_sheet.user, sheet_url(large_sheet))

    assert len(large) == len(small) == CACHED_PAGE_QUERIES


# Building a checklist


def test_building_a_checklist_runs_exactly_its_pinned_number_of_queries(
    seeded, django_assert_num_queries
):
    checklist = journal_of_size(300)

    with django_assert_num_queries(BUILD_CHECKLIST_QUERIES):
        assert build_checklist(user=checklist.user, checklist=checklist)


def test_building_a_checklist_runs_as_many_queries_for_a_small_journal_as_for_a_large_one(
    seeded,
):
    counts = []
    for checklist in (journal_of_size(3), journal_of_size(300)):
        with CaptureQueriesContext(connection) as queries:
            build_checklist(user=checklist.user, checklist=checklist)
        counts.append(len(queries))

    assert counts == [BUILD_CHECKLIST_QUERIES, BUILD_CHECKLIST_QUERIES]


def generate_queries(checklist):
    """The queries of the generate action."""
    api = APIClient()
    api.force_login(checklist.user)
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/api/v1/checklists/{checklist.pk}/generate/")
    assert response.status_code == 200
    assert response.json()["items"]
    return queries


def test_the_generate_action_runs_exactly_its_pinned_number_of_queries(seeded):
    assert len(generate_queries(journal_of_size(300))) == GENERATE_QUERIES


def test_the_generate_action_runs_as_many_queries_for_a_small_journal_as_for_a_large_one(
    seeded,
):
    small = generate_queries(journal_of_size(3))
    large = generate_queries(journal_of_size(300))

    assert len(large) == len(small) == GENERATE_QUERIES
