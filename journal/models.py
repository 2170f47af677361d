"""A patient's own records. Every model here belongs to one user and is shown to nobody else."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import safety
from .questionnaires import ANSWER_CHOICES, QUESTIONNAIRES

# A clock a few minutes fast on the patient's phone should not block a reading taken now.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


def not_in_future(value):
    """A journal records what has happened, so nothing in it is dated after now."""
    if isinstance(value, datetime.datetime):
        in_future = value > timezone.now() + CLOCK_TOLERANCE
    else:
        in_future = value > timezone.localdate()
    if in_future:
        raise ValidationError("This can't be in the future.")


def rating_field(label, help_text):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=help_text,
    )


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class Record(models.Model):
    """Common ground of every journal record: an owner, and a page of its own."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    # The URL prefix of the record's pages, e.g. "entries" for /journal/entries/.
    kind = ""

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return reverse(f"journal:{self.kind}_detail", kwargs={"pk": self.pk})

    def details(self):
        """(label, value) pairs shown on the record's own page."""
        rows = []
        for model_field in self._meta.fields:
            if not model_field.editable or model_field.name in {"id", "user"}:
                continue
            if model_field.choices:
                value = getattr(self, f"get_{model_field.name}_display")()
            else:
                value = getattr(self, model_field.name)
            rows.append(
                (model_field.verbose_name[:1].upper() + model_field.verbose_name[1:], value)
            )
        return rows


# Each rating, its label, and whether a higher number is better for the patient.
RATINGS = [
    ("focus", "Focus", True),
    ("hyperactivity", "Hyperactivity", False),
    ("impulsivity", "Impulsivity", False),
    ("mood", "Mood", True),
    ("anxiety", "Anxiety", False),
]
RATING_NAMES = [name for name, _, _ in RATINGS]


class JournalEntry(Record):
    kind = "entries"

    date = models.DateField(default=timezone.localdate, validators=[not_in_future])
    focus = rating_field("Focus", "0 = no focus at all, 10 = best focus")
    hyperactivity = rating_field("Hyperactivity", "0 = calm, 10 = can't sit still")
    impulsivity = rating_field("Impulsivity", "0 = in control, 10 = very impulsive")
    mood = rating_field("Mood", "0 = very low, 10 = very good")
    anxiety = rating_field("Anxiety", "0 = none, 10 = severe")
    sleep_hours = models.DecimalField(
        "Sleep (hours)",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    notes = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["-date", "-created"]
        verbose_name = "journal entry"
        verbose_name_plural = "journal entries"

    def __str__(self):
        return f"Journal entry, {self.date:%d %b %Y}"

    def clean(self):
        if all(getattr(self, name) is None for name in RATING_NAMES) and self.sleep_hours is None:
            if not self.notes.strip():
                raise ValidationError("Fill in at least one rating, your sleep or a note.")


class InfusionSession(Record):
    kind = "infusions"

    date = models.DateField(default=timezone.localdate, validators=[not_in_future])
    clinic = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "Duration (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    systolic_before = models.PositiveSmallIntegerField("Systolic before", null=True, blank=True)
    diastolic_before = models.PositiveSmallIntegerField("Diastolic before", null=True, blank=True)
    systolic_after = models.PositiveSmallIntegerField("Systolic after", null=True, blank=True)
    diastolic_after = models.PositiveSmallIntegerField("Diastolic after", null=True, blank=True)
    notes = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["-date", "-created"]
        verbose_name = "infusion"

    def __str__(self):
        return f"Infusion, {self.date:%d %b %Y}" + (f" at {self.clinic}" if self.clinic else "")

    def clean(self):
        errors = {}
        for moment in ("before", "after"):
            systolic_field, diastolic_field = f"systolic_{moment}", f"diastolic_{moment}"
            systolic, diastolic = getattr(self, systolic_field), getattr(self, diastolic_field)
            if (systolic is None) != (diastolic is None):
                missing = diastolic_field if diastolic is None else systolic_field
                errors[missing] = "Enter both numbers of the reading, or neither."
            elif systolic is not None:
                errors.update(
                    safety.reading_errors(systolic, diastolic, systolic_field, diastolic_field)
                )
        if errors:
            raise ValidationError(errors)


class BloodPressureContext(models.TextChoices):
    HOME = "home", "At home"
    BEFORE_INFUSION = "before_infusion", "Before an infusion"
    AFTER_INFUSION = "after_infusion", "After an infusion"


class BloodPressureReading(Record):
    kind = "blood-pressure"

    measured_at = models.DateTimeField(default=timezone.now, validators=[not_in_future])
    systolic = models.PositiveSmallIntegerField(help_text="The top number, in mmHg.")
    diastolic = models.PositiveSmallIntegerField(help_text="The bottom number, in mmHg.")
    pulse = models.PositiveSmallIntegerField(
        "Pulse (beats a minute)",
        null=True,
        blank=True,
        validators=[MinValueValidator(safety.PULSE_MIN), MaxValueValidator(safety.PULSE_MAX)],
    )
    context = models.CharField(
        max_length=20, choices=BloodPressureContext.choices, default=BloodPressureContext.HOME
    )
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-measured_at"]
        verbose_name = "blood-pressure reading"

    def __str__(self):
        when = timezone.localtime(self.measured_at)
        return f"{self.systolic}/{self.diastolic} mmHg, {when:%d %b %Y %H:%M}"

    def clean(self):
        if self.systolic is not None and self.diastolic is not None:
            errors = safety.reading_errors(self.systolic, self.diastolic)
            if errors:
                raise ValidationError(errors)

    @property
    def safety(self):
        return safety.assess(
            self.systolic, self.diastolic, self.context == BloodPressureContext.BEFORE_INFUSION
        )


class SideEffectReport(Record):
    kind = "side-effects"

    side_effect = models.ForeignKey(
        "education.SideEffect",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Choose from the clinic's list, or leave empty and name it below.",
    )
    other_name = models.CharField("Other side effect", max_length=100, blank=True)
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 = barely noticeable, 10 = the worst you can imagine",
    )
    occurred_at = models.DateTimeField("When", default=timezone.now, validators=[not_in_future])
    infusion = models.ForeignKey(
        InfusionSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="If it came after an infusion.",
    )
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = "side-effect report"

    def __str__(self):
        when = timezone.localtime(self.occurred_at)
        return f"{self.name}, {self.severity}/10, {when:%d %b %Y}"

    @property
    def name(self):
        return self.side_effect.name if self.side_effect_id else self.other_name

    def clean(self):
        if not self.side_effect_id and not self.other_name.strip():
            raise ValidationError({"other_name": "Choose a side effect from the list or name it."})
        if self.infusion_id and self.infusion.user_id != self.user_id:
            raise ValidationError({"infusion": "Choose one of your own infusions."})


