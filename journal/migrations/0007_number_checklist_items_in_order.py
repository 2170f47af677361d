"""Numbers every checklist's questions 1, 2, 3... in their order, as the server now always does:
an older version let a client store any position, and one at the database's largest integer made
the next question's position overflow (a 500 on adding or building)."""

from django.db import migrations


def number_items_in_order(apps, schema_editor):
    ChecklistItem = apps.get_model("journal", "ChecklistItem")
    Checklist = apps.get_model("journal", "Checklist")
    for checklist_id in Checklist.objects.values_list("pk", flat=True).iterator():
        items = ChecklistItem.objects.filter(checklist_id=checklist_id).order_by("position", "pk")
        changed = []
        for number, item in enumerate(items, start=1):
            if item.position != number:
                item.position = number
                changed.append(item)
        ChecklistItem.objects.bulk_update(changed, ["position"])


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0006_delete_usersession"),
    ]

    operations = [
        migrations.RunPython(number_items_in_order, migrations.RunPython.noop),
    ]
