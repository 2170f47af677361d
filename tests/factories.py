import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from education import publishing, review
from education.models import (
    FAQ,
    Article,
    Claim,
    Contributor,
    ProviderQuestion,
    QuestionCategory,
    Section,
    SideEffect,
    Source,
    Step,
    Testimonial,
)
from education.publishing import writing_live_content
from education.roles import ensure_content_editors_group, ensure_medical_reviewers_group
from journal.care import rules as care_rules
from journal.models import (
    BloodPressureReading,
    CareConnection,
    Checklist,
    ChecklistItem,
    Clinic,
    InfusionSession,
    ItemOrigin,
    JournalEntry,
    Medication,
    QuestionnaireResponse,
    SideEffectReport,
)
from journal.prep import rules


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")


class EditorFactory(UserFactory):
    """A clinic editor: staff, in the "Content editors" group, not a superuser."""

    class Meta:
        skip_postgeneration_save = True  # adding a group needs no save of the user

    is_staff = True

    @factory.post_generation
    def editor_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(ensure_content_editors_group())


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Contributor {n}")


class ReviewerFactory(UserFactory):
    """A medical reviewer: staff, in "Medical reviewers", with a contributor profile that names
    them with credentials (publishing needs one)."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def reviewer_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(ensure_medical_reviewers_group())
            Contributor.objects.create(
                user=self, name=f"Dr {self.username.title()}", credentials="MD, psychiatrist"
            )


def publish_draft(draft, reviewer=None, **approval):
    """Approve a draft article as a medical reviewer does on its review screen."""
    reviewer = reviewer or ReviewerFactory()
    seen = publishing.fingerprint(publishing.snapshot(draft))
    return review.approve(article=draft, user=reviewer, seen=seen, **approval)


class ContentFactory(factory.django.DjangoModelFactory):
    """Content as it is once published: live rows, as the public reads them (is_live=False
    makes drafts, as staff edit them). Tests of what readers see start from here; tests of the
    review workflow start from drafts and publish through education.review.

    """

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        with writing_live_content():  # tests may set up live rows directly
            return super()._generate(strategy, params)


class CitingFactory(ContentFactory):
    """A section, claim or FAQ: `sources=[...]` attaches sources."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True  # attaching sources needs no second save

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class ArticleFactory(ContentFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary."
    is_live = True


class SectionFactory(CitingFactory):
    class Meta:
        model = Section

    article = factory.SubFactory(ArticleFactory)
    is_live = factory.SelfAttribute("article.is_live")
    heading = factory.Sequence(lambda n: f"Section heading {n}")
    order = factory.Sequence(lambda n: n)
    body = "Some **body** text."


class SourceFactory(ContentFactory):
    class Meta:
        model = Source

    citation = factory.Sequence(lambda n: f"A checkable study {n}")
    url = "https://example.org/study"
    year = 2024


class ClaimFactory(CitingFactory):
    class Meta:
        model = Claim

    section = factory.SubFactory(SectionFactory)
    is_live = factory.SelfAttribute("section.is_live")
    text = factory.Sequence(lambda n: f"A claim number {n}.")
    evidence_label = "source_not_given"


class FAQFactory(CitingFactory):
    class Meta:
        model = FAQ

    section = factory.SubFactory(SectionFactory)
    is_live = factory.SelfAttribute("section.is_live")
    question = factory.Sequence(lambda n: f"Question number {n}?")
    answer = "An answer."


class StepFactory(ContentFactory):
    class Meta:
        model = Step

    section = factory.SubFactory(SectionFactory)
    is_live = factory.SelfAttribute("section.is_live")
    title = factory.Sequence(lambda n: f"Step {n}")
    body = "What happens in this step."


class ProviderQuestionFactory(ContentFactory):
    class Meta:
        model = ProviderQuestion

    section = factory.SubFactory(SectionFactory)
    is_live = factory.SelfAttribute("section.is_live")
    text = factory.Sequence(lambda n: f"What should I ask, number {n}?")
    category = QuestionCategory.OUTCOMES


class SideEffectFactory(ContentFactory):
    class Meta:
        model = SideEffect

    section = factory.SubFactory(SectionFactory)
    is_live = factory.SelfAttribute("section.is_live")
    name = factory.Sequence(lambda n: f"Side effect {n}")
    slug = factory.Sequence(lambda n: f"side-effect-{n}")
    description = "What it feels like."


class TestimonialFactory(ContentFactory):
    class Meta:
        model = Testimonial

    section = factory.SubFactory(SectionFactory)
    is_live = factory.SelfAttribute("section.is_live")
    attribution = factory.Sequence(lambda n: f"Patient {n} says:")
    quote = "It helped me."


def first_free_date(entry):
    """Today, or else the latest day before it on which the patient has no entry: there is one
    check-in per date, so a patient's entries made without a date go back a day each."""
    day = timezone.localdate()
    if entry.user.pk is None:
        return day
    taken = set(JournalEntry.objects.filter(user=entry.user).values_list("date", flat=True))
    while day in taken:
        day -= datetime.timedelta(days=1)
    return day


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    user = factory.SubFactory(UserFactory)
    date = factory.LazyAttribute(first_free_date)
    focus = 5
    hyperactivity = 5
    impulsivity = 5
    mood = 5
    anxiety = 5
    sleep_hours = 7
    notes = "A day like any other."


class InfusionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InfusionSession

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    clinic = "Test clinic"
    duration_minutes = 45


class BloodPressureReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BloodPressureReading

    user = factory.SubFactory(UserFactory)
    measured_at = factory.LazyFunction(timezone.now)
    systolic = 120
    diastolic = 80
    pulse = 70


class SideEffectReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SideEffectReport

    user = factory.SubFactory(UserFactory)
    other_name = "Dizziness"
    severity = 4
    occurred_at = factory.LazyFunction(timezone.now)


class MedicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medication

    user = factory.SubFactory(UserFactory)
    name = "Methylphenidate"
    dose = "20 mg"
    frequency = "every morning"


class QuestionnaireResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireResponse

    user = factory.SubFactory(UserFactory)
    questionnaire = "phq9"
    answers = [1, 1, 1, 1, 1, 0, 0, 0, 0]


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    user = factory.SubFactory(UserFactory)
    appointment_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=7)
    )
    clinician = "Dr Rivera"
    clinic = "Harbour Street Clinic"
    reason = "Three-month review"


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    checklist = factory.SubFactory(ChecklistFactory)
    text = factory.Sequence(lambda n: f"My own question number {n}?")
    origin = ItemOrigin.OWN
    # After the checklist's last question, as the rules number them: a counter shared by the whole
    # run would pass ChecklistItem.MAX_POSITION, which the API's schema caps.
    position = factory.LazyAttribute(lambda item: rules.next_position(item.checklist))


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Riverside Clinic {n}")


class ClinicianFactory(UserFactory):
    """A staff member in the Clinicians group who works at a clinic (clinic=...)."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def clinic(self, create, extracted, **kwargs):
        self.groups.add(care_rules.ensure_clinicians_group())
        if extracted:
            extracted.clinicians.add(self)


class CareConnectionFactory(factory.django.DjangoModelFactory):
    """A patient's open connection, sharing every scope unless told otherwise."""

    class Meta:
        model = CareConnection

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    summary = True
    journal = True
    questionnaires = True
    alerts = True
