"""Public, read-only content API: published content only, conditional GET, cacheable."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django_filters.rest_framework import DjangoFilterBackend, FilterSet, filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.filters import SearchFilter
from rest_framework.permissions import AllowAny

from lib import caching
from lib.converters import ID_PATTERN
from lib.i18n import LANGUAGE_PARAMETER
from portal.api import StrictBooleanFilter, StrictOrderingFilter

from .models import (
    FAQ,
    Article,
    ProviderQuestion,
    QuestionCategory,
    Section,
    SideEffect,
    Source,
)

# Every public endpoint answers in the language asked (lib.i18n.LanguageMiddleware activates it):
# each text is its Spanish when asked for Spanish and the item has a reviewed Spanish, else its
# English. The answer's Content-Language names the language asked; each item's `language` names
# the language its texts are actually in.
LANGUAGE_PARAMETERS = [
    OpenApiParameter(
        LANGUAGE_PARAMETER,
        str,
        OpenApiParameter.QUERY,
        description=(
            "The language of the texts: en (English, the default) or es (Spanish; es-MX and "
            "the like count as es). Takes precedence over Accept-Language; any other value is "
            "ignored, never refused. An item with no Spanish yet comes in English; its "
            "`language` says so."
        ),
    ),
    OpenApiParameter(
        "Accept-Language",
        str,
        OpenApiParameter.HEADER,
        description="Used when `lang` is not given, e.g. `es` or `es-MX,es;q=0.9,en;q=0.8`.",
    ),
    OpenApiParameter(
        "Content-Language",
        str,
        OpenApiParameter.HEADER,
        response=True,
        enum=["en", "es"],
        description="The language the answer was asked in (en or es).",
    ),
]


class LanguageField(serializers.CharField):
    """The language of the texts actually returned for the item."""

    def __init__(self, **kwargs):
        super().__init__(
            source="shown_language",
            read_only=True,
            help_text=(
                "The language of this item's texts: es when Spanish was asked for and the item "
                "has a reviewed Spanish translation, else en (the English is shown instead)."
            ),
            **kwargs,
        )


class SourceSerializer(serializers.ModelSerializer):
    """A source the content cites, as the pages show it: its address only if that is a web
    (http or https) address."""

    url = serializers.CharField(
        source="link", read_only=True, help_text="The source's http(s) address, or ''."
    )
    year = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = ["citation", "url", "publisher", "year"]
        read_only_fields = fields


class EvidenceFields(serializers.Serializer):
    """The evidence badge the pages show beside a section, claim or FAQ, and its sources."""

    evidence_label = serializers.CharField(
        read_only=True, help_text="Machine name of the evidence label, or ''."
    )
    evidence_label_display = serializers.CharField(
        source="get_evidence_label_display", read_only=True, help_text="The badge readers see."
    )
    evidence_explanation = serializers.CharField(
        read_only=True, help_text="What the label means, as the badge explains it, or ''."
    )
    sources = SourceSerializer(many=True, read_only=True)


class SectionEvidenceFields(serializers.Serializer):
    """Questions and side effects carry no evidence label of their own: the article page shows
    them under their section's badge, so they carry the section's label and sources."""

    evidence_label = serializers.CharField(
        source="section.evidence_label",
        read_only=True,
        help_text="Machine name of the evidence label of the section this item is in, or ''.",
    )
    evidence_label_display = serializers.CharField(
        source="section.get_evidence_label_display",
        read_only=True,
        help_text="The badge readers see on the section this item is in.",
    )
    evidence_explanation = serializers.CharField(
        source="section.evidence_explanation",
        read_only=True,
        help_text="What the label means, as the badge explains it, or ''.",
    )
    sources = SourceSerializer(source="section.sources", many=True, read_only=True)


class ReviewDateFields(serializers.Serializer):
    """The review dates of the article an item is in, annotated by with_review_dates."""

    last_reviewed = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="When a medical reviewer last approved the article; null if never.",
    )
    next_review_due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="When the article is next due for review; null if not set.",
    )


def with_review_dates(items):
    """An item is reviewed with its article, so it carries the article's review dates: to show,
    and to order by."""
    return items.annotate(
        last_reviewed=F("section__article__last_reviewed"),
        next_review_due=F("section__article__next_review_due"),
    )


class ArticleSlugField(serializers.SlugRelatedField):
    """The slug of the article an item sits in."""

    def __init__(self, **kwargs):
        super().__init__(source="section.article", slug_field="slug", read_only=True, **kwargs)


class FAQSerializer(serializers.ModelSerializer, EvidenceFields, ReviewDateFields):
    article = ArticleSlugField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    answer_html = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    answer_markdown = serializers.CharField(source="answer", read_only=True)

    language = LanguageField()

    class Meta:
        model = FAQ
        fields = [
            "id", "question", "language", "answer_html", "answer_markdown", "article", "url",
            "evidence_label", "evidence_label_display", "evidence_explanation", "sources",
            "last_reviewed", "next_review_due",
        ]  # fmt: skip


class ProviderQuestionSerializer(
    serializers.ModelSerializer, SectionEvidenceFields, ReviewDateFields
):
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    article = ArticleSlugField()

    language = LanguageField()

    class Meta:
        model = ProviderQuestion
        fields = [
            "id", "text", "language", "category", "category_display", "article", "evidence_label",
            "evidence_label_display", "evidence_explanation", "sources", "last_reviewed",
            "next_review_due",
        ]  # fmt: skip


class SideEffectSerializer(serializers.ModelSerializer, SectionEvidenceFields, ReviewDateFields):
    article = ArticleSlugField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    language = LanguageField()

    class Meta:
        model = SideEffect
        fields = [
            "id", "slug", "name", "language", "description", "management", "get_help_now",
            "trackable", "article", "url",
            "evidence_label", "evidence_label_display", "evidence_explanation", "sources",
            "last_reviewed", "next_review_due",
        ]  # fmt: skip


class SectionSerializer(serializers.ModelSerializer, EvidenceFields):
    body_html = serializers.CharField(
        source="html_without_items",
        read_only=True,
        help_text=(
            "Sanitised HTML of the section's text. The web page shows the section's items "
            "(claims, steps, FAQs...) within or after it; they are not part of it here."
        ),
    )
    body_markdown = serializers.CharField(
        source="markdown_without_items",
        read_only=True,
        help_text=(
            "The section's text in Markdown, as staff wrote it, less the marker line that "
            "places its items on the web page."
        ),
    )
    key_points_html = serializers.CharField(
        read_only=True, help_text="Sanitised HTML: the section's key points, or ''."
    )
    key_points_markdown = serializers.CharField(
        source="key_points", read_only=True, help_text="The key points as Markdown bullets, or ''."
    )

    language = LanguageField()

    class Meta:
        model = Section
        fields = [
            "anchor", "heading", "language", "is_subsection", "body_html", "body_markdown",
            "key_points_html", "key_points_markdown",
            "evidence_label", "evidence_label_display", "evidence_explanation", "sources",
        ]  # fmt: skip


class ArticleListSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    reviewer = serializers.StringRelatedField(source="medical_reviewer", allow_null=True)
    author = serializers.StringRelatedField(allow_null=True)

    language = LanguageField()

    class Meta:
        model = Article
        fields = [
            "slug", "title", "language", "summary", "url", "author", "reviewer", "last_reviewed",
            "next_review_due", "updated",
        ]  # fmt: skip


class ArticleSerializer(ArticleListSerializer):
    evidence_note_html = serializers.CharField(read_only=True)
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "evidence_note_html", "sections"]


class SafeSearchFilter(SearchFilter):
    """At most ten search words are used. DRF refuses a NUL character (PostgreSQL can't take
    one) with a bare list; here the message is for the parameter, and the schema says so."""

    def get_search_terms(self, request):
        try:
            terms = super().get_search_terms(request)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.search_param: error.detail}) from None
        return terms[:10]

    def get_schema_operation_parameters(self, view):
        [parameter] = super().get_schema_operation_parameters(view)
        parameter["schema"]["pattern"] = r"^[^\x00]*$"
        return [parameter]


class StableOrderingFilter(StrictOrderingFilter):
    """Whatever a client orders by, ties are broken by id, so pages never overlap, and items
    without a value (an article never reviewed) come last either way, on SQLite as on
    PostgreSQL, whose defaults differ."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(*map(nulls_last, ordering), "pk")


