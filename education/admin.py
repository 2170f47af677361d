"""The content admin: staff edit drafts here; medical reviewers publish them (review.py).

Every admin page, list, inline, choice list and history view works on draft rows only. The live
rows the public reads are not reachable from here: publishing writes them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from . import publishing, review
from .models import (
    FAQ,
    Article,
    Claim,
    Contributor,
    PageFeedback,
    ProviderQuestion,
    Publishable,
    ReviewDueArticle,
    Section,
    SideEffect,
    Source,
    SpanishStatus,
    Step,
    Testimonial,
    evidence_problem,
)
from .readability import PLAIN_LANGUAGE_GRADE, reading_grade, spanish_reading_grade
from .views import article_parts, render_article

DRAFT_SAVED = (
    "Saved as a draft. Patients see it only after a medical reviewer publishes the article: "
    "submit it for review from the article's page."
)


def _grade_badge(grade):
    if grade is None:
        return "—"
    if grade > PLAIN_LANGUAGE_GRADE:
        return format_html(
            '<strong class="errornote">{} — above grade {}</strong>', grade, PLAIN_LANGUAGE_GRADE
        )
    return grade


@admin.display(description="Reading grade")
def reading_grade_badge(obj):
    """Flesch-Kincaid grade of the section's English text; above grade 8 is flagged for plain
    language."""
    return _grade_badge(reading_grade(obj.body_html_en or "") if obj.pk else None)


@admin.display(description=_("Reading grade (Spanish)"))
def spanish_reading_grade_badge(obj):
    """Crawford grade (a US school grade for Spanish) of the section's Spanish text."""
    return _grade_badge(spanish_reading_grade(obj.body_html_es) if obj.pk else None)


@admin.display(description=_("Spanish"))
def spanish_status_badge(obj):
    """Whether the row's Spanish translates its current English, as editors see it in lists,
    forms and inlines."""
    if not obj.pk:
        return "—"
    status = obj.spanish_status
    if status in (SpanishStatus.OUT_OF_DATE, SpanishStatus.INCOMPLETE):
        return format_html('<strong class="errornote">{}</strong>', SpanishStatus(status).label)
    return SpanishStatus(status).label


