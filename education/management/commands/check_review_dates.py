import sys

from django.core.management.base import BaseCommand

from education.review import reviews_due


class Command(BaseCommand):
    help = (
        "List articles whose medical review is overdue, missing or due within 30 days. "
        "Exits with status 1 when any is overdue or was never reviewed (for cron)."
    )

    def handle(self, *args, **options):
        due = reviews_due()
        if not due:
            self.stdout.write("No article is due for review in the next 30 days.")
            return
        for item in due:
            when = item.article.next_review_due or "no review date"
            self.stdout.write(f"{item.state.upper()}: {item.article.title} ({when})")
        if any(item.is_overdue for item in due):
            sys.exit(1)
