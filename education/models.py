"""Patient-education content: an article made of ordered sections, and the typed items
(claims, FAQs, steps, questions, side effects, testimonials) placed inside those sections.

Markdown typed by staff is rendered and sanitised once, on save, into the matching *_html field,
so pages never render Markdown per request and never show unsanitised HTML.

Every content row is either a draft or live (Publishable). Staff edit drafts in the admin; the
public reads live rows only, and live rows are written only when a medical reviewer's approval
is published (publishing.py). So nothing a patient reads changes before a reviewer approves it.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.validators import OneLineValidator

from .readability import LONG_SECTION_WORDS, is_long_text, reading_minutes
from .render import (
    ITEMS_MARKER,
    markdown_without_items_marker,
    render_markdown,
    split_at_items,
    without_items_marker,
)


def _format(message, values):
    return str(message) % values


def lazy_format(message, **values):
    """A lazy message with named %(placeholders)s filled in once it is shown, in the reader's
    language (a lazy string's % would translate it at import time)."""
    return lazy(_format, str)(message, values)


class EvidenceLabel(models.TextChoices):
    """How well a piece of text is supported; the label is the badge readers see."""

    SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
    CONTROLLED_TRIAL = "controlled_trial", _("Controlled trial")
    OBSERVATIONAL = "observational", _("Observational study")
    EXPERT_OPINION = "expert_opinion", _("Expert opinion")
    INDIVIDUAL_EXPERIENCE = "individual_experience", _("Individual experience, not evidence")
    SOURCE_NOT_GIVEN = "source_not_given", _("Source not given — not verified by the clinic")


EVIDENCE_EXPLANATIONS = {
    EvidenceLabel.SYSTEMATIC_REVIEW: _("A review that pools the results of many studies."),
    EvidenceLabel.CONTROLLED_TRIAL: _("A study that compares a treatment with a control group."),
    EvidenceLabel.OBSERVATIONAL: _(
        "A study that watches what happens, without a control group. It cannot show cause."
    ),
    EvidenceLabel.EXPERT_OPINION: _("The view of clinicians or experts, not a study result."),
    EvidenceLabel.INDIVIDUAL_EXPERIENCE: _(
        "One person's account. It does not show that the treatment works for others."
    ),
    EvidenceLabel.SOURCE_NOT_GIVEN: _(
        "The text names no study or publication that the clinic could check."
    ),
}


# A study's label promises a study the reader can look up: it needs one among the sources.
STUDY_LABELS = {
    EvidenceLabel.SYSTEMATIC_REVIEW,
    EvidenceLabel.CONTROLLED_TRIAL,
    EvidenceLabel.OBSERVATIONAL,
}


def evidence_problem(*, is_claim: bool, label: str, has_sources: bool) -> str | None:
    """Why an item's evidence label would promise more than the page shows, or None. The admin
    forms say it beside the field; approval refuses a draft that still has it."""
    if is_claim and not label:
        return gettext(
            "A claim needs an evidence label; without a source, choose “Source not given”."
        )
    if label in STUDY_LABELS and not has_sources:
        return gettext(
            "“%(label)s” needs the study among the sources; without one, choose “Source not given”."
        ) % {"label": EvidenceLabel(label).label}
    return None


class ReviewState(models.TextChoices):
    """Where a draft article's pending changes are in medical review."""

    EDITING = "editing", _("Being edited")
    IN_REVIEW = "in_review", _("In review")
    SENT_BACK = "sent_back", _("Sent back")


class PublishableQuerySet(models.QuerySet):
    # The lookup from a row to its article ("section__article" for an item).
    article_lookup = "article"

    def drafts(self):
        """The rows staff edit."""
        return self.filter(is_live=False)

    def public(self):
        """What the public reads: live rows of articles that have not expired."""
        expires_at = f"{self.article_lookup}__expires_at" if self.article_lookup else "expires_at"
        return self.filter(
            models.Q(**{f"{expires_at}__isnull": True})
            | models.Q(**{f"{expires_at}__gt": timezone.now()}),
            is_live=True,
        )


class Publishable(models.Model):
    """A draft row that staff edit, or the live row the public reads (is_live).

    A live row is a copy of a draft as a medical reviewer approved it; it points back to that
    draft. Only publishing writes live rows: saving or deleting one anywhere else is refused
    (signals.py).
    """

    is_live = models.BooleanField(default=False, editable=False, db_index=True)
    # No constraint: when a draft is deleted, its live copy stays public (pointing at the
    # deleted draft's id) until a reviewer publishes the deletion.
    draft = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="live_versions",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        """is_live is on no form, yet it is part of every uniqueness rule: check it anyway."""
        super().validate_constraints(exclude=set(exclude or ()) - {"is_live"})


class Evidenced(models.Model):
    """Anything that makes a claim carries an evidence label and its sources."""

    evidence_label = models.CharField(
        max_length=32,
        choices=EvidenceLabel.choices,
        blank=True,
        help_text=_(
            "How strong the evidence behind this text is. Leave blank for plain information."
        ),
    )
    sources = models.ManyToManyField("Source", blank=True)

    _history_m2m_fields = ["sources"]  # simple-history records attached sources too

    class Meta:
        abstract = True

    @property
    def evidence_explanation(self):
        return EVIDENCE_EXPLANATIONS.get(self.evidence_label, "")


class SpanishStatus(models.TextChoices):
    """How a translatable row's Spanish stands against its English (Translatable.spanish_status)."""

    UP_TO_DATE = "up_to_date", _("Spanish up to date")
    OUT_OF_DATE = "out_of_date", _("Translation out of date")
    INCOMPLETE = "incomplete", _("Spanish incomplete")
    MISSING = "missing", _("No Spanish yet")


class Translatable(models.Model):
    """A row whose texts have English and Spanish columns (education/translation.py).

    es_translates is a digest of the English texts the Spanish translates: set whenever a draft's
    Spanish is saved changed (it is taken to translate the English saved with it), or when an
    editor confirms the Spanish still matches (`confirm_spanish`). Publishing copies it live with
    the rest, so the public page knows whether its Spanish is older than its English.
    """

    es_translates = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Digest of the English texts the Spanish translates; empty with no Spanish."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        spanish = self.texts("es")
        if not self.is_live and spanish != getattr(self, "_saved_spanish", None):
            self.confirm_spanish()  # a Spanish text saved translates the English saved with it
        super().save(*args, **kwargs)
        self._saved_spanish = spanish

    @classmethod
    def translated_texts(cls) -> list[str]:
        """The translated fields staff write (not the HTML rendered from them), in the order the
        model declares them: modeltranslation keeps its fields in a set, whose order changes with
        each process's hash seed, and the first is the row's main text (`shown_language`)."""
        from modeltranslation.translator import translator

        registered = translator.get_options_for_model(cls).fields
        return [
            field.name
            for field in cls._meta.concrete_fields
            if field.name in registered and not field.name.endswith("_html")
        ]

    def texts(self, language: str) -> dict[str, str]:
        return {
            name: self.__dict__.get(f"{name}_{language}") or "" for name in self.translated_texts()
        }

    def english_digest(self) -> str:
        encoded = json.dumps(self.texts("en"), sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()[:32]

    @property
    def spanish_status(self) -> str:
        english, spanish = self.texts("en"), self.texts("es")
        if not any(spanish.values()):
            return SpanishStatus.MISSING
        if self.es_translates != self.english_digest():
            return SpanishStatus.OUT_OF_DATE
        if any(english[name] and not spanish[name] for name in english):
            return SpanishStatus.INCOMPLETE
        return SpanishStatus.UP_TO_DATE

    def shown_in(self, text: str) -> str:
        """The language one of the row's texts is read in now: while Spanish is active, English
        only where the text has English and no Spanish (the fallback, marked `lang="en"` on the
        pages); a text empty in both is no English shown."""
        if translation.get_language() != "es":
            return "en"
        if self.__dict__.get(f"{text}_en") and not self.__dict__.get(f"{text}_es"):
            return "en"
        return "es"

    @property
    def shown_language(self) -> str:
        """The language the row is read in now: its main text's (the first it declares)."""
        return self.shown_in(self.translated_texts()[0])

    @property
    def is_fallback(self) -> bool:
        """Whether a Spanish reader sees this row in English, for want of a Spanish text."""
        return translation.get_language() == "es" and self.shown_language == "en"

    @property
    def is_partly_english(self) -> bool:
        """Whether a Spanish reader sees this row in Spanish but some of its texts in English,
        for want of their Spanish."""
        return self.shown_language == "es" and any(
            self.shown_in(name) == "en" for name, text in self.texts("en").items() if text
        )

    @property
    def spanish_is_older(self) -> bool:
        """Whether a Spanish reader sees a Spanish that translates an older English."""
        return (
            translation.get_language() == "es"
            and self.shown_language == "es"
            and self.spanish_status == SpanishStatus.OUT_OF_DATE
        )

    @property
    def english_url(self) -> str:
        """The item on the English page; ?lang=en keeps a Spanish reader there."""
        with translation.override("en"):
            address, _hash, anchor = self.get_absolute_url().partition("#")
        return f"{address}?lang=en" + (f"#{anchor}" if anchor else "")

    def get_spanish_status_display(self) -> str:
        return SpanishStatus(self.spanish_status).label

    def confirm_spanish(self) -> None:
        """The editor's word that the Spanish still says what the current English says."""
        self.es_translates = self.english_digest() if any(self.texts("es").values()) else ""

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._saved_spanish = row.texts("es")
        return row

    def render_each_language(self, source: str, target: str, **options) -> None:
        """Render a Markdown text into its HTML for English and Spanish explicitly, whatever
        language is active (options: render_markdown's, or a callable of the language)."""
        for language in ("en", "es"):
            with translation.override(language):
                values = {key: value() if callable(value) else value
                          for key, value in options.items()}  # fmt: skip
            markdown = self.__dict__.get(f"{source}_{language}") or ""
            setattr(self, f"{target}_{language}", render_markdown(markdown, **values))


def publication_year(value: int) -> None:
    """A source's year: printed works from 1500 on, up to next year (a paper in press); a year
    outside is a typing slip that would show on the public page."""
    last = timezone.localdate().year + 1
    if not 1500 <= value <= last:
        raise ValidationError(
            gettext("Enter the year it was published, from 1500 to %(last)s.") % {"last": last},
            code="publication_year",
        )


class Source(Publishable):
    """A publication cited by content. Drafts are shared between articles; each live article
    has live copies of its own, so approving one article never changes another's page."""

    citation = models.CharField(
        max_length=500, help_text=_("Authors, title, journal or publisher.")
    )
    url = models.URLField(blank=True, max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, validators=[publication_year])
    article = models.ForeignKey(
        "Article",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="live_sources",
        help_text=_("For a live copy: the live article it belongs to."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["citation", "pk"]

    def __str__(self):
        return f"{self.citation} ({self.year})" if self.year else self.citation

    @property
    def link(self):
        """The URL if it is a web address; anything else saved around validation is not linked."""
        return self.url if self.url.startswith(("https://", "http://")) else ""


class Contributor(models.Model):
    """A person or team credited as author or medical reviewer."""

    name = models.CharField(max_length=200)
    credentials = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. MD, board-certified psychiatrist")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("This person's staff account, if they review or publish."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ArticleQuerySet(PublishableQuerySet):
    article_lookup = ""

    def with_content(self):
        """Everything an article page shows, in a fixed number of queries."""
        sections = Section.objects.prefetch_related(
            "sources",
            "claims__sources",
            "faqs__sources",
            "steps",
            "providerquestions",
            "sideeffects",
            "testimonials",
        )
        return self.select_related("author", "medical_reviewer").prefetch_related(
            models.Prefetch("sections", queryset=sections)
        )


class Article(Translatable, Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.TextField(help_text=_("One or two sentences shown on the home page."))
    author = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="authored"
    )
    expires_at = models.DateTimeField(
        _("Remove from public view after"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. From this date and time the article leaves public view and is listed "
            "as due for review. Like any change, it takes effect once a reviewer publishes it."
        ),
    )
    evidence_note = models.TextField(
        blank=True,
        help_text=_("Markdown. What is known about the evidence, in the clinic's own words."),
    )
    evidence_note_html = models.TextField(blank=True, editable=False)
    funding_and_conflicts = models.TextField(
        _("Funding and conflicts of interest"),
        blank=True,
        default=(
            "This page is written and paid for by the clinic, which offers IV ketamine "
            "treatment. That is a conflict of interest: read it alongside independent sources "
            "and your clinician's advice."
        ),
    )
    # Set on the live copy when a medical reviewer's approval is published.
    medical_reviewer = models.ForeignKey(
        Contributor,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="reviewed",
    )
    last_reviewed = models.DateField(null=True, blank=True, editable=False)
    next_review_due = models.DateField(null=True, blank=True, editable=False)
    # Where the draft's pending changes are in review.
    review_state = models.CharField(
        max_length=16, choices=ReviewState.choices, default=ReviewState.EDITING, editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "pk"]
        permissions = [("publish_article", "Can publish articles after medical review")]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "is_live"],
                name="unique_article_slug",
                violation_error_message="Another article already uses this address (slug).",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_each_language("evidence_note", "evidence_note_html")
        slug_changed = (
            self.pk is not None
            and Article.objects.filter(pk=self.pk).exclude(slug=self.slug).exists()
        )
        super().save(*args, **kwargs)
        if slug_changed:  # FAQ answers link to sections by this article's URL
            for faq in FAQ.objects.filter(section__article=self):
                faq.save()

    def get_absolute_url(self):
        return reverse("education:article", kwargs={"slug": self.slug})

    def number_references(self):
        """Number every source cited on the page, in reading order, once each.

        Sets `reference_numbers` on each section, claim and FAQ (from the prefetched content)
        and returns the sources in number order, for the page's reference list.
        """
        numbers = {}
        for section in self.sections.all():
            for item in [section, *section.claims.all(), *section.faqs.all()]:
                item.reference_numbers = []
                for source in item.sources.all():
                    number = numbers.setdefault(source.pk, (len(numbers) + 1, source))[0]
                    item.reference_numbers.append(number)
        return [source for _, source in sorted(numbers.values(), key=lambda pair: pair[0])]


class Section(Translatable, Publishable, Evidenced):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=200)
    anchor = models.SlugField(
        max_length=100,
        blank=True,
        help_text=_("The #link to this section. Made from the heading if blank."),
    )
    is_subsection = models.BooleanField(
        default=False, help_text=_("Show as a smaller heading inside the section above.")
    )
    body = models.TextField(
        blank=True,
        help_text=lazy_format(
            _(
                "Markdown; tables allowed. This section's claims, questions, steps and other "
                "items follow the text, or appear where a line holds only %(marker)s."
            ),
            marker=ITEMS_MARKER,
        ),
    )
    body_html = models.TextField(blank=True, editable=False)
    key_points = models.TextField(
        blank=True,
        help_text=lazy_format(
            _(
                "Markdown bullets, one short sentence each, shown in a box at the top of the "
                "section and in focus mode. Every section of %(words)s words or more should "
                "have them."
            ),
            words=LONG_SECTION_WORDS,
        ),
    )
    key_points_html = models.TextField(blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "anchor"], name="unique_anchor_per_article")
        ]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        self.anchor = self.anchor or self.anchor_from_heading()
        self.render_each_language("body", "body_html")
        self.render_each_language("key_points", "key_points_html")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def clean(self):
        super().clean()
        self.anchor = self.anchor or self.anchor_from_heading()  # checked unique with it

    def anchor_from_heading(self) -> str:
        """The English heading as a #link; a heading with no letter or digit in it (emoji only)
        gives none, so the section's place in the article does: a section never goes without
        one, since its focus-mode page is addressed by it."""
        return slugify(self.heading_en or self.heading)[:100] or f"section-{self.order}"

    def reading_texts(self) -> list[str]:
        """Everything a reader reads in the section: its text and its items (prefetched on the
        article page, so counting costs no query)."""
        texts = [self.body_html]
        for claim in self.claims.all():
            texts.append(claim.text_html)
        for faq in self.faqs.all():
            texts += [faq.question, faq.answer_html]
        for step in self.steps.all():
            texts += [step.title, step.body]
        texts += [question.text for question in self.providerquestions.all()]
        for side_effect in self.sideeffects.all():
            texts += [side_effect.name, side_effect.description, side_effect.management]
        for testimonial in self.testimonials.all():
            texts += [testimonial.attribution, testimonial.quote, testimonial.reflection]
        return texts

    @property
    def reading_minutes(self):
        return reading_minutes(*self.reading_texts())

    @property
    def is_long(self):
        return is_long_text(*self.reading_texts())

    @property
    def html_before_items(self):
        return split_at_items(self.body_html)[0]

    @property
    def html_after_items(self):
        return split_at_items(self.body_html)[1]

    @property
    def html_without_items(self):
        """The text alone, without the marker of its items' place: for the API, which gives no
        items inside a section (a section's FAQs, questions and side effects are lists of their
        own)."""
        return without_items_marker(self.body_html)

    @property
    def markdown_without_items(self):
        return markdown_without_items_marker(self.body)


