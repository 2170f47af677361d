"""Site search over published content: full-text search on PostgreSQL, plain matching on SQLite."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .models import FAQ, Claim, ProviderQuestion, Section, SideEffect, Step, Testimonial

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50

# Each searchable model and its searched fields; the first field is the result's title.
SEARCHABLE = [
    (Section, ["heading", "body"]),
    (FAQ, ["question", "answer"]),
    (Claim, ["text"]),
    (SideEffect, ["name", "description", "management"]),
    (Step, ["title", "body"]),
    (ProviderQuestion, ["text"]),
    (Testimonial, ["attribution", "quote", "reflection"]),
]


@dataclass
class SearchResult:
    title: str
    url: str
    snippet: str
    rank: float


def clean_query(raw):
    """Strip what no database accepts (NUL) and cap the length, so any input is safe to search."""
    return " ".join((raw or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def _matching(queryset, fields, query):
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(search=search_query)
            .order_by("-rank")
        )
    condition = Q()
    for word in query.split()[:10]:
        condition &= Q(*[(f"{field}__icontains", word) for field in fields], _connector=Q.OR)
    return queryset.filter(condition)


def _result(obj, fields):
    title = getattr(obj, fields[0])
    body = " ".join(str(getattr(obj, field)) for field in fields[1:]) or title
    if isinstance(obj, Section):
        body = strip_tags(obj.body_html)
    return SearchResult(
        title=title,
        url=obj.get_absolute_url(),
        snippet=Truncator(body).words(30),
        rank=getattr(obj, "rank", 0.0),
    )


def search_content(raw_query):
    """Published sections and items matching the query, best first."""
    query = clean_query(raw_query)
    if not query:
        return []
    results = []
    for model, fields in SEARCHABLE:
        related = "article" if model is Section else "section__article"
        matches = _matching(model.objects.public(), fields, query).select_related(related)
        results.extend(_result(obj, fields) for obj in matches[:MAX_RESULTS])
    results.sort(key=lambda result: result.rank, reverse=True)
    return results[:MAX_RESULTS]
