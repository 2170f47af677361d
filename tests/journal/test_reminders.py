"""Reminders go out once, at the patient's local time, only while needed: the schedule, the
scheduler's job and the sending task, with frozen time."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal import reminders
from journal.accounts import account_time_zone_set
from journal.models import Reminder, ReminderDelivery, ReminderKind
from journal.reminders import Clock, ReminderChoice
from journal.tasks import find_due_reminders, send_reminder
from tests.factories import (
    ChecklistFactory,
    JournalEntryFactory,
    QuestionnaireResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
UTC = datetime.UTC
EIGHT = datetime.time(8)
TEN = datetime.time(10)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def patient_in_new_york(db):
    patient = UserFactory(email="patient@example.com")
    account_time_zone_set(user=patient, time_zone=NEW_YORK)
    return patient


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """One scheduler tick at a frozen moment; the tasks it queues run then (ImmediateBackend)."""

    def run(now):
        with time_machine.travel(now, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                find_due_reminders(now=now)

    return run


@pytest.fixture
def ticks(tick):
    """Ticks from start to end every `every`; answers the moments each e-mail went."""

    def run(start, end, every=datetime.timedelta(hours=1)):
        sent = []
        now = start
        while now <= end:
            before = len(mail.outbox)
            tick(now)
            sent += [(now, message.subject) for message in mail.outbox[before:]]
            now += every
        return sent

    return run


def turn_on(user, kind, at, now, quiet=(datetime.time(21), datetime.time(8))):
    with time_machine.travel(now, tick=False):
        reminders.reminder_settings_set(
            user=user,
            choices={kind: ReminderChoice(enabled=True, time_of_day=at)},
            quiet_start=quiet[0],
            quiet_end=quiet[1],
            now=now,
        )
    return Reminder.objects.get(user=user, kind=kind)


# The daily check-in, at local time.


def test_the_check_in_reminder_is_not_sent_before_its_local_time(patient_in_new_york, tick):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))

    tick(utc(2026, 1, 10, 12, 59))

    assert mail.outbox == []


def test_the_check_in_reminder_goes_at_8_in_new_york_which_is_13_utc_in_winter(
    patient_in_new_york, tick
):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))

    tick(utc(2026, 1, 10, 13, 0))

    assert [message.subject for message in mail.outbox] == ["Time for today's check-in"]


def test_the_check_in_reminder_goes_at_8_in_new_york_which_is_12_utc_in_summer(
    patient_in_new_york, tick
):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 7, 10, 0))

    tick(utc(2026, 7, 10, 12, 0))

    assert len(mail.outbox) == 1


def test_the_check_in_reminder_stays_at_8_local_across_the_march_clock_change(
    patient_in_new_york, ticks
):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 3, 7, 0))

    sent = ticks(utc(2026, 3, 7, 0), utc(2026, 3, 9, 23))

    assert [moment for moment, _ in sent] == [
        utc(2026, 3, 7, 13),  # EST, UTC-5
        utc(2026, 3, 8, 12),  # EDT from 8 March, UTC-4
        utc(2026, 3, 9, 12),
    ]


def test_a_reminder_goes_once_however_many_ticks_find_it_due(patient_in_new_york, ticks):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))

    sent = ticks(utc(2026, 1, 10, 13), utc(2026, 1, 10, 14), datetime.timedelta(minutes=1))

    assert len(sent) == 1


def test_a_time_the_clocks_skip_goes_at_the_first_minute_after_it():
    clock = Clock(zoneinfo.ZoneInfo(NEW_YORK), None, None)

    moment = clock.moment(day=datetime.date(2026, 3, 8), at=datetime.time(2, 30))

    assert moment == utc(2026, 3, 8, 7)  # 03:00 EDT


def test_the_check_in_reminder_is_skipped_when_the_day_is_logged(patient_in_new_york, tick):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    JournalEntryFactory(user=patient_in_new_york, date=datetime.date(2026, 1, 10))

    tick(utc(2026, 1, 10, 13))

    assert mail.outbox == []


def test_the_check_in_reminder_is_not_sent_when_the_day_is_logged_after_it_was_queued(
    patient_in_new_york, django_capture_on_commit_callbacks
):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    now = utc(2026, 1, 10, 13)
    with django_capture_on_commit_callbacks(execute=False):
        find_due_reminders(now=now)
    JournalEntryFactory(user=patient_in_new_york, date=datetime.date(2026, 1, 10))

    with time_machine.travel(now, tick=False):
        send_reminder.call(delivery_id=ReminderDelivery.objects.get().pk)

    assert mail.outbox == []


def test_quiet_hours_move_a_late_reminder_to_their_end_the_next_morning(patient_in_new_york, ticks):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, datetime.time(22), utc(2026, 1, 10, 0))

    sent = ticks(utc(2026, 1, 10, 0), utc(2026, 1, 11, 23))

    assert [moment for moment, _ in sent] == [utc(2026, 1, 10, 13), utc(2026, 1, 11, 13)]


def test_a_reminder_found_hours_late_is_skipped_not_sent(patient_in_new_york, tick):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))

    tick(utc(2026, 1, 10, 17))  # the scheduler was down from before 13:00 UTC

    assert ReminderDelivery.objects.get().skipped


# Questionnaires every 14 days.


def test_a_questionnaire_reminder_comes_14_days_after_its_last_answer(patient_in_new_york, ticks):
    turn_on(patient_in_new_york, ReminderKind.QUESTIONNAIRES, TEN, utc(2026, 1, 1, 15))
    QuestionnaireResponseFactory(
        user=patient_in_new_york, questionnaire="phq9", taken_at=utc(2026, 1, 5, 15)
    )
    QuestionnaireResponseFactory(
        user=patient_in_new_york, questionnaire="gad7", taken_at=utc(2026, 1, 20, 15)
    )

    sent = ticks(utc(2026, 1, 18, 0), utc(2026, 1, 19, 23))

    assert sent == [(utc(2026, 1, 19, 15), "Time for your PHQ-9 questionnaire")]


def test_an_unanswered_questionnaire_is_sent_again_once_a_day_for_3_days_then_is_silent(
    patient_in_new_york, ticks
):
    turn_on(patient_in_new_york, ReminderKind.QUESTIONNAIRES, TEN, utc(2026, 1, 1, 15))
    QuestionnaireResponseFactory(
        user=patient_in_new_york, questionnaire="gad7", taken_at=utc(2026, 1, 20, 15)
    )

    sent = ticks(utc(2026, 1, 14, 0), utc(2026, 1, 25, 0), datetime.timedelta(hours=3))

    assert [moment.date() for moment, _ in sent] == [
        datetime.date(2026, 1, 15),
        datetime.date(2026, 1, 16),
        datetime.date(2026, 1, 17),
        datetime.date(2026, 1, 18),
    ]


def test_answering_the_questionnaire_stops_its_reminders(patient_in_new_york, ticks, tick):
    turn_on(patient_in_new_york, ReminderKind.QUESTIONNAIRES, TEN, utc(2026, 1, 1, 15))
    QuestionnaireResponseFactory(
        user=patient_in_new_york, questionnaire="gad7", taken_at=utc(2026, 1, 20, 15)
    )
    tick(utc(2026, 1, 15, 15))
    QuestionnaireResponseFactory(
        user=patient_in_new_york, questionnaire="phq9", taken_at=utc(2026, 1, 15, 18)
    )

    sent = ticks(utc(2026, 1, 16, 0), utc(2026, 1, 25, 0), datetime.timedelta(hours=3))

    assert sent == []


# Visit prep.


def test_the_visit_prep_reminder_comes_two_days_before_the_appointment(patient_in_new_york, ticks):
    turn_on(patient_in_new_york, ReminderKind.VISIT_PREP, TEN, utc(2026, 1, 1, 0))
    ChecklistFactory(user=patient_in_new_york, appointment_date=datetime.date(2026, 1, 20))

    sent = ticks(utc(2026, 1, 10, 0), utc(2026, 1, 21, 0), datetime.timedelta(hours=3))

    assert [moment for moment, _ in sent] == [utc(2026, 1, 18, 15)]


def test_the_visit_prep_reminder_links_to_the_checklist(patient_in_new_york, tick, settings):
    settings.PORTAL_URL = "https://portal.example"
    turn_on(patient_in_new_york, ReminderKind.VISIT_PREP, TEN, utc(2026, 1, 1, 0))
    checklist = ChecklistFactory(
        user=patient_in_new_york, appointment_date=datetime.date(2026, 1, 20)
    )

    tick(utc(2026, 1, 18, 15))

    assert f"https://portal.example/checklists/{checklist.pk}/" in mail.outbox[0].body


# At most once.


def test_two_schedulers_running_at_once_record_one_delivery(patient_in_new_york):
    reminder = turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    now = utc(2026, 1, 10, 13)
    first_read = reminders.with_clock(Reminder.objects.filter(pk=reminder.pk)).get()
    second_read = reminders.with_clock(Reminder.objects.filter(pk=reminder.pk)).get()

    reminders.record_due(reminders=[first_read], now=now)
    reminders.record_due(reminders=[second_read], now=now)

    assert ReminderDelivery.objects.count() == 1


def test_the_second_of_two_schedulers_running_at_once_queues_nothing(patient_in_new_york):
    reminder = turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    now = utc(2026, 1, 10, 13)
    first_read = reminders.with_clock(Reminder.objects.filter(pk=reminder.pk)).get()
    second_read = reminders.with_clock(Reminder.objects.filter(pk=reminder.pk)).get()
    reminders.record_due(reminders=[first_read], now=now)

    assert reminders.record_due(reminders=[second_read], now=now) == []


def test_two_job_runs_at_the_same_moment_send_one_e_mail(
    patient_in_new_york, django_capture_on_commit_callbacks
):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    now = utc(2026, 1, 10, 13)

    with time_machine.travel(now, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            find_due_reminders(now=now)
            find_due_reminders(now=now)

    assert len(mail.outbox) == 1


def test_a_send_that_fails_once_is_retried_by_a_later_tick_and_sends_one_e_mail(
    patient_in_new_york, tick, monkeypatch
):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    real_send_email = reminders.send_email
    attempts = []

    def fails_the_first_time(**kwargs):
        attempts.append(kwargs)
        if len(attempts) == 1:
            raise ConnectionError("the mail server went away")
        real_send_email(**kwargs)

    monkeypatch.setattr(reminders, "send_email", fails_the_first_time)
    tick(utc(2026, 1, 10, 13))
    tick(utc(2026, 1, 10, 13, 5))
    tick(utc(2026, 1, 10, 13, 11))
    tick(utc(2026, 1, 10, 13, 30))

    assert (len(attempts), len(mail.outbox)) == (2, 1)


def test_a_delivery_already_sent_is_not_sent_again(patient_in_new_york, tick):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    tick(utc(2026, 1, 10, 13))

    with time_machine.travel(utc(2026, 1, 10, 13, 1), tick=False):
        send_reminder.call(delivery_id=ReminderDelivery.objects.get().pk)

    assert len(mail.outbox) == 1


# No longer wanted.


def test_no_reminder_goes_to_an_account_without_an_e_mail_address(patient_in_new_york, tick):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    patient_in_new_york.email = ""
    patient_in_new_york.save()

    tick(utc(2026, 1, 10, 13))

    assert mail.outbox == []


def test_a_reminder_turned_off_after_it_was_queued_is_not_sent(
    patient_in_new_york, django_capture_on_commit_callbacks
):
    reminder = turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    now = utc(2026, 1, 10, 13)
    with django_capture_on_commit_callbacks(execute=False):
        find_due_reminders(now=now)
    reminders.reminder_switch(reminder=reminder, enabled=False, now=now)

    with time_machine.travel(now, tick=False):
        send_reminder.call(delivery_id=ReminderDelivery.objects.get().pk)

    assert mail.outbox == []


def test_a_reminder_of_a_deleted_account_is_not_sent(
    patient_in_new_york, django_capture_on_commit_callbacks
):
    turn_on(patient_in_new_york, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    now = utc(2026, 1, 10, 13)
    with django_capture_on_commit_callbacks(execute=False):
        find_due_reminders(now=now)
    delivery_id = ReminderDelivery.objects.get().pk
    patient_in_new_york.delete()

    with time_machine.travel(now, tick=False):
        send_reminder.call(delivery_id=delivery_id)

    assert mail.outbox == []


# The job's cost.


def queries_of_one_job_run(patients, django_capture_on_commit_callbacks):
    for _ in range(patients):
        patient = UserFactory(email="someone@example.com")
        account_time_zone_set(user=patient, time_zone=NEW_YORK)
        turn_on(patient, ReminderKind.CHECK_IN, EIGHT, utc(2026, 1, 10, 0))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        with CaptureQueriesContext(connection) as queries:
            find_due_reminders(now=utc(2026, 1, 10, 13))
    assert len(queued) == patients
    return len(queries)


def test_one_job_run_makes_as_many_queries_for_30_due_patients_as_for_3(
    django_capture_on_commit_callbacks,
):
    for_3 = queries_of_one_job_run(3, django_capture_on_commit_callbacks)
    ReminderDelivery.objects.all().delete()
    Reminder.objects.all().delete()

    for_30 = queries_of_one_job_run(30, django_capture_on_commit_callbacks)

    assert for_3 == for_30
