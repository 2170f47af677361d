from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import review
from .models import (
    FAQ,
    Article,
    Claim,
    Contributor,
    PageFeedback,
    ProviderQuestion,
    ReviewDueArticle,
    Section,
    SideEffect,
    Source,
    Status,
    Step,
    Testimonial,
)
from .readability import PLAIN_LANGUAGE_GRADE, reading_grade


@admin.display(description="Reading grade")
def reading_grade_badge(obj):
    """Flesch-Kincaid grade of the section text; above grade 8 is flagged for plain language."""
    grade = reading_grade(obj.body_html) if obj.pk else None
    if grade is None:
        return "—"
    if grade > PLAIN_LANGUAGE_GRADE:
        return format_html(
            '<strong class="errornote">{} — above grade {}</strong>', grade, PLAIN_LANGUAGE_GRADE
        )
    return grade


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = [
        ("order", "heading", "anchor", "is_subsection"),
        "evidence_label",
        "sources",
        "body",
        reading_grade_badge,
    ]
    readonly_fields = [reading_grade_badge]
    autocomplete_fields = ["sources"]
    show_change_link = True


REVIEW_FIELDS = ["medical_reviewer", "last_reviewed", "next_review_due"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """Content editors write and submit; only medical reviewers publish (DESIGN §3, issue 6)."""

    list_display = ["title", "status", "medical_reviewer", "last_reviewed", "next_review_due"]
    list_filter = ["status"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "status"]}),
        ("Review", {"fields": ["author", *REVIEW_FIELDS]}),
        ("Trust", {"fields": ["evidence_note", "funding_and_conflicts"]}),
    ]
    inlines = [SectionInline]
    actions = ["submit_for_review", "publish_after_review"]

    def get_readonly_fields(self, request, obj=None):
        return [] if review.can_publish(request.user) else REVIEW_FIELDS

    def get_form(self, request, obj=None, **kwargs):
        """Editors may withdraw a published article but not publish one."""
        form = super().get_form(request, obj, **kwargs)
        status = form.base_fields.get("status")
        published = obj is not None and obj.status == Status.PUBLISHED
        if status is not None and not published and not review.can_publish(request.user):
            status.choices = [choice for choice in Status.choices if choice[0] != Status.PUBLISHED]
        return form

    def save_model(self, request, obj, form, change):
        # Compare with the database, not the form: a history revert starts from an old version.
        stored = Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        newly_published = obj.status == Status.PUBLISHED and stored != Status.PUBLISHED
        if newly_published:
            if not review.can_publish(request.user):
                raise PermissionDenied("Only medical reviewers can publish.")
            review.publish(obj, request.user)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Submit for medical review")
    def submit_for_review(self, request, queryset):
        for article in queryset.filter(status=Status.DRAFT):
            article.status = Status.IN_REVIEW
            article.save()
        self.message_user(request, "Submitted for medical review.")

    @admin.action(description="Publish after medical review", permissions=["publish"])
    def publish_after_review(self, request, queryset):
        for article in queryset:
            review.publish(article, request.user)
        self.message_user(
            request,
            f"Published, reviewed by you on {timezone.localdate():%d %b %Y}.",
            messages.SUCCESS,
        )

    def has_publish_permission(self, request):
        return review.can_publish(request.user)


@admin.register(ReviewDueArticle)
class ReviewDueAdmin(admin.ModelAdmin):
    """Articles whose review is overdue, missing or due within 30 days (same list as the
    check_review_dates command)."""

    list_display = [
        "title",
        "review_state",
        "status",
        "medical_reviewer",
        "last_reviewed",
        "next_review_due",
    ]
    list_display_links = ["title"]

    def get_queryset(self, request):
        return review.due_for_review().select_related("medical_reviewer")

    @admin.display(description="Review")
    def review_state(self, article):
        return review.review_state(article)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and request.user.has_perm("education.view_article")


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    list_display = ["article", "helpful", "comment", "created"]
    list_filter = ["helpful", "article"]
    search_fields = ["comment"]
    readonly_fields = ["article", "helpful", "comment", "created"]

    def has_add_permission(self, request):
        return False


class ItemInline(admin.StackedInline):
    extra = 0
    show_change_link = True


class ClaimInline(ItemInline):
    model = Claim
    autocomplete_fields = ["sources"]


class FAQInline(ItemInline):
    model = FAQ
    autocomplete_fields = ["sources"]


class StepInline(ItemInline):
    model = Step


class ProviderQuestionInline(ItemInline):
    model = ProviderQuestion


class SideEffectInline(ItemInline):
    model = SideEffect
    prepopulated_fields = {"slug": ["name"]}


class TestimonialInline(ItemInline):
    model = Testimonial


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = [
        "heading", "article", "order", "is_subsection", "evidence_label", reading_grade_badge,
    ]  # fmt: skip
    readonly_fields = [reading_grade_badge]
    list_editable = ["order"]
    list_filter = ["article", "evidence_label"]
    search_fields = ["heading", "body"]
    autocomplete_fields = ["sources"]
    inlines = [
        ClaimInline,
        FAQInline,
        StepInline,
        ProviderQuestionInline,
        SideEffectInline,
        TestimonialInline,
    ]


class ItemAdmin(SimpleHistoryAdmin):
    """Typed items are edited inline on their section, or here, one list per kind."""

    list_editable = ["order"]
    list_filter = ["section__article", "section"]
    list_select_related = ["section__article"]


@admin.register(Claim)
class ClaimAdmin(ItemAdmin):
    list_display = ["__str__", "section", "evidence_label", "order"]
    list_filter = ["evidence_label", *ItemAdmin.list_filter]
    search_fields = ["text"]
    autocomplete_fields = ["sources"]


@admin.register(FAQ)
class FAQAdmin(ItemAdmin):
    list_display = ["question", "section", "order"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["sources"]


@admin.register(Step)
class StepAdmin(ItemAdmin):
    list_display = ["title", "section", "order"]
    search_fields = ["title", "body"]


@admin.register(ProviderQuestion)
class ProviderQuestionAdmin(ItemAdmin):
    list_display = ["text", "category", "section", "order"]
    list_filter = ["category", *ItemAdmin.list_filter]
    search_fields = ["text"]


@admin.register(SideEffect)
class SideEffectAdmin(ItemAdmin):
    list_display = ["name", "trackable", "section", "order"]
    search_fields = ["name", "description", "management"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Testimonial)
class TestimonialAdmin(ItemAdmin):
    list_display = ["attribution", "section", "order"]
    search_fields = ["attribution", "quote", "reflection"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["citation", "publisher", "year"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["citation", "publisher", "url"]


@admin.register(Contributor)
class ContributorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials"]
