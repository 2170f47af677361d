"""Site search over published content: full-text search on PostgreSQL, matching each word or its
stem on SQLite, so both find word variants (dissociation, dissociative)."""

import html
from dataclasses import dataclass

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from lib.i18n import lang_attribute

from .models import (
    FAQ,
    Claim,
    EvidenceLabel,
    ProviderQuestion,
    Section,
    SideEffect,
    Step,
    Testimonial,
)
from .render import render_markdown, without_items_marker

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50

# Each searchable model, the label its results carry, and its searched fields (Markdown, shown as
# plain text); the first field is the result's title.
SEARCHABLE = [
    (Section, _("Article section"), ["heading", "body"]),
    (FAQ, _("FAQ"), ["question", "answer"]),
    (Claim, _("Claim"), ["text"]),
    (SideEffect, _("Side effect"), ["name", "description", "management"]),
    (Step, _("Step"), ["title", "body"]),
    (ProviderQuestion, _("Question to ask"), ["text"]),
    (Testimonial, _("Patient story"), ["attribution", "quote", "reflection"]),
]
STEMMER = snowballstemmer.stemmer("english")
SPANISH_STEMMER = snowballstemmer.stemmer("spanish")


@dataclass
class SearchResult:
    kind: str
    title: str
    url: str
    snippet: str
    rank: float
    evidence_label: str = ""  # claims: their label; patient stories: always an individual's
    evidence_display: str = ""
    title_lang: str = ""  # lib.i18n.lang_attribute of the title, of the snippet's first text
    snippet_lang: str = ""


def clean_query(raw):
    """Strip what no database accepts (NUL) and cap the length, so any input is safe to search."""
    return " ".join((raw or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def _columns(fields):
    """(language, columns searched, text search configuration, stemmer) for the active language.

    On Spanish pages both the Spanish and the English columns are searched: an item with no
    Spanish yet is shown in English there, so its English words find it too."""
    english = ("en", [f"{field}_en" for field in fields], "english", STEMMER)
    if translation.get_language() == "es":
        return [("es", [f"{field}_es" for field in fields], "spanish", SPANISH_STEMMER), english]
    return [english]


def _matching(queryset, fields, query):
    if connection.vendor == "postgresql":
        vector = search_query = None
        for _language, columns, config, _stemmer in _columns(fields):
            each_vector = SearchVector(*columns, config=config)
            each_query = SearchQuery(query, search_type="websearch", config=config)
            vector = each_vector if vector is None else vector + each_vector
            search_query = each_query if search_query is None else search_query | each_query
        return (
            queryset.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(search=search_query)
            .order_by("-rank")
        )
    condition = Q()
    for word in query.split()[:10]:
        lookups = []
        for _language, columns, _config, stemmer in _columns(fields):
            variants = {word, stemmer.stemWord(word.lower())}
            lookups += [
                (f"{column}__icontains", variant) for column in columns for variant in variants
            ]
        condition &= Q(*lookups, _connector=Q.OR)
    return queryset.filter(condition)


def plain_text(markdown: str) -> str:
    """What a reader sees of staff Markdown: no link syntax, no tags, no entities, no marker of
    where a section's items go."""
    shown = without_items_marker(render_markdown(markdown))
    return " ".join(html.unescape(strip_tags(shown)).split())


def _result(obj, kind, fields):
    title = plain_text(getattr(obj, fields[0]))
    body = " ".join(plain_text(str(getattr(obj, field))) for field in fields[1:]) or title
    label = EvidenceLabel.INDIVIDUAL_EXPERIENCE if isinstance(obj, Testimonial) else ""
    if isinstance(obj, Claim):
        label = obj.evidence_label
    return SearchResult(
        kind=kind,
        title=title,
        url=obj.get_absolute_url(),
        snippet=Truncator(body).words(30),
        rank=getattr(obj, "rank", 0.0),
        evidence_label=label,
        evidence_display=EvidenceLabel(label).label if label else "",
        title_lang=lang_attribute(obj.shown_in(fields[0])),
        snippet_lang=lang_attribute(obj.shown_in(fields[1] if len(fields) > 1 else fields[0])),
    )


def search_content(raw_query):
    """Published sections and items matching the query, best first."""
    query = clean_query(raw_query)
    if not query:
        return []
    results = []
    for model, kind, fields in SEARCHABLE:
        related = "article" if model is Section else "section__article"
        matches = _matching(model.objects.public(), fields, query).select_related(related)
        results.extend(_result(obj, kind, fields) for obj in matches[:MAX_RESULTS])
    results.sort(key=lambda result: result.rank, reverse=True)
    return results[:MAX_RESULTS]
