"""Loads the clinic's seed article into the database without ever undoing an editor's work.

Each seed item gets a stable key. An item is created only if its key was never loaded, so running
the loader again adds what is new in the seed and leaves edited or deleted content alone.

A text the seed gained after its section or side effect was first loaded (key points, when to
get help now) is filled in once, where the draft's field is still blank.

Everything is loaded as drafts. On the first load, an article marked `status = "published"` is
published as imported: public, and named on its page as not yet medically reviewed. Items a
later load adds to an existing article wait for medical review like any other change.
"""

import tomllib
from collections import Counter

from django.db import transaction

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


@transaction.atomic
def load_seed(path):
    """Load the TOML seed at path; return a Counter of what was created, by kind."""
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
    _create_once(slug, Article, counts, "articles", author=author, **article_fields)
    article = Article.objects.drafts().filter(slug=slug).first()
    if article is None:
        return counts
    first_load = counts["articles"] == 1

    for position, section_fields in enumerate(seed.get("sections", []), start=1):
        section_fields = dict(section_fields)
        items = {kind: section_fields.pop(kind, []) for kind in ITEM_MODELS}
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
        for kind, model in ITEM_MODELS.items():
            for index, item_fields in enumerate(items[kind], start=1):
                _create_once(
                    f"{section_key}/{kind}/{index}", model, counts, kind,
                    section=section, order=index * 10, **item_fields,
                )  # fmt: skip
        for item_fields in items["side_effects"]:
            later = {name: item_fields.get(name, "") for name in LATER_SIDE_EFFECT_FIELDS}
            side_effect = section.sideeffects.filter(slug=item_fields["slug"]).first()
            key = f"{slug}/side-effects/{item_fields['slug']}/later-texts"
            _fill_once(key, side_effect, counts, later)
    if first_load and publish_on_first_load:
        review.import_unreviewed(article=article)
    return counts
