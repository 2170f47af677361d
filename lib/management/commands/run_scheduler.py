from django.core.management.base import BaseCommand

from lib import scheduler


class Command(BaseCommand):
    help = "Finds due work (reminders, publications, review notices) and queues it, every minute."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one tick, then stop.")
        parser.add_argument("--seconds", type=float, help="Seconds between ticks.")

    def handle(self, *args, once, seconds, **options):
        if once:
            for name, answer in scheduler.run_jobs().items():
                self.stdout.write(f"{name}: {answer}")
        else:
            scheduler.run_forever(seconds=seconds)
