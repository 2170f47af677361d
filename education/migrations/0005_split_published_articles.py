"""Published articles get a live copy and a draft copy (see education.publishing)."""

from django.db import migrations


ITEM_MODELS = ["claim", "faq", "step", "providerquestion", "sideeffect", "testimonial"]


def _new_row(row, **values):
    """A new row with the same values as row (rendered HTML included), then the given ones."""
    row = type(row).objects.get(pk=row.pk)
    row.pk = row.id = None
    row._state.adding = True
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return row


def _split(apps, row, **draft_values):
    """The row goes live, keeping its id; a draft copy of it takes over its history."""
    model = type(row)
    model.objects.filter(pk=row.pk).update(is_live=True)
    draft = _new_row(row, is_live=False, **draft_values)
    model.objects.filter(pk=row.pk).update(draft=draft)
    history = apps.get_model("education", f"Historical{model._meta.object_name}")
    history.objects.filter(id=row.pk).update(id=draft.pk)
    return draft


def split_published_articles(apps, schema_editor):
    """Each published article's rows become its live copy, keeping their ids (the API and
    patients' journals refer to them); staff get a draft copy of each, with the history.
    Sources stay drafts, shared; each live article gets live copies of the sources it cites."""
    Article = apps.get_model("education", "Article")
    Section = apps.get_model("education", "Section")
    Article.objects.filter(status="in_review").update(review_state="in_review")
    for live in Article.objects.filter(status="published"):
        draft = _split(apps, live, medical_reviewer=None, last_reviewed=None, next_review_due=None)
        live_sources = {}

        def live_copies(sources, live=live, live_sources=live_sources):
            for source in sources:
                if source.pk not in live_sources:
                    live_sources[source.pk] = _new_row(
                        source, is_live=True, draft_id=source.pk, article_id=live.pk
                    )
                yield live_sources[source.pk]

        def split_with_sources(row, **draft_values):
            draft_row = _split(apps, row, **draft_values)
            if hasattr(row, "sources"):
                cited = list(row.sources.all())
                draft_row.sources.set(cited)
                row.sources.set(list(live_copies(cited)))
            return draft_row

        for section in Section.objects.filter(article=live):
            draft_section = split_with_sources(section, article=draft)
            for model_name in ITEM_MODELS:
                model = apps.get_model("education", model_name)
                for item in model.objects.filter(section=section):
                    split_with_sources(item, section=draft_section)


class Migration(migrations.Migration):
    dependencies = [("education", "0004_draft_and_live")]

    operations = [migrations.RunPython(split_published_articles, migrations.RunPython.noop)]