def nulls_last(term):
    if term.startswith("-"):
        return F(term[1:]).desc(nulls_last=True)
    return F(term).asc(nulls_last=True)


class PublicContentMixin:
    """Public content for any client: ETag and Last-Modified from the content stamp (Django's
    ConditionalGetMiddleware answers 304 from them once the view has run, so a 304 never hides
    a 404 or 429), and the anonymous answer cache (lib.caching). Only a GET or HEAD answer is
    public: an OPTIONS answer describes the operation, another body, so it must not pass for
    the content under its ETag."""

    cached_for_anonymous = True
    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend, SafeSearchFilter, StableOrderingFilter]
    lookup_value_regex = ID_PATTERN

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            caching.mark_public(request, response)
        patch_vary_headers(response, ["Accept"])
        return response


class StrictFilterSet(FilterSet):
    """django-filter reads an empty parameter (`?category=`) or a boolean it cannot read
    (`?trackable=maybe`) as no filter at all, so a mistaken request would be answered as if it
    were another; here it is a 400 with a message for the parameter, like any invalid value."""

    def is_valid(self):
        super().is_valid()
        for name in self.form.fields:
            value = self.data.get(name)
            if value is None or name in self.form.errors:
                continue
            if self.form.cleaned_data[name] not in (None, ""):  # False is a value
                continue
            if value.strip():
                self.form.add_error(name, f'"{value}" is not a valid value.')
            else:
                self.form.add_error(name, "Give a value, or leave the parameter out.")
        return self.form.is_valid()


