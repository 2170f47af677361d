"""The dashboard at a glance: the latest safety flag, days logged, the next appointment with its
top questions, the change after the last infusion; and the journal navigation, collapsed, with
the current page marked."""

import datetime

import pytest
from django.utils import timezone

from journal import services
from journal.models import BloodPressureContext
from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    QuestionnaireResponseFactory,
    UserFactory,
)
from tests.helpers import visible_text

DASHBOARD = "/journal/"
TODAY = datetime.date(2026, 11, 30)


def days_ago(days, today=None):
    return (today or timezone.localdate()) - datetime.timedelta(days=days)


def rated(changes):
    return [(change.label, change.change, change.direction) for change in changes]


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient)
    return client


# Days logged


def test_days_logged_counts_the_days_with_a_check_in_in_the_last_30(patient):
    for days in (0, 5, 29, 30):
        JournalEntryFactory(user=patient, date=days_ago(days, TODAY))

    assert services.days_logged(user=patient, today=TODAY) == 3


def test_the_dashboard_says_how_many_of_the_last_30_days_were_logged(signed_in, patient):
    for days in range(12):
        JournalEntryFactory(user=patient, date=days_ago(days))

    text = visible_text(signed_in.get(DASHBOARD).content.decode())

    assert "You logged 12 of the last 30 days." in text


# The latest safety flag


def test_the_latest_safety_flag_is_the_newest_flagged_reading(patient):
    BloodPressureReadingFactory(
        user=patient, systolic=185, diastolic=122, measured_at=hours_ago(48)
    )
    BloodPressureReadingFactory(user=patient, systolic=85, diastolic=55, measured_at=hours_ago(24))
    BloodPressureReadingFactory(user=patient, systolic=120, diastolic=80, measured_at=hours_ago(1))

    flag = services.latest_safety_flag(user=patient, today=timezone.localdate())

    assert (flag.level, flag.summary) == ("low", "85/55 mmHg, low.")


def test_a_reading_above_140_90_before_an_infusion_is_a_safety_flag(patient):
    BloodPressureReadingFactory(
        user=patient, systolic=150, diastolic=92, context=BloodPressureContext.BEFORE_INFUSION
    )

    flag = services.latest_safety_flag(user=patient, today=timezone.localdate())

    assert flag.level == "flagged"


def test_a_phq9_with_item_9_above_0_is_a_safety_flag(patient):
    QuestionnaireResponseFactory(user=patient, answers=[1, 1, 1, 1, 1, 0, 0, 0, 1])

    flag = services.latest_safety_flag(user=patient, today=timezone.localdate())

    assert "988" in flag.advice


def test_a_phq9_with_item_9_at_0_is_no_safety_flag(patient):
    QuestionnaireResponseFactory(user=patient, answers=[3, 3, 3, 3, 3, 3, 3, 3, 0])

    assert services.latest_safety_flag(user=patient, today=timezone.localdate()) is None


def test_a_flag_older_than_30_days_is_not_shown(patient):
    BloodPressureReadingFactory(
        user=patient, systolic=185, diastolic=122, measured_at=hours_ago(24 * 31)
    )

    assert services.latest_safety_flag(user=patient, today=timezone.localdate()) is None


def test_the_dashboard_shows_the_latest_safety_flag(signed_in, patient):
    BloodPressureReadingFactory(user=patient, systolic=185, diastolic=122)

    text = visible_text(signed_in.get(DASHBOARD).content.decode())

    assert "185/122 mmHg, very high. What to do" in text


# The next appointment


def test_the_next_appointment_is_the_earliest_from_today_with_its_top_questions(patient):
    ChecklistFactory(user=patient, appointment_date=days_ago(3))
    ChecklistFactory(user=patient, appointment_date=days_ago(-20))
    upcoming = ChecklistFactory(user=patient, appointment_date=days_ago(-5))
    top = ChecklistItemFactory(checklist=upcoming, is_top_priority=True, text="Is my BP fine?")
    ChecklistItemFactory(checklist=upcoming)

    appointment = services.next_appointment(user=patient, today=timezone.localdate())

    assert (appointment, appointment.questions, appointment.top_items) == (upcoming, 2, [top])


def test_the_dashboard_shows_the_next_appointment_and_its_top_questions(signed_in, patient):
    upcoming = ChecklistFactory(user=patient, appointment_date=days_ago(-5))
    ChecklistItemFactory(checklist=upcoming, is_top_priority=True, text="Is my BP fine?")

    text = visible_text(signed_in.get(DASHBOARD).content.decode())

    assert "Next appointment:" in text
    assert "Is my BP fine?" in text


def test_without_an_appointment_the_dashboard_offers_to_prepare_one(signed_in):
    text = visible_text(signed_in.get(DASHBOARD).content.decode())

    assert "Next appointment: none planned. Prepare for one" in text


# The change after the last infusion


def test_the_change_after_the_last_infusion_compares_the_weeks_around_it(patient):
    InfusionSessionFactory(user=patient, date=days_ago(30))
    infusion = InfusionSessionFactory(user=patient, date=days_ago(10))
    JournalEntryFactory(user=patient, date=days_ago(12), focus=3, anxiety=7)
    JournalEntryFactory(user=patient, date=days_ago(8), focus=6, anxiety=6)

    change = services.change_after_last_infusion(user=patient)

    assert change.infusion == infusion
    assert ("Focus", 3.0, "better") in rated(change.compared)
    assert ("Anxiety", -1.0, "better") in rated(change.compared)


def test_a_change_under_one_point_is_steady(patient):
    InfusionSessionFactory(user=patient, date=days_ago(10))
    JournalEntryFactory(user=patient, date=days_ago(12), mood=5)
    JournalEntryFactory(user=patient, date=days_ago(11), mood=6)
    JournalEntryFactory(user=patient, date=days_ago(8), mood=6)

    change = services.change_after_last_infusion(user=patient)

    assert ("Mood", 0.5, "steady") in rated(change.compared)


def test_there_is_no_change_to_show_without_an_infusion(patient):
    assert services.change_after_last_infusion(user=patient) is None


def test_the_dashboard_shows_the_change_after_the_last_infusion(signed_in, patient):
    InfusionSessionFactory(user=patient, date=days_ago(10))
    JournalEntryFactory(user=patient, date=days_ago(12), focus=3)
    JournalEntryFactory(user=patient, date=days_ago(8), focus=6)

    text = visible_text(signed_in.get(DASHBOARD).content.decode())

    assert "Focus +3.0 (better)" in text


# The journal navigation


def test_the_journal_navigation_is_a_collapsed_journal_menu(signed_in):
    html = signed_in.get(DASHBOARD).content.decode()

    assert "<details>" in html
    assert "<summary>Journal menu" in html


def test_the_journal_navigation_marks_the_dashboard_as_the_current_page(signed_in):
    html = signed_in.get(DASHBOARD).content.decode()

    assert '<a href="/journal/" aria-current="page">Dashboard</a>' in html


def test_a_records_page_marks_its_kind_as_the_current_page(signed_in, patient):
    reading = BloodPressureReadingFactory(user=patient)

    html = signed_in.get(reading.get_absolute_url()).content.decode()

    assert 'aria-current="page">Blood pressure</a>' in html
    assert html.count('aria-current="page"') == 1


def test_another_patients_data_never_reaches_the_glance(signed_in):
    other = UserFactory()
    BloodPressureReadingFactory(user=other, systolic=185, diastolic=122)
    ChecklistFactory(user=other, appointment_date=days_ago(-5))

    text = visible_text(signed_in.get(DASHBOARD).content.decode())

    assert "185/122" not in text
    assert "none planned" in text
