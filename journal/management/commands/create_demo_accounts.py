import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from education.models import Contributor
from education.roles import ensure_content_editors_group, ensure_medical_reviewers_group
from journal.care.rules import ensure_clinicians_group
from journal.demo import connect_demo_clinic, create_demo_alert, create_demo_journal
from lib.two_factor import replace_authenticator, secret_in_base32

# username, staff, role group (a function that ensures it exists), what it is for
DEMO_ACCOUNTS = [
    ("patient", False, None, "a patient with 60 days of journal data and an appointment"),
    ("editor", True, ensure_content_editors_group, "a clinic editor (admin at /admin/)"),
    ("reviewer", True, ensure_medical_reviewers_group, "a medical reviewer who can publish"),
    ("clinician", True, ensure_clinicians_group, "a clinician of Demo Clinic (at /clinic/)"),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) demo accounts for a patient, an editor, a medical reviewer and a "
        "clinician."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are never created with DJANGO_ENV=production.")
        self.stdout.write("Demo accounts (development only; passwords change on every run):")
        for username, is_staff, ensure_group, purpose in DEMO_ACCOUNTS:
            user, password = self._reset(username, is_staff)
            if ensure_group:
                user.groups.set([ensure_group()])
            self.stdout.write(
                f"  {username:<9} username: {username:<9} password: {password}  ({purpose})"
            )
            if is_staff:
                self._print_authenticator(user)
        # Pages name their medical reviewer with credentials, so publishing needs a profile.
        Contributor.objects.update_or_create(
            user=get_user_model().objects.get(username="reviewer"),
            defaults={"name": "Demo Reviewer", "credentials": "MD (demo account)"},
        )
        patient = get_user_model().objects.get(username="patient")
        if create_demo_journal(patient):
            self.stdout.write("The demo patient has 60 days of journal data and an appointment.")
        clinic = connect_demo_clinic(patient)
        clinic.clinicians.add(get_user_model().objects.get(username="clinician"))
        self.stdout.write(
            f"The demo patient shares everything with {clinic} (invitation code "
            f"{clinic.invitation_code}): see /journal/care-team/."
        )
        if create_demo_alert(patient):
            self.stdout.write("The demo clinic has an open safety alert for the demo patient.")

    def _print_authenticator(self, user):
        """Staff sign in with a second factor: a fresh secret on every run, printed to type
        into an authenticator app (or `totp_code` prints the current code)."""
        device = replace_authenticator(user=user)
        self.stdout.write(
            f"            TOTP secret: {secret_in_base32(device)}  (type it into an authenticator "
            f"app, or run `.venv/bin/python manage.py totp_code {user.username}` to get the "
            f"current code)\n            {device.config_url}"
        )

    def _reset(self, username, is_staff):
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = is_staff
        # Somewhere for e-mails to go (printed by `make run`'s worker): the patient's reminders
        # once turned on (all start off), the editor's and the reviewer's review notices.
        user.email = user.email or f"{username}@example.com"
        user.set_password(password)
        user.save()
        return user, password
