"""Loads the clinic's seed article into the database without ever undoing an editor's work.

Each seed item gets a stable key. An item is created only if its key was never loaded, so running
the loader again adds what is new in the seed and leaves edited or deleted content alone.

A text the seed gained after its section or side effect was first loaded (key points, when to
get help now) is filled in once, where the draft's field is still blank.

Spanish: a key ending in `_es` beside an English key (`question_es` beside `question`) is that
text's Spanish (education/translation.py). On the first load it is published with the English and
marked as translating it. A database that loaded the seed before it had Spanish gets each Spanish
text once, where the draft's Spanish is still blank (`_fill_spanish_once`): a pending change for
medical review like any edit, marked as translating the seed's English (so it shows as out of date
where an editor has changed the English since).

Everything is loaded as drafts. On the first load, an article marked `status = "published"` is
published as imported: public, and named on its page as not yet medically reviewed. Items a
later load adds to an existing article wait for medical review like any other change.
"""

import tomllib
from collections import Counter

from django.db import transaction
from django.utils import translation

from . import review
from .models import (
    FAQ,
    Article,
    Claim,
    Contributor,
    LoadedSeedItem,
    ProviderQuestion,
    Section,
    SideEffect,
    Step,
    Testimonial,
)

ITEM_MODELS = {
    "claims": Claim,
    "faqs": FAQ,
    "steps": Step,
    "questions": ProviderQuestion,
    "side_effects": SideEffect,
    "testimonials": Testimonial,
}
# Texts the seed gained after its first release: an existing draft gets them once (`_fill_once`).
LATER_SECTION_FIELDS = ["key_points"]
LATER_SIDE_EFFECT_FIELDS = ["get_help_now"]


def _create_once(key, model, counts, label, **fields):
    if LoadedSeedItem.objects.filter(key=key).exists():
        return
    model.objects.create(**fields)
    LoadedSeedItem.objects.create(key=key)
    counts[label] += 1


def _fill_once(key, row, counts, fields):
    """Gives a row loaded before the seed had these texts the ones still blank in its draft, once:
    on a published article they are a pending change for medical review like any edit."""
    if row is None or LoadedSeedItem.objects.filter(key=key).exists():
        return
    blank = {name: value for name, value in fields.items() if value and not getattr(row, name)}
    if blank:
        for name, value in blank.items():
            setattr(row, name, value)
        row.save()
        counts["texts filled in"] += 1
    LoadedSeedItem.objects.create(key=key)


def _known(model, fields: dict) -> dict:
    """The seed's keys without a Spanish the model does not translate (kept out, not an error),
    each text trimmed as the admin's forms trim what they save: a multi-line TOML string ends in
    a line break, and a first save would otherwise show every such text as changed."""
    translated = set(model.translated_texts())
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in fields.items()
        if not name.endswith("_es") or name[: -len("_es")] in translated
    }


def _spanish(fields: dict) -> dict:
    """The seed's Spanish texts among an item's keys: {"question_es": "..."}."""
    return {name: value for name, value in fields.items() if name.endswith("_es")}


def _fill_spanish_once(key, row, counts, seed_fields):
    """Gives a draft loaded before the seed had Spanish the seed's Spanish texts still blank in
    it, once. They translate the seed's English: if an editor changed the English since, the
    Spanish shows as out of date."""
    spanish = _spanish(seed_fields)
    if row is None or not spanish or LoadedSeedItem.objects.filter(key=key).exists():
        return
    blank = {name: value for name, value in spanish.items() if value and not getattr(row, name)}
    if blank:
        for name, value in blank.items():
            setattr(row, name, value)
        english = {name[: -len("_es")]: seed_fields.get(name[: -len("_es")]) for name in spanish}
        seed_english = all(
            (getattr(row, f"{name}_en") or "").strip() == (value or "").strip()
            for name, value in english.items()
        )
        row._saved_spanish = row.texts("es")  # saving must not take it as the editors' Spanish
        row.es_translates = row.english_digest() if seed_english else "seed"
        row.save()
        counts["Spanish texts filled in"] += 1
    LoadedSeedItem.objects.create(key=key)


def _matching_item(rows, model, fields: dict):
    """The draft item a seed entry created, found by its English texts (None if an editor
    changed them: their version stays as it is)."""
    english = {f"{name}_en": fields[name] for name in model.translated_texts() if fields.get(name)}
    return next(
        (
            row
            for row in rows
            if all((getattr(row, name) or "") == value for name, value in english.items())
        ),
        None,
    )


@transaction.atomic
def load_seed(path):
    """Load the TOML seed at path; return a Counter of what was created, by kind."""
    with translation.override("en"):  # un-suffixed keys are the English texts
        return _load_seed(path)


def _load_seed(path):
    with open(path, "rb") as seed_file:
        seed = tomllib.load(seed_file)
    counts = Counter()
    article_fields = dict(seed["article"])
    slug = article_fields["slug"]
    publish_on_first_load = article_fields.pop("status", "") == "published"
    author_name = article_fields.pop("author")
    _create_once(
        f"contributor/{author_name}", Contributor, counts, "contributors", name=author_name
    )
    author = Contributor.objects.filter(name=author_name).first()
    article_fields = _known(Article, article_fields)
    _create_once(slug, Article, counts, "articles", author=author, **article_fields)
    article = Article.objects.drafts().filter(slug=slug).first()
    if article is None:
        return counts
    first_load = counts["articles"] == 1
    _fill_spanish_once(f"{slug}/spanish", article, counts, article_fields)

    for position, section_fields in enumerate(seed.get("sections", []), start=1):
        section_fields = dict(section_fields)
        items = {kind: section_fields.pop(kind, []) for kind in ITEM_MODELS}
        section_fields = _known(Section, section_fields)
        anchor = section_fields["anchor"]
        section_key = f"{slug}/{anchor}"
        _create_once(
            section_key, Section, counts, "sections",
            article=article, order=position * 10, **section_fields,
        )  # fmt: skip
        section = article.sections.filter(anchor=anchor).first()
        if section is None:
            continue
        later = {name: section_fields.get(name, "") for name in LATER_SECTION_FIELDS}
        _fill_once(f"{section_key}/later-texts", section, counts, later)
        _fill_spanish_once(f"{section_key}/spanish", section, counts, section_fields)
        for kind, model in ITEM_MODELS.items():
            for index, item_fields in enumerate(items[kind], start=1):
                item_fields = _known(model, item_fields)
                item_key = f"{section_key}/{kind}/{index}"
                if LoadedSeedItem.objects.filter(key=item_key).exists():
                    rows = model.objects.filter(section=section)
                    item = _matching_item(rows, model, item_fields)
                    _fill_spanish_once(f"{item_key}/spanish", item, counts, item_fields)
                    continue
                _create_once(
                    item_key, model, counts, kind,
                    section=section, order=index * 10, **item_fields,
                )  # fmt: skip
                if _spanish(item_fields):  # loaded with its Spanish: nothing to fill in later
                    LoadedSeedItem.objects.get_or_create(key=f"{item_key}/spanish")
        for item_fields in items["side_effects"]:
            later = {name: item_fields.get(name, "") for name in LATER_SIDE_EFFECT_FIELDS}
            side_effect = section.sideeffects.filter(slug=item_fields["slug"]).first()
            key = f"{slug}/side-effects/{item_fields['slug']}/later-texts"
            _fill_once(key, side_effect, counts, later)
    if first_load and publish_on_first_load:
        review.import_unreviewed(article=article)
    return counts