class MedicationQuerySet(OwnedQuerySet):
    def current(self):
        return self.filter(
            models.Q(stopped__isnull=True) | models.Q(stopped__gte=timezone.localdate())
        )


class Medication(Record):
    kind = "medications"

    name = models.CharField(max_length=200)
    dose = models.CharField(max_length=100, blank=True, help_text="e.g. 20 mg")
    frequency = models.CharField(
        "How often", max_length=100, blank=True, help_text="e.g. every morning"
    )
    started = models.DateField(null=True, blank=True, validators=[not_in_future])
    stopped = models.DateField(null=True, blank=True, help_text="Leave empty if you still take it.")

    objects = MedicationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return " ".join(part for part in [self.name, self.dose] if part)

    def clean(self):
        if self.started and self.stopped and self.stopped < self.started:
            raise ValidationError({"stopped": "The stop date can't be before the start date."})

    @property
    def is_current(self):
        return self.stopped is None or self.stopped >= timezone.localdate()


class QuestionnaireResponse(Record):
    """A completed PHQ-9 or GAD-7, with its score worked out when it is saved."""

    kind = "questionnaires"

    questionnaire = models.CharField(
        max_length=10, choices=[(code, q.name) for code, q in QUESTIONNAIRES.items()]
    )
    answers = models.JSONField(help_text="One answer (0-3) per item, in order.")
    score = models.PositiveSmallIntegerField(editable=False)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = "questionnaire"

    def __str__(self):
        when = timezone.localtime(self.taken_at)
        return f"{self.get_questionnaire_display()}: {self.score}, {when:%d %b %Y}"

    def save(self, *args, **kwargs):
        self.score = sum(self.answers)
        super().save(*args, **kwargs)

    @property
    def definition(self):
        return QUESTIONNAIRES[self.questionnaire]

    @property
    def severity(self):
        return self.definition.severity(self.score)

    @property
    def answered_items(self):
        """(question, answer in words) pairs, in the questionnaire's order."""
        words = dict(ANSWER_CHOICES)
        return [
            (item, words[answer])
            for item, answer in zip(self.definition.items, self.answers, strict=True)
        ]

    @property
    def needs_crisis_resources(self):
        return self.definition.needs_crisis_resources(self.answers)
