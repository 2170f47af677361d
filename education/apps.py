from django.apps import AppConfig


class EducationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "education"
    verbose_name = "Patient education content"

    def ready(self):
        from . import signals

        signals.connect_live_write_guard()
