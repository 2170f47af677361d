"""Patient-education content: an article made of ordered sections, and the typed items
(claims, FAQs, steps, questions, side effects, testimonials) placed inside those sections.

Markdown typed by staff is rendered and sanitised once, on save, into the matching *_html field,
so pages never render Markdown per request and never show unsanitised HTML.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .render import ITEMS_MARKER, render_markdown, split_at_items


class EvidenceLabel(models.TextChoices):
    """How well a piece of text is supported; the label is the badge readers see."""

    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
    CONTROLLED_TRIAL = "controlled_trial", "Controlled trial"
    OBSERVATIONAL = "observational", "Observational study"
    EXPERT_OPINION = "expert_opinion", "Expert opinion"
    INDIVIDUAL_EXPERIENCE = "individual_experience", "Individual experience, not evidence"
    SOURCE_NOT_GIVEN = "source_not_given", "Source not given — not verified by the clinic"


EVIDENCE_EXPLANATIONS = {
    EvidenceLabel.SYSTEMATIC_REVIEW: "A review that pools the results of many studies.",
    EvidenceLabel.CONTROLLED_TRIAL: "A study that compares a treatment with a control group.",
    EvidenceLabel.OBSERVATIONAL: (
        "A study that watches what happens, without a control group. It cannot show cause."
    ),
    EvidenceLabel.EXPERT_OPINION: "The view of clinicians or experts, not a study result.",
    EvidenceLabel.INDIVIDUAL_EXPERIENCE: (
        "One person's account. It does not show that the treatment works for others."
    ),
    EvidenceLabel.SOURCE_NOT_GIVEN: (
        "The text names no study or publication that the clinic could check."
    ),
}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Evidenced(models.Model):
    """Anything that makes a claim carries an evidence label and its sources."""

    evidence_label = models.CharField(
        max_length=32,
        choices=EvidenceLabel.choices,
        blank=True,
        help_text="How strong the evidence behind this text is. Leave blank for plain information.",
    )
    sources = models.ManyToManyField("Source", blank=True)

    class Meta:
        abstract = True

    @property
    def evidence_explanation(self):
        return EVIDENCE_EXPLANATIONS.get(self.evidence_label, "")


class Source(models.Model):
    citation = models.CharField(max_length=500, help_text="Authors, title, journal or publisher.")
    url = models.URLField(blank=True, max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["citation"]

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
        max_length=200, blank=True, help_text="e.g. MD, board-certified psychiatrist"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="This person's staff account, if they review or publish.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Staff preview every article; everyone else sees published ones only."""
        return self if user.is_staff else self.published()

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


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=200)
    summary = models.TextField(help_text="One or two sentences shown on the home page.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="authored"
    )
    medical_reviewer = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed"
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    evidence_note = models.TextField(
        blank=True,
        help_text="Markdown. What is known about the evidence, in the clinic's own words.",
    )
    evidence_note_html = models.TextField(blank=True, editable=False)
    funding_and_conflicts = models.TextField(
        "Funding and conflicts of interest",
        blank=True,
        default=(
            "This page is written and paid for by the clinic, which offers IV ketamine "
            "treatment. That is a conflict of interest: read it alongside independent sources "
            "and your clinician's advice."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        permissions = [("publish_article", "Can publish articles after medical review")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.evidence_note_html = render_markdown(self.evidence_note)
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

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED

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


class Section(Evidenced):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=200)
    anchor = models.SlugField(
        max_length=100,
        blank=True,
        help_text="The #link to this section. Made from the heading if blank.",
    )
    is_subsection = models.BooleanField(
        default=False, help_text="Show as a smaller heading inside the section above."
    )
    body = models.TextField(
        blank=True,
        help_text=(
            "Markdown; tables allowed. This section's claims, questions, steps and other items "
            f"follow the text, or appear where a line holds only {ITEMS_MARKER}."
        ),
    )
    body_html = models.TextField(blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "anchor"], name="unique_anchor_per_article")
        ]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        self.anchor = self.anchor or slugify(self.heading)[:100]
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def html_before_items(self):
        return split_at_items(self.body_html)[0]

    @property
    def html_after_items(self):
        return split_at_items(self.body_html)[1]


