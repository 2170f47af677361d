"""A clinic question's text is one line (lib.validators.OneLineValidator), in English and in
Spanish, as the checklist item a patient copies it to: a text saved before the rule, in drafts and
live copies alike, has each line break or tab made one space (lib.validators.on_one_line), so a
copy of it can no longer block the patient's answer. A Spanish that matched the English still does.
The history keeps the texts as they were."""

import hashlib
import json

import lib.validators
from django.db import migrations, models


def english_digest(text_en):
    """Translatable.english_digest of a ProviderQuestion, whose only translated text is
    its text."""
    encoded = json.dumps({"text": text_en or ""}, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def texts_on_one_line(apps, schema_editor):
    ProviderQuestion = apps.get_model("education", "ProviderQuestion")
    texts = ["text", "text_en", "text_es"]
    for question in ProviderQuestion.objects.only("pk", "es_translates", *texts).iterator():
        changed = {}
        for name in texts:
            value = getattr(question, name)
            if value and lib.validators.on_one_line(value) != value:
                changed[name] = lib.validators.on_one_line(value)
        if "text_en" in changed and question.es_translates == english_digest(question.text_en):
            changed["es_translates"] = english_digest(changed["text_en"])
        if changed:
            ProviderQuestion.objects.filter(pk=question.pk).update(**changed)


class Migration(migrations.Migration):

    dependencies = [
        ('education', '0012_section_anchors'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalproviderquestion',
            name='text',
            field=models.CharField(max_length=300, validators=[lib.validators.OneLineValidator()]),
        ),
        migrations.AlterField(
            model_name='historicalproviderquestion',
            name='text_en',
            field=models.CharField(max_length=300, null=True, validators=[lib.validators.OneLineValidator()]),
        ),
        migrations.AlterField(
            model_name='historicalproviderquestion',
            name='text_es',
            field=models.CharField(max_length=300, null=True, validators=[lib.validators.OneLineValidator()]),
        ),
        migrations.AlterField(
            model_name='providerquestion',
            name='text',
            field=models.CharField(max_length=300, validators=[lib.validators.OneLineValidator()]),
        ),
        migrations.AlterField(
            model_name='providerquestion',
            name='text_en',
            field=models.CharField(max_length=300, null=True, validators=[lib.validators.OneLineValidator()]),
        ),
        migrations.AlterField(
            model_name='providerquestion',
            name='text_es',
            field=models.CharField(max_length=300, null=True, validators=[lib.validators.OneLineValidator()]),
        ),
        migrations.RunPython(texts_on_one_line, migrations.RunPython.noop),
    ]
