"""A checklist can be marked as the record of a past visit, and top questions come first: each
checklist's questions are numbered 1, 2, 3... again with its top questions first, as the rules
now always keep them."""

from django.db import migrations, models


def number_top_questions_first(apps, schema_editor):
    ChecklistItem = apps.get_model("journal", "ChecklistItem")
    Checklist = apps.get_model("journal", "Checklist")
    for checklist_id in Checklist.objects.values_list("pk", flat=True).iterator():
        items = ChecklistItem.objects.filter(checklist_id=checklist_id).order_by(
            "-is_top_priority", "position", "pk"
        )
        changed = []
        for number, item in enumerate(items, start=1):
            if item.position != number:
                item.position = number
                changed.append(item)
        ChecklistItem.objects.bulk_update(changed, ["position"])


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0011_one_journal_entry_per_date"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="checklistitem",
            options={"ordering": ["-is_top_priority", "position", "pk"]},
        ),
        migrations.AddField(
            model_name="checklist",
            name="is_past_visit",
            field=models.BooleanField(
                default=False, verbose_name="This is a record of a past visit"
            ),
        ),
        migrations.RunPython(number_top_questions_first, migrations.RunPython.noop),
    ]