class SectionItem(Translatable, Publishable):
    """An item shown inside a section."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="%(class)ss")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def get_absolute_url(self):
        return self.section.get_absolute_url()


class PublicItemQuerySet(PublishableQuerySet):
    article_lookup = "section__article"

    def public(self):
        """Items of live articles that have not expired, in reading order."""
        return (
            super()
            .public()
            .select_related("section__article")
            .order_by("section__article__title", "section__order", "order", "pk")
        )


class Claim(SectionItem, Evidenced):
    """A statement of fact the clinic's text makes, labelled with how well it is supported."""

    text = models.TextField(help_text=_("Markdown."))
    text_html = models.TextField(blank=True, editable=False)

    objects = PublicItemQuerySet.as_manager()

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.render_each_language("text", "text_html")
        super().save(*args, **kwargs)


class FAQ(SectionItem, Evidenced):
    question = models.CharField(max_length=300)
    answer = models.TextField(
        help_text=_("Markdown. Link to a section of the article by its anchor: [Learn more](#faq).")
    )
    answer_html = models.TextField(blank=True, editable=False)

    objects = PublicItemQuerySet.as_manager()

    class Meta(SectionItem.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        # Each language's links go to the article page in that language (/es/learn/... for es).
        article = self.section.article
        self.render_each_language("answer", "answer_html", anchor_base=article.get_absolute_url)
        super().save(*args, **kwargs)


class Step(SectionItem):
    title = models.CharField(max_length=200)
    body = models.TextField()

    objects = PublicItemQuerySet.as_manager()

    def __str__(self):
        return self.title


class QuestionCategory(models.TextChoices):
    OUTCOMES = "outcomes", _("Expected outcomes")
    MEDICATIONS = "medications", _("Medications and other treatments")
    SAFETY = "safety", _("Side effects and safety")
    PROGRESS = "progress", _("Measuring progress")
    LIFESTYLE = "lifestyle", _("Lifestyle")
    ALTERNATIVES = "alternatives", _("Alternatives and what happens if I wait")
    PRACTICALITIES = "practicalities", _("Costs and practicalities")


class ProviderQuestionQuerySet(PublicItemQuerySet):
    def grouped_by_category(self):
        """(category label, questions) pairs in catalogue order, leaving out empty categories."""
        questions = list(self)
        groups = [
            (label, [question for question in questions if question.category == value])
            for value, label in QuestionCategory.choices
        ]
        return [(label, members) for label, members in groups if members]


class ProviderQuestion(SectionItem):
    """A question patients can take to their consultation: one line, as the checklist item a
    patient copies it to."""

    text = models.CharField(max_length=300, validators=[OneLineValidator()])
    category = models.CharField(max_length=32, choices=QuestionCategory.choices)

    objects = ProviderQuestionQuerySet.as_manager()

    def __str__(self):
        return self.text


class SideEffect(SectionItem):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    description = models.TextField(help_text=_("What it is, in the clinic's words."))
    management = models.TextField(blank=True, help_text=_("How it is usually managed."))
    get_help_now = models.TextField(
        _("When to get help now"),
        blank=True,
        help_text=_(
            "When to call the emergency number and when to call the clinic the same day, "
            'e.g. "Call your local emergency number (911 in the US) if ...; call the clinic '
            'the same day if ...". Shown in a marked box on the side-effects page.'
        ),
    )
    trackable = models.BooleanField(
        default=True, help_text=_("Patients can record this side effect in their journal.")
    )

    objects = PublicItemQuerySet.as_manager()

    class Meta(SectionItem.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "is_live"],
                name="unique_side_effect_slug",
                violation_error_message="Another side effect already uses this slug.",
            )
        ]

    def __str__(self):
        return self.name


