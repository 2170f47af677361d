import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from education.roles import ensure_content_editors_group
from journal.demo import create_demo_journal


class Command(BaseCommand):
    help = "Create (or reset) a demo patient and a demo clinic editor, and print their passwords."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are never created with DJANGO_ENV=production.")
        editors = ensure_content_editors_group()
        patient_password = self._reset("patient", is_staff=False)
        editor_password = self._reset("editor", is_staff=True)
        get_user_model().objects.get(username="editor").groups.add(editors)
        if create_demo_journal(get_user_model().objects.get(username="patient")):
            self.stdout.write("The demo patient's journal has 60 days of sample data.")
        self.stdout.write("Demo accounts (development only; passwords change on every run):")
        self.stdout.write(f"  patient  username: patient  password: {patient_password}")
        self.stdout.write(
            f"  editor   username: editor   password: {editor_password}  (admin at /admin/)"
        )

    def _reset(self, username, is_staff):
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        return password