class OffsetDateTimeField(forms.DateTimeField):
    """A moment as the schema documents a date-time (RFC 3339): a date, a time and an offset.
    A date alone, or a time without an offset, would leave its time zone to be guessed."""

    default_error_messages = {
        "invalid": "Enter a date and time with its offset from UTC, e.g. 2025-01-31T09:00:00Z."
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:  # valid, yet before year 1 or after 9999 in UTC: the nearest
            nearest = datetime.datetime.min if moment.year == 1 else datetime.datetime.max
            return nearest.replace(tzinfo=datetime.UTC)


class ModifiedSinceFilter(filters.DateTimeFilter):
    """What changed for the public at or after a moment. Content goes public an article at a
    time (publishing.publish_revision writes the live article and everything in it), so the
    live article's `updated` is when its public copy, or any item in it, last changed. Draft
    edits do not move it."""

    field_class = OffsetDateTimeField

    def __init__(self, field_name):
        super().__init__(
            field_name=field_name,
            lookup_expr="gte",
            help_text=(
                "Only what changed for the public at or after this moment (an item changes "
                "when its article is published): a date-time with offset, e.g. "
                "2025-01-31T09:00:00Z."
            ),
        )


@extend_schema_field(
    {"type": "string", "pattern": r"^[^\x00]*[^\x00\s][^\x00]*$", "description": "Article slug."}
)
class ArticleSlugFilter(filters.CharFilter):
    """The slug of the article an item is in. The schema says what the form field accepts:
    text not blank once stripped (StrictFilterSet), without a NUL character."""

    def __init__(self):
        super().__init__(field_name="section__article__slug")


class ItemFilter(StrictFilterSet):
    modified_since = ModifiedSinceFilter("section__article__updated")


class FAQFilter(ItemFilter):
    article = ArticleSlugFilter()

    class Meta:
        model = FAQ
        fields = ["article"]


@extend_schema_view(
    list=extend_schema(
        parameters=LANGUAGE_PARAMETERS,
        summary="List published FAQs",
        description="Filter by article slug or by modified_since, search questions and answers; "
        "in reading order unless ordered.",
        examples=[
            OpenApiExample(
                "One FAQ",
                response_only=True,
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "id": 1,
                            "language": "en",
                            "question": "How effective is Ketamine in treating ADHD symptoms?",
                            "answer_html": "<p>While some studies show promising results…</p>",
                            "answer_markdown": "While some studies show promising results…",
                            "article": "iv-ketamine-for-adhd",
                            "url": "/learn/iv-ketamine-for-adhd/#faq",
                            "evidence_label": "",
                            "evidence_label_display": "",
                            "evidence_explanation": "",
                            "sources": [],
                            "last_reviewed": "2025-03-01",
                            "next_review_due": "2026-03-01",
                        }
                    ],
                },
            )
        ],
    ),
    retrieve=extend_schema(parameters=LANGUAGE_PARAMETERS, summary="One published FAQ"),
)
class FAQViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Frequently asked questions from published articles."""

    serializer_class = FAQSerializer
    filterset_class = FAQFilter
    search_fields = ["question", "answer"]
    ordering_fields = ["id", "question", "last_reviewed", "next_review_due"]

    def get_queryset(self):
        return with_review_dates(FAQ.objects.public()).prefetch_related("sources")


class QuestionFilter(ItemFilter):
    category = filters.ChoiceFilter(choices=QuestionCategory.choices)
    article = ArticleSlugFilter()

    class Meta:
        model = ProviderQuestion
        fields = ["category", "article"]


@extend_schema_view(
    list=extend_schema(
        parameters=LANGUAGE_PARAMETERS,
        summary="List questions to ask a provider",
        description="Filter by category.",
    ),
    retrieve=extend_schema(
        parameters=LANGUAGE_PARAMETERS, summary="One question to ask a provider"
    ),
)
class ProviderQuestionViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Questions a patient can ask their provider, by category."""

    serializer_class = ProviderQuestionSerializer
    filterset_class = QuestionFilter
    search_fields = ["text"]
    ordering_fields = ["id", "text", "category", "last_reviewed", "next_review_due"]

    def get_queryset(self):
        return with_review_dates(ProviderQuestion.objects.public()).prefetch_related(
            "section__sources"
        )


