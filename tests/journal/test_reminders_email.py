"""A reminder e-mail names the reminder and links to the portal: a text and an HTML part, one-click
unsubscribe headers, a stable Message-ID, and no health data."""

import datetime

import pytest
import time_machine
from django.core import mail

from journal import reminders
from journal.accounts import account_time_zone_set
from journal.models import ReminderDelivery, ReminderKind
from journal.reminders import ReminderChoice
from journal.tasks import find_due_reminders, send_reminder
from tests.factories import JournalEntryFactory, QuestionnaireResponseFactory, UserFactory

pytestmark = pytest.mark.django_db

TURNED_ON = datetime.datetime(2026, 1, 1, 15, tzinfo=datetime.UTC)
# 10:00 in New York, 14 days after the questionnaires were turned on.
DUE = datetime.datetime(2026, 1, 15, 15, tzinfo=datetime.UTC)
ANSWERED = datetime.datetime(2026, 1, 10, 15, tzinfo=datetime.UTC)  # PHQ-9: not due yet
SECRET_NOTE = "I-told-nobody-about-this-day"


@pytest.fixture
def outbox(django_capture_on_commit_callbacks):
    """The e-mails of a PHQ-9 and GAD-7 reminder sent to a patient with a journal and scores."""
    patient = UserFactory(email="patient@example.com")
    account_time_zone_set(user=patient, time_zone="America/New_York")
    reminders.reminder_settings_set(
        user=patient,
        choices={
            ReminderKind.QUESTIONNAIRES: ReminderChoice(enabled=True, time_of_day=datetime.time(10))
        },
        quiet_start=None,
        quiet_end=None,
        now=TURNED_ON,
    )
    JournalEntryFactory(user=patient, date=datetime.date(2026, 1, 14), notes=SECRET_NOTE)
    QuestionnaireResponseFactory(
        user=patient, questionnaire="phq9", answers=[3] * 9, taken_at=ANSWERED
    )
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            find_due_reminders(now=DUE)
    return mail.outbox


def test_a_reminder_e_mail_has_a_plain_text_part_and_an_html_part(outbox):
    message = outbox[0]

    assert (message.body != "", [kind for _, kind in message.alternatives]) == (True, ["text/html"])


def test_a_reminder_e_mail_carries_the_one_click_unsubscribe_headers(outbox):
    message = outbox[0]

    assert (
        message.extra_headers["List-Unsubscribe"].startswith("<http"),
        message.extra_headers["List-Unsubscribe-Post"],
    ) == (True, "List-Unsubscribe=One-Click")


def test_the_unsubscribe_header_is_the_link_in_the_e_mail(outbox):
    message = outbox[0]

    assert message.extra_headers["List-Unsubscribe"].strip("<>") in message.body


def test_a_reminder_e_mail_holds_no_scores_and_no_notes(outbox):
    text = " ".join([outbox[0].body, outbox[0].alternatives[0][0], outbox[0].subject])

    assert (SECRET_NOTE in text, "score" in text.lower(), "severe" in text.lower()) == (
        False,
        False,
        False,
    )


def test_a_reminder_e_mail_names_only_the_reminder(outbox):
    assert [message.subject for message in outbox] == ["Time for your GAD-7 questionnaire"]


def test_a_reminder_e_mail_keeps_its_message_id_on_every_attempt(outbox):
    delivery = ReminderDelivery.objects.get()
    delivery.sent_at = None
    delivery.save()

    with time_machine.travel(DUE, tick=False):
        send_reminder.call(delivery_id=delivery.pk)

    assert outbox[0].extra_headers["Message-ID"] == outbox[1].extra_headers["Message-ID"]
