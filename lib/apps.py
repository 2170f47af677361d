from django.apps import AppConfig


class LibConfig(AppConfig):
    """Infrastructure both apps use (caching, downloads, e-mail, the scheduler); it imports
    neither app. An app so that its management commands and template tags are found."""

    name = "lib"
    label = "lib"
    verbose_name = "Shared infrastructure"
