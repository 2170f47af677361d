"""The demo accounts command gives a developer a patient and an editor to sign in with."""

import base64
import datetime
import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.oath import totp

from education import review
from education.roles import CONTENT_EDITORS
from journal.models import CareConnection, CareScope, JournalEntry

pytestmark = pytest.mark.django_db
# Two-factor codes change every 30 seconds: the clock stands still while a test reads one.
NOW = datetime.datetime(2026, 11, 30, 9, 0, 10, tzinfo=datetime.UTC)


def create_demo_accounts_output():
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def create_demo_accounts():
    """Run the command and return the password it printed for each username."""
    return dict(re.findall(r"username: (\S+)\s+password: (\S+)", create_demo_accounts_output()))


def printed_totp_secrets(output):
    return re.findall(r"TOTP secret: ([A-Z2-7]+)", output)


def current_code(secret):
    return f"{totp(base64.b32decode(secret)):06d}"


def test_the_command_creates_a_patient_who_is_not_staff():
    create_demo_accounts()
    patient = get_user_model().objects.get(username="patient")
    assert not patient.is_staff


def test_the_command_creates_an_editor_who_is_staff_in_the_content_editors_group():
    create_demo_accounts()
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff
    assert editor.groups.filter(name=CONTENT_EDITORS).exists()


def test_the_demo_editor_is_not_a_superuser():
    create_demo_accounts()
    assert not get_user_model().objects.get(username="editor").is_superuser


@pytest.mark.parametrize("username", ["patient", "editor"])
def test_the_printed_password_signs_the_demo_user_in(username):
    passwords = create_demo_accounts()
    assert get_user_model().objects.get(username=username).check_password(passwords[username])


@pytest.mark.parametrize("username", ["patient", "editor"])
def test_running_the_command_twice_leaves_the_latest_printed_password_working(username):
    create_demo_accounts()
    passwords = create_demo_accounts()
    assert get_user_model().objects.get(username=username).check_password(passwords[username])


def test_running_the_command_twice_keeps_one_account_per_demo_user():
    create_demo_accounts()
    create_demo_accounts()
    assert get_user_model().objects.filter(username__in=["patient", "editor"]).count() == 2


def test_the_command_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        create_demo_accounts()


def test_the_command_creates_nobody_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        create_demo_accounts()
    assert not get_user_model().objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_demo_editor_can_open_the_admin_with_the_printed_password_and_totp_secret(client):
    output = create_demo_accounts_output()
    password = dict(re.findall(r"username: (\S+)\s+password: (\S+)", output))["editor"]
    editor_secret = printed_totp_secrets(output)[0]
    client.post("/admin/login/", {"username": "editor", "password": password})
    client.post("/accounts/two-factor/verify/", {"code": current_code(editor_secret)})
    assert client.get("/admin/").status_code == 200


def test_each_demo_staff_account_gets_a_totp_secret_printed_and_the_patient_none():
    output = create_demo_accounts_output()
    assert len(printed_totp_secrets(output)) == 3  # editor, reviewer, clinician


def test_the_demo_totp_secrets_are_fresh_on_every_run():
    first = printed_totp_secrets(create_demo_accounts_output())
    second = printed_totp_secrets(create_demo_accounts_output())
    assert set(first).isdisjoint(second)


@time_machine.travel(NOW, tick=False)
def test_the_totp_code_command_prints_the_code_the_demo_editor_can_sign_in_with():
    editor_secret = printed_totp_secrets(create_demo_accounts_output())[0]
    out = io.StringIO()
    call_command("totp_code", "editor", stdout=out)
    assert out.getvalue().split()[0] == current_code(editor_secret)


def test_the_totp_code_command_refuses_to_run_in_production(settings):
    create_demo_accounts()
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("totp_code", "editor", stdout=io.StringIO())


def test_the_demo_reviewer_can_publish_with_a_named_and_credentialed_profile(seeded):
    create_demo_accounts()
    reviewer = get_user_model().objects.get(username="reviewer")
    assert str(review.reviewer_profile(reviewer)) == "Demo Reviewer, MD (demo account)"


def test_the_demo_patient_has_an_e_mail_address_for_reminders():
    create_demo_accounts()

    assert get_user_model().objects.get(username="patient").email


def test_the_demo_reviewer_has_an_e_mail_address_for_review_notices():
    create_demo_accounts()

    assert get_user_model().objects.get(username="reviewer").email


def test_the_demo_patient_has_every_reminder_off():
    create_demo_accounts()

    patient = get_user_model().objects.get(username="patient")
    assert not patient.reminders.filter(enabled=True).exists()


def test_the_demo_patient_has_today_left_to_check_in():
    create_demo_accounts()

    patient = get_user_model().objects.get(username="patient")
    assert not JournalEntry.objects.filter(user=patient, date=timezone.localdate()).exists()


def test_the_demo_patient_shares_every_scope_with_the_demo_clinic():
    create_demo_accounts()

    connection = CareConnection.objects.get(user__username="patient", withdrawn_at=None)
    assert (connection.clinic.name, connection.scopes) == ("Demo Clinic", CareScope.values)


def test_running_the_command_again_keeps_one_demo_connection():
    create_demo_accounts()
    create_demo_accounts()

    assert CareConnection.objects.filter(user__username="patient").count() == 1


def test_the_command_prints_the_demo_clinics_invitation_code():
    out = io.StringIO()

    call_command("create_demo_accounts", stdout=out)

    assert "invitation code DEMO2345" in out.getvalue()
