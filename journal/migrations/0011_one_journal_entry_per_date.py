"""One check-in per date: the entries a patient made on the same date become one, then the
database refuses a second. Per field the latest non-empty value is kept (latest: the one created
last), and every note is kept, joined oldest first; the other entries are deleted."""

from django.db import migrations, models
from django.db.models import Count

RATING_AND_SLEEP = ["focus", "hyperactivity", "impulsivity", "mood", "anxiety", "sleep_hours"]


def merge_into_latest(entries):
    """Merges same-date entries, oldest first, into the last one; returns the others."""
    keep, *_ = reversed(entries)
    for name in RATING_AND_SLEEP:
        values = [getattr(entry, name) for entry in entries if getattr(entry, name) is not None]
        setattr(keep, name, values[-1] if values else None)
    notes = [entry.notes.strip() for entry in entries if entry.notes.strip()]
    keep.notes = "\n\n".join(dict.fromkeys(notes))
    return [entry for entry in entries if entry is not keep]


def merge_same_day_entries(apps, schema_editor):
    JournalEntry = apps.get_model("journal", "JournalEntry")
    days = (
        JournalEntry.objects.values("user_id", "date")
        .annotate(entries=Count("id"))
        .filter(entries__gt=1)
    )
    for day in days.iterator():
        entries = list(
            JournalEntry.objects.filter(user_id=day["user_id"], date=day["date"]).order_by(
                "created", "pk"
            )
        )
        extra = merge_into_latest(entries)
        entries[-1].save()
        JournalEntry.objects.filter(pk__in=[entry.pk for entry in extra]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0010_account_preferences_time_zone"),
    ]

    operations = [
        migrations.RunPython(merge_same_day_entries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="journalentry",
            constraint=models.UniqueConstraint(
                fields=("user", "date"), name="one_journal_entry_per_date"
            ),
        ),
    ]
