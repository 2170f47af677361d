"""Publishing: the one way content reaches the public.

Staff edit draft rows. When a medical reviewer approves an article (review.py), the whole draft
is stored as a Revision; at its go-live time the revision is copied into the article's live rows
(`publish_revision`). Nothing else may write a live row: `refuse_live_write` (connected in
signals.py) raises for any save or delete of one outside `writing_live_content()`.

A draft and its live copy are compared through `snapshot()`, which describes both in the draft's
ids, so the review screen's diff is exactly "what the public sees" against "what the draft says".

Scheduled go-lives and expiry dates are the scheduler's work: `publish_due_content()` runs on
every tick (education/tasks.py, every SCHEDULER_SECONDS), so each takes effect within a minute of
its time, and costs no query until something is due.
"""

import contextlib
import contextvars
import hashlib
import json
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from modeltranslation.translator import NotRegistered, translator

from lib import caching

from .models import (
    FAQ,
    Article,
    Claim,
    ProviderQuestion,
    Publishable,
    ReviewEvent,
    Revision,
    Section,
    SideEffect,
    Source,
    Step,
    Testimonial,
    evidence_problem,
)

# The items of an article, in reading order; each is keyed in a snapshot by its model name.
ITEM_MODELS = [Claim, FAQ, Step, ProviderQuestion, SideEffect, Testimonial]
NOT_CONTENT_FIELDS = {"id", "is_live", "draft", "article"}
COPIED_NOT_EDITED = {"es_translates"}

_writing_live = contextvars.ContextVar("writing_live", default=False)


@contextlib.contextmanager
def writing_live_content() -> Iterator[None]:
    """The only context in which live rows may be saved or deleted."""
    token = _writing_live.set(True)
    try:
        yield
    finally:
        _writing_live.reset(token)


def refuse_live_write(sender, instance, **kwargs):
    """pre_save, pre_delete and m2m_changed receiver for every publishable model."""
    if getattr(instance, "is_live", False) and not _writing_live.get():
        raise PermissionDenied("Live content changes only when a medical reviewer publishes it.")


def content_fields(model) -> list[models.Field]:
    """The fields staff edit, and so the fields a revision records and publishing copies.

    A translated text is its language columns (`answer_en`, `answer_es`): its un-suffixed column
    (`answer`, which modeltranslation reads in the active language) is not content of its own.
    Which English the Spanish translates (`es_translates`) goes live with the texts.
    """
    translated = set(translated_fields(model))
    return [
        field
        for field in model._meta.concrete_fields
        if (field.editable or field.name in COPIED_NOT_EDITED)
        and field.name not in NOT_CONTENT_FIELDS
        and field.name not in translated
    ]