class Testimonial(SectionItem):
    """One person's account; always shown as an individual experience, never as evidence."""

    attribution = models.CharField(
        max_length=200, help_text=_("Who is speaking, as the text introduces them.")
    )
    quote = models.TextField()
    reflection = models.TextField(blank=True, help_text=_("What the text says after the quote."))

    objects = PublicItemQuerySet.as_manager()

    def __str__(self):
        return self.attribution


class Revision(models.Model):
    """A draft article as a medical reviewer approved it, and when it goes (or went) live.

    content is the whole draft (article, sections, items, sources) as publishing.snapshot()
    wrote it at approval, so what goes live is exactly what the reviewer saw, even if the draft
    changes before a scheduled go-live.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    content = models.JSONField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        Contributor,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Credited as medical reviewer; empty for content imported unreviewed."),
    )
    approved_at = models.DateTimeField()
    go_live_at = models.DateTimeField()
    next_review_due = models.DateField(null=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-pk"]

    def __str__(self):
        return f"{self.article} approved {self.approved_at:%Y-%m-%d %H:%M}"


class ReviewEvent(models.Model):
    """One step of an article's review, shown to staff on the article in the admin."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for medical review"
        SENT_BACK = "sent_back", "Sent back"
        APPROVED = "approved", "Approved and published"
        SCHEDULED = "scheduled", "Approved, scheduled to go live"
        PUBLISHED = "published", "Went live"
        SCHEDULE_CANCELLED = "schedule_cancelled", "Scheduled publication cancelled"
        UNPUBLISHED = "unpublished", "Unpublished"
        IMPORTED = "imported", "Imported from the seed file, not medically reviewed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_events")
    action = models.CharField(max_length=32, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    changes = models.JSONField(
        default=list, blank=True, help_text=_("The changed items a sent-back comment is about.")
    )
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article}"


