"""What changed between two snapshots of an article (publishing.snapshot), for review screens.

Every changed field is shown whole, as a word-level diff: nothing is shortened, because a
reviewer approves the text itself. A long text is compared line by line first (word_diff).
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Article, Contributor, Section, Source
from .publishing import ITEM_MODELS, content_fields

# Each kind of row in a snapshot, in the order a reviewer reads them.
KINDS = {
    "article": Article,
    "section": Section,
    **{model._meta.model_name: model for model in ITEM_MODELS},
    "source": Source,
}
WORDS_AND_SPACES = re.compile(r"\s*\S+|\s+")  # each word with the space before it
LINES = re.compile(r"\n+|[^\n]+\n*")  # each line with the blank lines after it
# A word diff costs up to the square of its words (147 s for 60,000): beyond this many, in the
# two texts together, lines are compared first.
MAX_WORDS = 2000


def word_diff(old: str, new: str) -> SafeString:
    """The new text with deleted words in <del> and inserted words in <ins>, all escaped. A long
    text is compared line by line, then word by word within each changed run of lines; a run
    too long for that too is shown whole, deleted and inserted."""
    old_words, new_words = WORDS_AND_SPACES.findall(old), WORDS_AND_SPACES.findall(new)
    if len(old_words) + len(new_words) <= MAX_WORDS:
        return _diff(old_words, new_words, _marked)
    return _diff(LINES.findall(old), LINES.findall(new), _changed_lines)


def _diff(old_parts: list[str], new_parts: list[str], changed) -> SafeString:
    matcher = difflib.SequenceMatcher(a=old_parts, b=new_parts, autojunk=False)
    parts = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = "".join(old_parts[old_start:old_end])
        added = "".join(new_parts[new_start:new_end])
        if operation == "equal":
            parts.append(format_html("{}", added))
        else:
            parts.append(changed(removed, added))
    return mark_safe("".join(parts))


def _changed_lines(removed: str, added: str) -> SafeString:
    old_words, new_words = WORDS_AND_SPACES.findall(removed), WORDS_AND_SPACES.findall(added)
    if len(old_words) + len(new_words) <= MAX_WORDS:
        return _diff(old_words, new_words, _marked)
    return _marked(removed, added)


def _marked(removed: str, added: str) -> SafeString:
    parts = []
    if removed:
        parts.append(format_html("<del>{}</del>", removed))
    if added:
        parts.append(format_html("<ins>{}</ins>", added))
    return mark_safe("".join(parts))


@dataclass
class FieldChange:
    label: str
    old: str
    new: str

    @property
    def diff(self) -> SafeString:
        return word_diff(self.old, self.new)


@dataclass
class ItemChange:
    kind: str  # "FAQ", "Section", ...
    label: str  # the item's name, e.g. the FAQ's question
    action: str  # "added", "changed" or "removed"
    key: str  # "faq:12": the draft row, for a comment to refer to
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.kind} {self.action}: {self.label}"


class _Describer:
    """Turns a snapshot's stored values into the words a reviewer reads."""

    def __init__(self, snapshot: dict | None):
        self.snapshot = snapshot or {}
        self.contributors = {}

    def value(self, model, name: str, value) -> str:
        if value is None or value == "":
            return ""
        if name == "sources":
            return "; ".join(self.source_name(key) for key in value)
        if name == "section":
            return self.snapshot.get("section", {}).get(value, {}).get("heading", "")
        model_field = model._meta.get_field(name)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if name == "author":
            return self.contributor_name(value)
        if model_field.get_internal_type() == "DateTimeField":
            moment = timezone.localtime(parse_datetime(value))
            return f"{moment:%d %B %Y, %H:%M} ({timezone.get_current_timezone_name()})"
        return str(value)

    def source_name(self, key: str) -> str:
        values = self.snapshot.get("source", {}).get(key)
        return str(self.build(Source, values)) if values else "a removed source"

    def contributor_name(self, pk: int) -> str:
        if pk not in self.contributors:
            contributor = Contributor.objects.filter(pk=pk).first()
            self.contributors[pk] = str(contributor) if contributor else "a removed contributor"
        return self.contributors[pk]

    @staticmethod
    def build(model, values: dict):
        """An unsaved instance, for its __str__: the item's name as staff know it."""
        plain = {
            model_field.attname: values.get(model_field.name)
            for model_field in content_fields(model)
            if not model_field.is_relation
        }
        return model(**plain)


LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish")}


def field_label(model, name: str) -> str:
    """A field's name as staff read it: "Answer (Spanish)" for a translated text's column."""
    if name == "sources":
        return str(_("Sources"))
    if name == "es_translates":
        return str(_("Spanish translation"))
    model_field = model._meta.get_field(name)
    original = getattr(model_field, "translated_field", None)
    if original is None:
        return capfirst(model_field.verbose_name)
    language = LANGUAGE_NAMES.get(model_field.language, model_field.language)
    return f"{capfirst(original.verbose_name)} ({language})"


def spanish_status(model, values: dict | None) -> str:
    """The row's Spanish against its English, in words ("Translation out of date", ...)."""
    if not values:
        return ""
    row = _Describer.build(model, values)
    row.es_translates = values.get("es_translates") or ""
    return str(row.get_spanish_status_display())


def changes_between(old: dict | None, new: dict) -> list[ItemChange]:
    """Every item added, removed or changed from the old snapshot (None: never published) to
    the new one, each changed field whole."""
    old_words, new_words = _Describer(old), _Describer(new)
    changes = []
    for kind, model in KINDS.items():
        kind_name = capfirst(model._meta.verbose_name)
        if kind == "article":
            before = {"": old["article"]} if old else {}
            after = {"": new["article"]}
        else:
            before, after = (old or {}).get(kind, {}), new.get(kind, {})
        for key in [*after, *(key for key in before if key not in after)]:
            old_values, new_values = before.get(key), after.get(key)
            if old_values == new_values:
                continue
            fields = []
            names = [f.name for f in content_fields(model) if f.name != "es_translates"]
            if hasattr(model, "es_translates"):
                names.append("es_translates")  # the Spanish's standing, after the texts
            for name in [*names, "sources"]:
                if name == "sources" and not hasattr(model, "sources"):
                    continue
                if name == "es_translates":
                    old_text = spanish_status(model, old_values)
                    new_text = spanish_status(model, new_values)
                else:
                    old_text = old_words.value(model, name, (old_values or {}).get(name))
                    new_text = new_words.value(model, name, (new_values or {}).get(name))
                if old_text != new_text:
                    fields.append(FieldChange(field_label(model, name), old_text, new_text))
            if old_values and new_values and not fields:
                continue  # a difference no reader can see (a value stored in another form)
            action = (
                "added" if old_values is None else "removed" if new_values is None else "changed"
            )
            label = str(_Describer.build(model, new_values or old_values))
            changes.append(ItemChange(kind_name, label, action, f"{kind}:{key}", fields))
    return changes