class SideEffectFilter(ItemFilter):
    trackable = StrictBooleanFilter()

    class Meta:
        model = SideEffect
        fields = ["trackable"]


@extend_schema_view(
    list=extend_schema(
        parameters=LANGUAGE_PARAMETERS, summary="List side effects the clinic describes"
    ),
    retrieve=extend_schema(parameters=LANGUAGE_PARAMETERS, summary="One side effect"),
)
class SideEffectViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Side effects the clinic describes; trackable ones can be reported in the journal."""

    serializer_class = SideEffectSerializer
    filterset_class = SideEffectFilter
    search_fields = ["name", "description", "management"]
    ordering_fields = ["id", "name", "last_reviewed", "next_review_due"]

    def get_queryset(self):
        return with_review_dates(SideEffect.objects.public()).prefetch_related("section__sources")


class ArticleFilter(StrictFilterSet):
    modified_since = ModifiedSinceFilter("updated")

    class Meta:
        model = Article
        fields = ["modified_since"]


@extend_schema_view(
    list=extend_schema(parameters=LANGUAGE_PARAMETERS, summary="List published articles"),
    retrieve=extend_schema(
        parameters=LANGUAGE_PARAMETERS,
        summary="One published article with its sections",
        description="Sections come as sanitised HTML and as Markdown, with evidence labels and "
        "sources; the review dates and reviewer say how current the article is.",
    ),
)
class ArticleViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Published patient-education articles."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = ArticleFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["title", "updated", "last_reviewed", "next_review_due"]

    def get_queryset(self):
        articles = Article.objects.public().order_by("title", "pk")
        if self.action == "retrieve":
            return articles.with_content()
        return articles.select_related("author", "medical_reviewer")

    def get_serializer_class(self):
        return ArticleSerializer if self.action == "retrieve" else ArticleListSerializer