class DraftEdit(models.Model):
    """Who changed an article's draft since its last approval: they may not approve it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="draft_edits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    edited_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_draft_edit_per_user")
        ]

    def __str__(self):
        return f"{self.user} edited {self.article}"


class ReviewDueNotice(models.Model):
    """An e-mail telling the medical reviewers that an article's review is due soon or overdue.

    One per article, kind and period however many schedulers find it due (the unique
    constraint): "due soon" once per due date, "overdue" once per week of being overdue. An
    article never reviewed is overdue from the day it went live, its due_on. The task that sends
    it sets sent_at, so a retried task does not send it again.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Review due soon"
        OVERDUE = "overdue", "Review overdue"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="review_due_notices"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    period = models.DateField(help_text=_("Due soon: the due date. Overdue: the week's first day."))
    due_on = models.DateField()
    created = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "period"], name="one_review_due_notice_per_period"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article} ({self.period})"


class ReviewDueArticle(Article):
    """The admin's "Review due" list: articles whose medical review is overdue or near."""

    class Meta:
        proxy = True
        verbose_name = _("article due for review")
        verbose_name_plural = _("articles due for review")


class PageFeedback(models.Model):
    """A reader's answer to "Was this page helpful?", read by staff in the admin."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = _("page feedback")

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"


class LoadedSeedItem(models.Model):
    """Remembers which seed items were ever loaded, so an editor's edits and deletions stick."""

    key = models.CharField(max_length=200, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
