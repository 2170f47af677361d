from django.conf import settings
from django.core.management.base import BaseCommand

from education.loader import load_seed


class Command(BaseCommand):
    help = "Load the clinic's article. Safe to repeat: it never changes or restores edited content."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(settings.SEED_CONTENT_FILE))

    def handle(self, *args, file, **options):
        counts = load_seed(file)
        if counts:
            created = ", ".join(f"{number} {kind}" for kind, number in sorted(counts.items()))
            self.stdout.write(self.style.SUCCESS(f"Seed content loaded: {created}."))
        else:
            self.stdout.write("Seed content already loaded; nothing to add.")
