"""Trims the texts the seed loader stored with a final line break (multi-line TOML strings), in
drafts and live copies alike, so an editor's first save in the admin, whose forms trim what they
save, no longer shows every such text as a change for review."""

from django.db import migrations, models

CONTENT_MODELS = [
    "Article", "Section", "Claim", "FAQ", "Step", "ProviderQuestion", "SideEffect", "Testimonial",
    "Source",
]  # fmt: skip


def trim_texts(apps, schema_editor):
    for name in CONTENT_MODELS:
        model = apps.get_model("education", name)
        texts = [
            field.name
            for field in model._meta.concrete_fields
            if field.editable and isinstance(field, models.CharField | models.TextField)
        ]
        for row in model.objects.only("pk", *texts).iterator():
            trimmed = {
                text: getattr(row, text).strip()
                for text in texts
                if isinstance(getattr(row, text), str)
                and getattr(row, text) != getattr(row, text).strip()
            }
            if trimmed:
                model.objects.filter(pk=row.pk).update(**trimmed)


class Migration(migrations.Migration):
    dependencies = [("education", "0010_content_translations")]

    operations = [migrations.RunPython(trim_texts, migrations.RunPython.noop)]
