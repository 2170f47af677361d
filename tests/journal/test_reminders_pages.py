"""The reminders page (/journal/reminders/) and the e-mail's unsubscribe link."""

import datetime

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from journal import reminders
from journal.accounts import account_time_zone_set
from journal.models import Reminder, ReminderKind
from journal.reminders import ReminderChoice
from journal.tasks import find_due_reminders
from tests.factories import UserFactory
from tests.helpers import alert_texts, field_html, form_data, visible_text

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 10, 0, tzinfo=datetime.UTC)
EIGHT_IN_NEW_YORK = datetime.datetime(2026, 1, 10, 13, tzinfo=datetime.UTC)


@pytest.fixture
def patient(db):
    patient = UserFactory(email="patient@example.com")
    account_time_zone_set(user=patient, time_zone="Europe/Madrid")
    return patient


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient)
    return client


def page_form(client):
    html = client.get(reverse("journal:reminders")).content.decode()
    return form_data(html, "reminders-form")


def test_the_reminders_page_says_which_time_zone_the_times_are_in(signed_in):
    response = signed_in.get(reverse("journal:reminders"))

    assert "Times are in Europe/Madrid; change it on My account." in visible_text(
        response.content.decode()
    )


def test_every_reminder_is_off_until_the_patient_turns_it_on(signed_in):
    data = page_form(signed_in)

    assert [name for name in data if name.endswith("_enabled")] == []


def test_saving_the_page_turns_a_reminder_on_at_its_time(signed_in, patient):
    data = {**page_form(signed_in), "check_in_enabled": "on", "check_in_time": "07:30"}

    signed_in.post(reverse("journal:reminders"), data)

    reminder = Reminder.objects.get(user=patient, kind=ReminderKind.CHECK_IN)
    assert (reminder.enabled, reminder.time_of_day) == (True, datetime.time(7, 30))


@time_machine.travel(NOW, tick=False)
def test_saving_the_page_sets_when_the_reminder_is_next_due(signed_in, patient):
    data = {**page_form(signed_in), "check_in_enabled": "on", "check_in_time": "09:30"}

    signed_in.post(reverse("journal:reminders"), data)

    reminder = Reminder.objects.get(user=patient, kind=ReminderKind.CHECK_IN)
    assert reminder.next_due_at == datetime.datetime(2026, 1, 10, 8, 30, tzinfo=datetime.UTC)


def test_quiet_hours_with_one_time_missing_are_refused_beside_the_field(signed_in):
    data = {**page_form(signed_in), "quiet_end": ""}

    response = signed_in.post(reverse("journal:reminders"), data)

    assert reminders.QUIET_PAIR in field_html(response.content.decode(), "quiet_end")


def test_quiet_hours_with_one_time_missing_are_in_the_error_summary(signed_in):
    data = {**page_form(signed_in), "quiet_end": ""}

    response = signed_in.post(reverse("journal:reminders"), data)

    assert reminders.QUIET_PAIR in alert_texts(response.content.decode())[0]


def test_quiet_hours_that_end_when_they_start_are_refused(signed_in):
    data = {**page_form(signed_in), "quiet_start": "22:00", "quiet_end": "22:00"}

    response = signed_in.post(reverse("journal:reminders"), data)

    assert reminders.QUIET_EMPTY in visible_text(field_html(response.content.decode(), "quiet_end"))


def test_a_bad_time_is_named_after_its_reminder_in_the_error_summary(signed_in):
    data = {**page_form(signed_in), "check_in_enabled": "on", "check_in_time": "25:00"}

    response = signed_in.post(reverse("journal:reminders"), data)

    assert "Daily check-in: time" in alert_texts(response.content.decode())[0]


def test_a_reminder_turned_off_needs_no_time_and_keeps_the_one_it_had(signed_in, patient):
    data = {**page_form(signed_in), "questionnaires_time": "", "visit_prep_time": ""}

    response = signed_in.post(reverse("journal:reminders"), data)

    assert response.status_code == 302
    times = Reminder.objects.filter(user=patient).values_list("time_of_day", flat=True)
    assert None not in times


def test_a_reminder_turned_on_without_a_time_is_refused_beside_it(signed_in):
    data = {**page_form(signed_in), "check_in_enabled": "on", "check_in_time": ""}

    response = signed_in.post(reverse("journal:reminders"), data)

    assert "Choose a time for this reminder, or turn it off." in field_html(
        response.content.decode(), "check_in_time"
    )


