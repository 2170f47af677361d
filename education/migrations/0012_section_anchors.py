"""Gives an anchor to every section saved without one (a heading with no letter or digit in it,
emoji only, made none), whose article page and focus mode could not be drawn."""

from django.db import migrations


def fill_blank_anchors(apps, schema_editor):
    Section = apps.get_model("education", "Section")
    for section in Section.objects.filter(anchor=""):
        taken = Section.objects.filter(article_id=section.article_id)
        anchor = f"section-{section.order}"
        if taken.filter(anchor=anchor).exists():
            anchor = f"section-{section.pk}"
        Section.objects.filter(pk=section.pk).update(anchor=anchor)


class Migration(migrations.Migration):
    dependencies = [("education", "0011_trim_seed_texts")]

    operations = [migrations.RunPython(fill_blank_anchors, migrations.RunPython.noop)]
