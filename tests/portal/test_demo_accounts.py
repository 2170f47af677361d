"""The demo accounts command gives a developer a patient and an editor to sign in with."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from education import review
from education.roles import CONTENT_EDITORS
from journal.models import CareConnection, CareScope, JournalEntry

pytestmark = pytest.mark.django_db


def create_demo_accounts():
    """Run the command and return the password it printed for each username."""
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    return dict(re.findall(r"username: (\S+)\s+password: (\S+)", out.getvalue()))


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


def test_the_demo_editor_can_open_the_admin(client):
    passwords = create_demo_accounts()
    client.post("/admin/login/", {"username": "editor", "password": passwords["editor"]})
    assert client.get("/admin/").status_code == 200


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