def test_the_page_says_so_when_the_account_has_no_e_mail_address(client):
    client.force_login(UserFactory(email=""))

    response = client.get(reverse("journal:reminders"))

    assert "no reminder can reach you" in visible_text(response.content.decode())


def test_the_journal_menu_links_to_the_reminders_page(signed_in):
    response = signed_in.get(reverse("journal:dashboard"))

    assert f'href="{reverse("journal:reminders")}"' in response.content.decode()


def test_my_account_links_to_the_reminders_page(signed_in):
    response = signed_in.get(reverse("account_settings"))

    assert f'href="{reverse("journal:reminders")}"' in response.content.decode()


# The unsubscribe link.


@pytest.fixture
def check_in(patient):
    """A daily check-in at 08:00 in New York."""
    account_time_zone_set(user=patient, time_zone="America/New_York")
    reminders.reminder_settings_set(
        user=patient,
        choices={ReminderKind.CHECK_IN: ReminderChoice(enabled=True, time_of_day=datetime.time(8))},
        quiet_start=None,
        quiet_end=None,
        now=NOW,
    )
    return Reminder.objects.get(user=patient, kind=ReminderKind.CHECK_IN)


def off_url(reminder):
    return reverse("reminder_off", args=[reminders.unsubscribe_token(reminder)])


def tick(now, capture):
    with time_machine.travel(now, tick=False):
        with capture(execute=True):
            find_due_reminders(now=now)


def test_a_one_click_post_to_the_unsubscribe_link_stops_the_reminder(
    client, check_in, django_capture_on_commit_callbacks
):
    client.post(off_url(check_in), {"List-Unsubscribe": "One-Click"})

    tick(EIGHT_IN_NEW_YORK, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_one_click_post_needs_no_csrf_token_and_no_login(check_in):
    response = Client(enforce_csrf_checks=True).post(off_url(check_in))

    assert response.status_code == 200


def test_opening_the_unsubscribe_link_stops_the_reminder(
    client, check_in, django_capture_on_commit_callbacks
):
    client.get(off_url(check_in))

    tick(EIGHT_IN_NEW_YORK, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_unsubscribe_page_says_the_reminder_is_off(client, check_in):
    response = client.get(off_url(check_in))

    assert "You will get no more e-mails for “Daily check-in”" in visible_text(
        response.content.decode()
    )


def test_the_unsubscribe_page_turns_the_reminder_back_on_with_one_button(client, check_in):
    client.get(off_url(check_in))

    client.post(reverse("reminder_on", args=[reminders.unsubscribe_token(check_in)]))

    check_in.refresh_from_db()
    assert check_in.enabled


def test_the_unsubscribe_page_links_to_the_reminders_page(client, check_in):
    response = client.get(off_url(check_in))

    assert f'href="{reverse("journal:reminders")}"' in response.content.decode()


def test_a_tampered_unsubscribe_link_is_a_clear_400_page(client, check_in):
    token = reminders.unsubscribe_token(check_in)

    response = client.get(reverse("reminder_off", args=[token[:-2] + "xx"]))

    assert (response.status_code, "This link is not valid" in response.content.decode()) == (
        400,
        True,
    )


def test_a_tampered_unsubscribe_link_turns_nothing_off(client, check_in):
    token = reminders.unsubscribe_token(check_in)

    client.post(reverse("reminder_off", args=[token[:-2] + "xx"]))

    check_in.refresh_from_db()
    assert check_in.enabled


def test_a_signature_made_for_something_else_is_refused(client, check_in):
    token = signing.dumps(check_in.pk)  # the default salt, as another feature would sign

    response = client.get(reverse("reminder_off", args=[token]))

    assert response.status_code == 400


def test_the_bad_request_warning_shows_the_unsubscribe_link_hidden(client, check_in, request_logs):
    token = reminders.unsubscribe_token(check_in)

    client.get(reverse("reminder_off", args=[token[:-2] + "xx"]))

    bad = [record.getMessage() for record in request_logs.records if record.levelname == "WARNING"]
    assert bad == ["Bad Request: /reminders/[hidden]/off/"]
