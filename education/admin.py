from django.contrib import admin
from django.db import models

from .models import (
    FAQ,
    Article,
    Claim,
    Contributor,
    ProviderQuestion,
    Section,
    SideEffect,
    Source,
    Step,
    Testimonial,
)


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = [("order", "heading", "anchor", "is_subsection"), "evidence_label", "sources", "body"]
    autocomplete_fields = ["sources"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "last_reviewed", "next_review_due", "updated"]
    list_filter = ["status"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "status"]}),
        ("Review", {"fields": ["author", "medical_reviewer", "last_reviewed", "next_review_due"]}),
        ("Evidence", {"fields": ["evidence_note"]}),
    ]
    inlines = [SectionInline]


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
class SectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "article", "order", "is_subsection", "evidence_label"]
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


class ItemAdmin(admin.ModelAdmin):
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
class SourceAdmin(admin.ModelAdmin):
    list_display = ["citation", "publisher", "year"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["citation", "publisher", "url"]


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials"]
    search_fields = ["name", "credentials"]
