"""A checklist question copied from a clinic question saved with a line break or tab, before
clinic questions were held to one line (education 0013), made one line as that question was
(lib.validators.on_one_line): the text failed the checklist's own one-line rule, so saving the
patient's answer to it, or the clinician's, was refused over words nobody there typed. Any other
question's text that is not one line is made one line the same way, for the same reason."""

import lib.validators
from django.db import migrations


def texts_on_one_line(apps, schema_editor):
    ChecklistItem = apps.get_model("journal", "ChecklistItem")
    for item in ChecklistItem.objects.only("pk", "text").iterator():
        text = lib.validators.on_one_line(item.text)
        if text != item.text:
            ChecklistItem.objects.filter(pk=item.pk).update(text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0020_monitor_number_ranges"),
        ("education", "0013_provider_question_text_on_one_line"),
    ]

    operations = [migrations.RunPython(texts_on_one_line, migrations.RunPython.noop)]
