"""Public, read-only content API: published content only, conditional GET, cacheable."""

from django.utils.cache import patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend, FilterSet, filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter, SearchFilter, search_smart_split
from rest_framework.permissions import AllowAny

from lib import caching
from lib.converters import ID_PATTERN
from portal.api import StrictBooleanFilter

from .models import (
    FAQ,
    Article,
    ProviderQuestion,
    QuestionCategory,
    Section,
    SideEffect,
    Source,
)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["citation", "url", "publisher", "year"]


class EvidenceFields(serializers.Serializer):
    evidence_label = serializers.CharField(
        read_only=True, help_text="Machine name of the evidence label, or ''."
    )
    evidence_label_display = serializers.CharField(
        source="get_evidence_label_display", read_only=True, help_text="The badge readers see."
    )
    sources = SourceSerializer(many=True, read_only=True)


class ArticleSlugField(serializers.SlugRelatedField):
    """The slug of the article an item sits in."""

    def __init__(self, **kwargs):
        super().__init__(source="section.article", slug_field="slug", read_only=True, **kwargs)


class FAQSerializer(serializers.ModelSerializer, EvidenceFields):
    article = serializers.SlugRelatedField(
        source="section.article", slug_field="slug", read_only=True
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    answer_html = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    answer_markdown = serializers.CharField(source="answer", read_only=True)

    class Meta:
        model = FAQ
        fields = [
            "id", "question", "answer_html", "answer_markdown", "article", "url",
            "evidence_label", "evidence_label_display", "sources",
        ]  # fmt: skip


class ProviderQuestionSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    article = serializers.SlugRelatedField(
        source="section.article", slug_field="slug", read_only=True
    )

    class Meta:
        model = ProviderQuestion
        fields = ["id", "text", "category", "category_display", "article"]


class SideEffectSerializer(serializers.ModelSerializer):
    article = serializers.SlugRelatedField(
        source="section.article", slug_field="slug", read_only=True
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = SideEffect
        fields = ["id", "slug", "name", "description", "management", "trackable", "article", "url"]


class SectionSerializer(serializers.ModelSerializer, EvidenceFields):
    body_html = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    body_markdown = serializers.CharField(source="body", read_only=True)

    class Meta:
        model = Section
        fields = [
            "anchor", "heading", "is_subsection", "body_html", "body_markdown",
            "evidence_label", "evidence_label_display", "sources",
        ]  # fmt: skip


class ArticleListSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    reviewer = serializers.StringRelatedField(source="medical_reviewer", allow_null=True)
    author = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Article
        fields = [
            "slug", "title", "summary", "url", "author", "reviewer", "last_reviewed",
            "next_review_due", "updated",
        ]  # fmt: skip


class ArticleSerializer(ArticleListSerializer):
    evidence_note_html = serializers.CharField(read_only=True)
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "evidence_note_html", "sections"]


class SafeSearchFilter(SearchFilter):
    """Search words with a NUL byte can't be sent to PostgreSQL; they simply match nothing
    (DRF's own SearchFilter refuses the whole search with a bare list, not the API's errors)."""

    def get_search_terms(self, request):
        words = search_smart_split(request.query_params.get(self.search_param, ""))
        return [word for word in words if "\x00" not in word][:10]


class StableOrderingFilter(OrderingFilter):
    """Whatever a client orders by, ties are broken by id, so pages never overlap."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return [*ordering, "pk"] if ordering else ordering


class PublicContentMixin:
    """Public content for any client: ETag and Last-Modified from the content stamp (Django's
    ConditionalGetMiddleware answers 304 from them once the view has run, so a 304 never hides
    a 404 or 429), and the anonymous answer cache (lib.caching)."""

    cached_for_anonymous = True
    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend, SafeSearchFilter, StableOrderingFilter]
    lookup_value_regex = ID_PATTERN

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            caching.mark_public(request, response)
        patch_vary_headers(response, ["Accept"])
        return response


class FAQFilter(FilterSet):
    article = filters.CharFilter(field_name="section__article__slug", help_text="Article slug.")

    class Meta:
        model = FAQ
        fields = ["article"]


@extend_schema_view(
    list=extend_schema(
        summary="List published FAQs",
        description="Filter by article slug, search questions and answers, order by position.",
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
                            "question": "How effective is Ketamine in treating ADHD symptoms?",
                            "answer_html": "<p>While some studies show promising results…</p>",
                            "answer_markdown": "While some studies show promising results…",
                            "article": "iv-ketamine-for-adhd",
                            "url": "/learn/iv-ketamine-for-adhd/#faq",
                            "evidence_label": "",
                            "evidence_label_display": "",
                            "sources": [],
                        }
                    ],
                },
            )
        ],
    ),
    retrieve=extend_schema(summary="One published FAQ"),
)
class FAQViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Frequently asked questions from published articles."""

    serializer_class = FAQSerializer
    filterset_class = FAQFilter
    search_fields = ["question", "answer"]
    ordering_fields = ["id", "question"]

    def get_queryset(self):
        return FAQ.objects.public().prefetch_related("sources")


class QuestionFilter(FilterSet):
    category = filters.ChoiceFilter(choices=QuestionCategory.choices)
    article = filters.CharFilter(field_name="section__article__slug", help_text="Article slug.")

    class Meta:
        model = ProviderQuestion
        fields = ["category", "article"]


@extend_schema_view(
    list=extend_schema(
        summary="List questions to ask a provider", description="Filter by category."
    ),
    retrieve=extend_schema(summary="One question to ask a provider"),
)
class ProviderQuestionViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Questions a patient can ask their provider, by category."""

    serializer_class = ProviderQuestionSerializer
    filterset_class = QuestionFilter
    search_fields = ["text"]
    ordering_fields = ["id", "text", "category"]

    def get_queryset(self):
        return ProviderQuestion.objects.public()


class SideEffectFilter(FilterSet):
    trackable = StrictBooleanFilter()

    class Meta:
        model = SideEffect
        fields = ["trackable"]


@extend_schema_view(
    list=extend_schema(summary="List side effects the clinic describes"),
    retrieve=extend_schema(summary="One side effect"),
)
class SideEffectViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Side effects the clinic describes; trackable ones can be reported in the journal."""

    serializer_class = SideEffectSerializer
    filterset_class = SideEffectFilter
    search_fields = ["name", "description", "management"]
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return SideEffect.objects.public()


@extend_schema_view(
    list=extend_schema(summary="List published articles"),
    retrieve=extend_schema(
        summary="One published article with its sections",
        description="Sections come as sanitised HTML and as Markdown, with evidence labels and "
        "sources; the review dates and reviewer say how current the article is.",
    ),
)
class ArticleViewSet(PublicContentMixin, viewsets.ReadOnlyModelViewSet):
    """Published patient-education articles."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    search_fields = ["title", "summary"]
    ordering_fields = ["title", "updated"]

    def get_queryset(self):
        articles = Article.objects.public().order_by("title")
        if self.action == "retrieve":
            return articles.with_content()
        return articles.select_related("author", "medical_reviewer")

    def get_serializer_class(self):
        return ArticleSerializer if self.action == "retrieve" else ArticleListSerializer
