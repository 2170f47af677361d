from django.apps import AppConfig


class JournalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "journal"
    verbose_name = "Patient journal"

    def ready(self):
        from . import signals  # noqa: F401  (connects the journal-revision and login receivers)