def translated_fields(model) -> list[str]:
    """The un-suffixed names of the model's translated fields (education/translation.py)."""
    try:
        return list(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return []


def snapshot(article: Article) -> dict:
    """The article's content as JSON-ready data, keyed by draft ids.

    A draft is described by its own ids, a live copy by the ids of the drafts it was copied
    from, so a draft's snapshot and its live copy's compare field by field. Sections and items
    refer to their section and sources by those keys.
    """

    def key(row):
        return str(row.draft_id if row.is_live else row.pk)

    def values(row, model):
        data = {}
        for field in content_fields(model):
            if field.name == "section":
                data["section"] = key(row.section)
            elif field.is_relation:
                data[field.name] = getattr(row, field.attname)
            else:
                data[field.name] = field.value_from_object(row)
        if hasattr(row, "sources"):
            data["sources"] = sorted(key(source) for source in row.sources.all())
        return data

    sections = list(
        Section.objects.filter(article=article).prefetch_related(
            "sources",
            *[
                models.Prefetch(
                    f"{model._meta.model_name}s",
                    queryset=model.objects.select_related("section").prefetch_related(
                        *(["sources"] if hasattr(model, "sources") else [])
                    ),
                )
                for model in ITEM_MODELS
            ],
        )
    )
    data = {"article": values(article, Article), "source": {}, "section": {}}
    for model in ITEM_MODELS:
        data[model._meta.model_name] = {}
    for section in sections:
        data["section"][key(section)] = values(section, Section)
        cited = list(section.sources.all())
        for model in ITEM_MODELS:
            for item in getattr(section, f"{model._meta.model_name}s").all():
                data[model._meta.model_name][key(item)] = values(item, model)
                if hasattr(item, "sources"):
                    cited.extend(item.sources.all())
        for source in cited:
            data["source"][key(source)] = values(source, Source)
    # One JSON form for everything that is compared, stored or fingerprinted.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def fingerprint(content: dict) -> str:
    """A short stable digest of a snapshot: an approval names the draft the reviewer saw."""
    encoded = json.dumps(content, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def live_copy(article: Article) -> Article | None:
    return Article.objects.filter(is_live=True, draft=article).first()


def live_snapshot(article: Article) -> dict | None:
    live = live_copy(article)
    return snapshot(live) if live else None


def check_addresses_are_free(article: Article, content: dict) -> None:
    """Two published articles, or two published side effects, never share an address."""
    slug = content["article"]["slug"]
    if Article.objects.filter(is_live=True, slug=slug).exclude(draft=article).exists():
        raise ValidationError(
            gettext(
                "Another published article already uses the address /learn/%(slug)s/. Change "
                "this article's slug, or publish the other article's new address first."
            )
            % {"slug": slug}
        )
    slugs = [values["slug"] for values in content["sideeffect"].values()]
    taken = sorted(
        SideEffect.objects.filter(is_live=True, slug__in=slugs)
        .exclude(section__article__draft=article)
        .values_list("slug", flat=True)
    )
    if taken:
        raise ValidationError(
            gettext("Another published article already has a side effect with the slug %(slug)s.")
            % {"slug": taken[0]}
        )


def check_evidence_is_sourced(content: dict) -> None:
    """Nothing goes live with an evidence label that promises more than its sources show
    (models.evidence_problem), however the draft came to have it (a form, a revert)."""
    for model in [Section, *ITEM_MODELS]:
        for values in content.get(model._meta.model_name, {}).values():
            if "evidence_label" not in values:
                continue
            problem = evidence_problem(
                is_claim=model is Claim,
                label=values["evidence_label"],
                has_sources=bool(values["sources"]),
            )
            if problem:
                words = next(
                    (values[name] for name in ("heading_en", "question_en", "text_en")
                     if values.get(name)),
                    "",
                )  # fmt: skip
                raise ValidationError(
                    gettext("%(item)s “%(words)s”: %(problem)s")
                    % {
                        "item": str(model._meta.verbose_name).capitalize(),
                        "words": words[:80],
                        "problem": problem,
                    },
                    code="unsourced_label",
                )


@transaction.atomic
def publish_revision(revision: Revision, *, now=None) -> Article:
    """Copy an approved revision into the article's live rows, creating, updating and deleting
    them so the public sees exactly the revision. Live ids stay the same from one publication
    to the next (the API and patients' journals refer to them)."""
    now = now or timezone.now()
    content = revision.content
    draft = revision.article
    with writing_live_content():
        live = live_copy(draft) or Article(is_live=True, draft=draft)
        _assign(live, Article, content["article"])
        live.medical_reviewer = revision.reviewer
        live.last_reviewed = timezone.localdate(revision.approved_at) if revision.reviewer else None
        live.next_review_due = revision.next_review_due
        _save_live(live)

        sources = _sync(Source, Source.objects.filter(is_live=True, article=live),
                        content["source"], article=live)  # fmt: skip
        sections = _sync(Section, Section.objects.filter(article=live), content["section"],
                         sources=sources, article=live)  # fmt: skip
        for model in ITEM_MODELS:
            _sync(model, model.objects.filter(section__article=live),
                  content[model._meta.model_name], sources=sources, sections=sections)  # fmt: skip
    Revision.objects.filter(pk=revision.pk).update(published_at=now)
    caching.content_changed()
    return live


def _assign(row: Publishable, model, values: dict, sections=None) -> None:
    for field in content_fields(model):
        value = values.get(field.name)
        if field.name not in values and hasattr(field, "translated_field"):
            # a revision approved before the content was translated: its texts were English
            value = values.get(field.translated_field.name) if field.language == "en" else ""
        if field.name == "section":
            row.section = sections[value]
        elif field.is_relation:
            setattr(row, field.attname, value)
        else:
            setattr(row, field.attname, field.to_python(value))


def _save_live(row: Publishable) -> None:
    row.skip_history_when_saving = True  # the draft's history is the history staff read
    row.save()


def _sync(model, live_rows, entries: dict, sources=None, sections=None, **fixed) -> dict:
    """Make one kind of live row match a revision's entries; returns {draft key: live row}."""
    by_key = {str(row.draft_id): row for row in live_rows}
    for key in set(by_key) - set(entries):
        by_key.pop(key).delete()
    synced = {}
    for key, values in entries.items():
        row = by_key.get(key) or model(is_live=True, draft_id=int(key))
        for name, value in fixed.items():
            setattr(row, name, value)
        _assign(row, model, values, sections)
        _save_live(row)
        if "sources" in values:
            row.sources.set([sources[source_key] for source_key in values["sources"]])
        synced[key] = row
    return synced


@transaction.atomic
def unpublish(article: Article) -> None:
    """Take an article's live copy (and so its items and sources) out of public view now."""
    live = live_copy(article)
    if live is None:
        return
    with writing_live_content():
        for model in reversed(ITEM_MODELS):
            for row in model.objects.filter(section__article=live):
                row.delete()
        for row in [*Section.objects.filter(article=live), *live.live_sources.all(), live]:
            row.delete()
    caching.content_changed()


def next_content_change():
    """When public content next changes by itself (a scheduled go-live, an expiry), or None.
    One query."""
    go_lives = (
        Revision.objects.filter(published_at__isnull=True, cancelled_at__isnull=True)
        .order_by()
        .values_list("go_live_at", flat=True)
    )
    expiries = (
        Article.objects.filter(is_live=True, expires_at__gt=timezone.now())
        .order_by()
        .values_list("expires_at", flat=True)
    )
    return go_lives.union(expiries).order_by("go_live_at").first()


def publish_due_content(*, now=None) -> int:
    """Publish approvals whose go-live time has come and retire expired articles; returns how
    many approvals went live.

    It reads the database only when the content stamp moved since this process last looked, or
    when something is due; while the database is away it raises, and the next tick tries again.
    Two schedulers may find the same work due: each revision is claimed by one of them, and an
    expiry only moves the stamps.
    """
    now = now or timezone.now()
    due = caching.remembered_until_content_changes(
        "next-content-change", caching.content_stamp(), next_content_change
    )
    if due is None or due > now:
        return 0
    published = 0
    due_revisions = Revision.objects.filter(
        published_at__isnull=True, cancelled_at__isnull=True, go_live_at__lte=now
    ).select_related("article")
    for revision in due_revisions:
        try:
            with transaction.atomic():
                claimed = Revision.objects.filter(pk=revision.pk, published_at__isnull=True).update(
                    published_at=now
                )
                if claimed:
                    check_addresses_are_free(revision.article, revision.content)
                    publish_revision(revision, now=now)
                    _log(revision, ReviewEvent.Action.PUBLISHED, now)
                    published += 1
        except (ValidationError, IntegrityError) as error:
            Revision.objects.filter(pk=revision.pk).update(cancelled_at=now)
            reason = "; ".join(getattr(error, "messages", [str(error)]))
            _log(
                revision, ReviewEvent.Action.SCHEDULE_CANCELLED, now, f"Could not go live: {reason}"
            )
    caching.content_changed()  # an expiry passed, or the stamp must carry the next due time
    return published


def _log(revision: Revision, action: str, now, comment: str = "") -> None:
    ReviewEvent.objects.create(
        article=revision.article, action=action, revision=revision, created=now, comment=comment
    )