class SectionItem(models.Model):
    """An item shown inside a section; public when the section's article is published."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="%(class)ss")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def get_absolute_url(self):
        return self.section.get_absolute_url()


class PublicItemQuerySet(models.QuerySet):
    def public(self):
        """Items of published articles, in reading order."""
        return (
            self.filter(section__article__status=Status.PUBLISHED)
            .select_related("section__article")
            .order_by("section__article__title", "section__order", "order", "pk")
        )


class Claim(SectionItem, Evidenced):
    """A statement of fact the clinic's text makes, labelled with how well it is supported."""

    text = models.TextField(help_text="Markdown.")
    text_html = models.TextField(blank=True, editable=False)

    objects = PublicItemQuerySet.as_manager()

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)


class FAQ(SectionItem, Evidenced):
    question = models.CharField(max_length=300)
    answer = models.TextField(
        help_text="Markdown. Link to a section of the article by its anchor: [Learn more](#faq)."
    )
    answer_html = models.TextField(blank=True, editable=False)

    objects = PublicItemQuerySet.as_manager()

    class Meta(SectionItem.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = render_markdown(
            self.answer, anchor_base=self.section.article.get_absolute_url()
        )
        super().save(*args, **kwargs)


class Step(SectionItem):
    title = models.CharField(max_length=200)
    body = models.TextField()

    objects = PublicItemQuerySet.as_manager()

    def __str__(self):
        return self.title


class QuestionCategory(models.TextChoices):
    OUTCOMES = "outcomes", "Expected outcomes"
    MEDICATIONS = "medications", "Medications and other treatments"
    SAFETY = "safety", "Side effects and safety"
    PROGRESS = "progress", "Measuring progress"
    LIFESTYLE = "lifestyle", "Lifestyle"
    ALTERNATIVES = "alternatives", "Alternatives and what happens if I wait"
    PRACTICALITIES = "practicalities", "Costs and practicalities"


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
    """A question patients can take to their consultation."""

    text = models.CharField(max_length=300)
    category = models.CharField(max_length=32, choices=QuestionCategory.choices)

    objects = ProviderQuestionQuerySet.as_manager()

    def __str__(self):
        return self.text


class SideEffect(SectionItem):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(help_text="What it is, in the clinic's words.")
    management = models.TextField(blank=True, help_text="How it is usually managed.")
    trackable = models.BooleanField(
        default=True, help_text="Patients can record this side effect in their journal."
    )

    objects = PublicItemQuerySet.as_manager()

    def __str__(self):
        return self.name


class Testimonial(SectionItem):
    """One person's account; always shown as an individual experience, never as evidence."""

    attribution = models.CharField(
        max_length=200, help_text="Who is speaking, as the text introduces them."
    )
    quote = models.TextField()
    reflection = models.TextField(blank=True, help_text="What the text says after the quote.")

    objects = PublicItemQuerySet.as_manager()

    def __str__(self):
        return self.attribution


class ReviewDueArticle(Article):
    """The admin's "Review due" list: articles whose medical review is overdue or near."""

    class Meta:
        proxy = True
        verbose_name = "article due for review"
        verbose_name_plural = "articles due for review"


class PageFeedback(models.Model):
    """A reader's answer to "Was this page helpful?", read by staff in the admin."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "page feedback"

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"


class LoadedSeedItem(models.Model):
    """Remembers which seed items were ever loaded, so an editor's edits and deletions stick."""

    key = models.CharField(max_length=200, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


class ContentRevision(models.Model):
    """When public content last changed: one row, touched on every content save and delete.

    Public API responses derive their ETag and Last-Modified from it, so an edit in the admin
    changes both at once, deletions included.
    """

    changed_at = models.DateTimeField()

    def __str__(self):
        return f"Content changed {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def current(cls):
        revision, _ = cls.objects.get_or_create(pk=1, defaults={"changed_at": timezone.now()})
        return revision.changed_at

    @classmethod
    def touch(cls):
        cls.objects.update_or_create(pk=1, defaults={"changed_at": timezone.now()})