class TranslatedForm(forms.ModelForm):
    """A translated row's form: English and Spanish side by side (modeltranslation), and the
    editor's way to say the Spanish still matches a changed English without retyping it."""

    confirm_spanish = forms.BooleanField(
        label=_("The Spanish still matches the English"),
        required=False,
        help_text=_(
            "Tick this when the English changed but the Spanish needs no change. Saving a "
            "Spanish text also marks it as translating the English saved with it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Claim) and "evidence_label" in self.fields:
            self.fields["evidence_label"].help_text = _(
                "How strong the evidence behind this claim is. Every claim needs one: choose "
                "“Source not given” when it names no source the clinic could check."
            )

    def clean(self):
        cleaned_data = super().clean()
        if "evidence_label" in self.fields and "sources" in self.fields:
            problem = evidence_problem(
                is_claim=isinstance(self.instance, Claim),
                label=cleaned_data.get("evidence_label", ""),
                has_sources=bool(cleaned_data.get("sources")),
            )
            if problem:
                self.add_error("evidence_label", problem)
        return cleaned_data

    def save(self, commit=True):
        if self.cleaned_data.get("confirm_spanish"):
            self.instance.confirm_spanish()
        return super().save(commit)


TRANSLATION_FIELDS = ["confirm_spanish", spanish_status_badge]


class WholeValueHistory(HistoricalRecordContextHelper):
    """History shows every changed value whole (medical text is never cut short), and an empty
    link as "—", not as a deleted object."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, DeletedObject) and value.pk is None:
            return "—"
        return super().prepare_delta_change_value(change, value)

    def stringify_delta_change_values(self, change, old, new):
        return conditional_escape(self._text(old)), conditional_escape(self._text(new))

    @staticmethod
    def _text(value):
        if isinstance(value, list):
            return ", ".join(str(each) for each in value) or "—"
        return "—" if value in (None, "") else str(value)


class DraftChoices:
    """Foreign keys and many-to-many fields offer drafts only."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if issubclass(db_field.related_model, Publishable):
            kwargs["queryset"] = db_field.related_model.objects.drafts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if issubclass(db_field.related_model, Publishable):
            kwargs["queryset"] = db_field.related_model.objects.drafts()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class DraftAdmin(DraftChoices, SimpleHistoryAdmin):
    """Lists, forms, actions and history of draft rows only."""

    def get_queryset(self, request):
        return super().get_queryset(request).drafts()

    def get_historical_record_context_helper(self, request, historical_record):
        return WholeValueHistory(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        self._draft_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A revert saves the old version as the draft: a pending change like any other."""
        self._draft_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _draft_or_404(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such draft.")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        messages.info(request, DRAFT_SAVED)

    def view_on_site(self, obj):
        """ "View on site" shows the draft in the article's preview, not the public page."""
        section = obj if isinstance(obj, Section) else getattr(obj, "section", None)
        if section is None:
            return None
        preview = reverse("admin:education_article_preview", args=[section.article_id])
        return f"{preview}#{section.anchor}"


class TranslatedDraftAdmin(TranslationAdmin, DraftAdmin):
    """A draft admin whose texts are edited in English and Spanish side by side."""

    form = TranslatedForm
    readonly_fields = [spanish_status_badge]

    def _patch_list_editable(self):
        pass  # list_editable holds no translated field


class SectionInline(DraftChoices, TranslationStackedInline):
    model = Section
    form = TranslatedForm
    extra = 0
    fields = [
        ("order", "anchor", "is_subsection"),
        "heading",
        "evidence_label",
        "sources",
        "body",
        "key_points",
        (reading_grade_badge, spanish_reading_grade_badge),
        *TRANSLATION_FIELDS,
    ]
    readonly_fields = [reading_grade_badge, spanish_reading_grade_badge, spanish_status_badge]
    autocomplete_fields = ["sources"]
    show_change_link = True


class ApproveForm(forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput)
    go_live_at = forms.DateTimeField(
        label="Go live",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=(
            "Leave empty to publish now. A date and time in the clinic's time zone; the changes "
            "go live within a minute of it."
        ),
    )
    next_review_due = forms.DateField(
        label="Next review due",
        required=False,
        widget=AdminDateWidget,
        help_text="Leave empty for a year from today.",
    )

    def clean_next_review_due(self):
        due = self.cleaned_data["next_review_due"]
        if due is not None:
            review.check_next_review_due(due=due, today=timezone.localdate())
        return due


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required. The editors see this on the article.",
    )
    changes = forms.MultipleChoiceField(
        label="The changes this is about",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@admin.register(Article)
class ArticleAdmin(TranslatedDraftAdmin):
    """Editors write and submit; medical reviewers approve on the review screen."""

    list_display = [
        "title", "publication_status", "reviewed_by", "live_last_reviewed",
        "live_next_review_due", spanish_status_badge,
    ]  # fmt: skip
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "author"]}),
        ("Trust", {"fields": ["evidence_note", "funding_and_conflicts"]}),
        ("Publication", {"fields": ["expires_at"]}),
        (_("Spanish translation"), {"fields": TRANSLATION_FIELDS}),
    ]
    inlines = [SectionInline]
    actions = ["submit_for_review", "unpublish"]
    change_form_template = "admin/education/article/change_form.html"
    view_on_site = False  # "Preview draft" instead

    def get_queryset(self, request):
        live = models.Prefetch(
            "live_versions",
            queryset=Article.objects.filter(is_live=True).select_related("medical_reviewer"),
            to_attr="live_list",
        )
        return super().get_queryset(request).prefetch_related(live)

    def get_actions(self, request):
        """Deleting many at once could take published articles with it; one at a time only."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        """A published article is unpublished (by a reviewer) before it can be deleted."""
        if obj is not None and publishing.live_copy(obj) is not None:
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def _live(article):
        live_list = getattr(article, "live_list", None)
        if live_list is None:
            return publishing.live_copy(article)
        return live_list[0] if live_list else None

    @admin.display(description="Status")
    def publication_status(self, article):
        return str(review.status(article))

    @admin.display(description="Medical reviewer")
    def reviewed_by(self, article):
        live = self._live(article)
        return (live.medical_reviewer if live else None) or "—"

    # Not named after the model's fields: the admin would show the draft's, always empty.
    @admin.display(description="Last reviewed")
    def live_last_reviewed(self, article):
        live = self._live(article)
        return (live.last_reviewed if live else None) or "—"

    @admin.display(description="Next review due")
    def live_next_review_due(self, article):
        live = self._live(article)
        return (live.next_review_due if live else None) or "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None:
            extra_context = {
                **(extra_context or {}),
                "publication": review.status(article),
                "review_events": article.review_events.select_related("user")[:20],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view  # staff only, never cached
        return [
            path(f"<path:object_id>/{name}/", view(function), name=f"education_article_{name}")
            for name, function in [
                ("review", self.review_view),
                ("preview", self.preview_view),
                ("submit", self.submit_view),
            ]
        ] + super().get_urls()

    def _article_or_404(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404("No such article.")
        return article

    def preview_view(self, request, object_id):
        """The draft exactly as the article page will show it, with a banner; staff only."""
        article = self._article_or_404(request, object_id)
        draft = get_object_or_404(Article.objects.drafts().with_content(), pk=article.pk)
        parts = article_parts(request, draft)
        return render_article(request, parts, preview=review.status(article))

    def review_view(self, request, object_id):
        """Every pending change of one article, in full, with approve and send-back forms."""
        article = self._article_or_404(request, object_id)
        draft = publishing.snapshot(article)
        changes = review.pending_changes(article, draft)
        seen = publishing.fingerprint(draft)
        choices = [(change.key, change.title) for change in changes]
        approve_form = ApproveForm(initial={"seen": seen})
        send_back_form = SendBackForm()
        send_back_form.fields["changes"].choices = choices
        if request.method == "POST":
            if not review.can_publish(request.user):
                raise PermissionDenied
            action = request.POST.get("action")
            if action == "send_back":
                form = send_back_form = SendBackForm(request.POST)
                send_back_form.fields["changes"].choices = choices
                handle = self._send_back
            elif action == "approve":
                form = approve_form = ApproveForm(request.POST)
                handle = self._approve
            else:
                form, handle = approve_form, self._cancel_schedule
            try:
                response = handle(request, article, form, dict(choices))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if response is not None:
                    return response
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review changes: {article}",
            "opts": self.model._meta,
            "original": article,
            "article": article,
            "publication": review.status(article, changes=changes),
            "changes": changes,
            "approve_form": approve_form,
            "send_back_form": send_back_form,
            "can_publish": review.can_publish(request.user),
            "own_changes": review.changed_by(article, request.user),
            "review_events": article.review_events.select_related("user")[:20],
        }
        return TemplateResponse(request, "admin/education/article/review.html", context)

    def _approve(self, request, article, form, titles):
        if not form.is_valid():
            return None
        data = form.cleaned_data
        revision = review.approve(
            article=article,
            user=request.user,
            seen=data["seen"],
            go_live_at=data["go_live_at"],
            next_review_due=data["next_review_due"],
        )
        if revision.go_live_at <= timezone.now():
            message = f"Approved and published. Reviewed by {revision.reviewer}."
        else:
            go_live = timezone.localtime(revision.go_live_at)
            message = (
                f"Approved. The changes go live on {go_live:%d %B %Y at %H:%M} "
                "(within a minute of that time)."
            )
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:education_article_change", article.pk)

    def _send_back(self, request, article, form, titles):
        if not form.is_valid():
            return None
        review.send_back(
            article=article,
            user=request.user,
            comment=form.cleaned_data["comment"],
            changes=[titles[key] for key in form.cleaned_data["changes"]],
        )
        self.message_user(request, "Sent back to the editors with your comment.")
        return redirect("admin:education_article_change", article.pk)

    def _cancel_schedule(self, request, article, form, titles):
        try:
            review.cancel_schedule(article=article, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.WARNING)
        else:
            self.message_user(request, "The scheduled publication is cancelled.")
        return redirect("admin:education_article_review", article.pk)

    def submit_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, object_id)
        try:
            review.submit_for_review(article=article, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.WARNING)
        else:
            self.message_user(request, "Submitted for medical review.", messages.SUCCESS)
        return redirect("admin:education_article_change", article.pk)

    @admin.action(description="Submit for medical review")
    def submit_for_review(self, request, queryset):
        for article in queryset:
            try:
                review.submit_for_review(article=article, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                self.message_user(request, f"Submitted \u201c{article}\u201d for medical review.")

    @admin.action(description="Unpublish (remove from public view now)", permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset:
            try:
                review.unpublish(article=article, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                self.message_user(request, f"\u201c{article}\u201d is no longer public.")

    def has_publish_permission(self, request):
        return review.can_publish(request.user)


@admin.register(ReviewDueArticle)
class ReviewDueAdmin(admin.ModelAdmin):
    """Published articles whose review is overdue, missing or due within 30 days, or whose
    expiry date has passed (the same list as the check_review_dates command)."""

    list_display = [
        "article_link", "due_state", "medical_reviewer", "last_reviewed", "next_review_due",
    ]  # fmt: skip
    list_display_links = None

    def get_queryset(self, request):
        return review.due_for_review().select_related("medical_reviewer")

    @admin.display(description="Article")
    def article_link(self, article):
        url = reverse("admin:education_article_review", args=[article.draft_id])
        return format_html('<a href="{}">{}</a>', url, article.title)

    @admin.display(description="Review")
    def due_state(self, article):
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
    list_filter = ["helpful", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["comment"]
    readonly_fields = ["article", "helpful", "comment", "created"]

    def has_add_permission(self, request):
        return False


class ItemInline(DraftChoices, TranslationStackedInline):
    form = TranslatedForm
    extra = 0
    show_change_link = True
    readonly_fields = [spanish_status_badge]


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
class SectionAdmin(TranslatedDraftAdmin):
    list_display = [
        "heading", "article", "order", "is_subsection", "evidence_label", reading_grade_badge,
        spanish_reading_grade_badge, spanish_status_badge,
    ]  # fmt: skip
    readonly_fields = [reading_grade_badge, spanish_reading_grade_badge, spanish_status_badge]
    list_editable = ["order"]
    list_filter = [("article", admin.RelatedOnlyFieldListFilter), "evidence_label"]
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


class ItemAdmin(TranslatedDraftAdmin):
    """Typed items are edited inline on their section, or here, one list per kind."""

    list_editable = ["order"]
    list_filter = [
        ("section__article", admin.RelatedOnlyFieldListFilter),
        ("section", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["section__article"]


@admin.register(Claim)
class ClaimAdmin(ItemAdmin):
    list_display = ["__str__", "section", "evidence_label", "order", spanish_status_badge]
    list_filter = ["evidence_label", *ItemAdmin.list_filter]
    search_fields = ["text"]
    autocomplete_fields = ["sources"]


@admin.register(FAQ)
class FAQAdmin(ItemAdmin):
    list_display = ["question", "section", "order", spanish_status_badge]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["sources"]


@admin.register(Step)
class StepAdmin(ItemAdmin):
    list_display = ["title", "section", "order", spanish_status_badge]
    search_fields = ["title", "body"]


@admin.register(ProviderQuestion)
class ProviderQuestionAdmin(ItemAdmin):
    list_display = ["text", "category", "section", "order", spanish_status_badge]
    list_filter = ["category", *ItemAdmin.list_filter]
    search_fields = ["text"]


@admin.register(SideEffect)
class SideEffectAdmin(ItemAdmin):
    list_display = ["name", "trackable", "section", "order", spanish_status_badge]
    search_fields = ["name", "description", "management"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Testimonial)
class TestimonialAdmin(ItemAdmin):
    list_display = ["attribution", "section", "order", spanish_status_badge]
    search_fields = ["attribution", "quote", "reflection"]


@admin.register(Source)
class SourceAdmin(DraftAdmin):
    """A source is shared: a change to it is a pending change of every article citing it."""

    list_display = ["citation", "publisher", "year"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["citation", "publisher", "url"]


@admin.register(Contributor)
class ContributorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials"]
