"""A patient's own records. Every model here belongs to one user and is shown to nobody else."""

import datetime
import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from education.models import QuestionCategory
from lib.validators import OneLineValidator  # also journal.models' name in older migrations

from . import safety
from .questionnaires import DIFFICULTY_CHOICES, QUESTIONNAIRES

# A clock a few minutes fast on the patient's phone should not block a reading taken now.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


FIRST_YEAR, LAST_YEAR = 1900, 2100


def in_supported_years(value):
    """Dates far from today are typing mistakes, and at the calendar's ends date arithmetic
    (a week before, a day after) would fail."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            gettext("Enter a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def not_in_future(value):
    """A journal records what has happened, so nothing in it is dated after now."""
    if isinstance(value, datetime.datetime):
        in_future = value > timezone.now() + CLOCK_TOLERANCE
    else:
        in_future = value > timezone.localdate()
    if in_future:
        raise ValidationError(gettext("This can't be in the future."))


# What a blood-pressure monitor can show: a number outside gets one plain message, on any database
# (without these the database's own limit, 32767 or 2**63-1, would be named instead).
SYSTOLIC_MESSAGE = format_lazy(
    _("Enter a top number between {lowest} and {highest}."),
    lowest=safety.SYSTOLIC_MIN,
    highest=safety.SYSTOLIC_MAX,
)
DIASTOLIC_MESSAGE = format_lazy(
    _("Enter a bottom number between {lowest} and {highest}."),
    lowest=safety.DIASTOLIC_MIN,
    highest=safety.DIASTOLIC_MAX,
)
PULSE_MESSAGE = format_lazy(
    _("Enter a pulse from {lowest} to {highest} beats a minute."),
    lowest=safety.PULSE_MIN,
    highest=safety.PULSE_MAX,
)
MONITOR_RANGES = {
    "systolic": (safety.SYSTOLIC_MIN, safety.SYSTOLIC_MAX, SYSTOLIC_MESSAGE),
    "diastolic": (safety.DIASTOLIC_MIN, safety.DIASTOLIC_MAX, DIASTOLIC_MESSAGE),
    "pulse": (safety.PULSE_MIN, safety.PULSE_MAX, PULSE_MESSAGE),
}


class MonitorNumberField(models.PositiveSmallIntegerField):
    """A number a monitor shows. Its form leaves the range to the field's validators, whose
    message says what a monitor shows: Django's form would refuse a negative number first with
    its own "greater than or equal to 0". Migrations see the plain field: only forms differ."""

    def formfield(self, **kwargs):
        return super().formfield(**{"min_value": None, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveSmallIntegerField", args, kwargs


def monitor_field(kind, label, **options):
    """A systolic, diastolic or pulse number, within what a monitor shows."""
    lowest, highest, message = MONITOR_RANGES[kind]
    return MonitorNumberField(
        label,
        validators=[MinValueValidator(lowest, message), MaxValueValidator(highest, message)],
        **options,
    )


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
            if isinstance(value, datetime.datetime):
                # In the patient's zone: the template's filters would show the stored UTC.
                value = date_format(timezone.localtime(value), "DATETIME_FORMAT")
            rows.append(
                (model_field.verbose_name[:1].upper() + model_field.verbose_name[1:], value)
            )
        return rows


# Each rating, its label, and whether a higher number is better for the patient.
RATINGS = [
    ("focus", _("Focus"), True),
    ("hyperactivity", _("Hyperactivity"), False),
    ("impulsivity", _("Impulsivity"), False),
    ("mood", _("Mood"), True),
    ("anxiety", _("Anxiety"), False),
]
RATING_NAMES = [name for name, _, _ in RATINGS]


class JournalEntry(Record):
    kind = "entries"

    date = models.DateField(
        _("date"), default=timezone.localdate, validators=[in_supported_years, not_in_future]
    )
    focus = rating_field(_("Focus"), _("0 = no focus at all, 10 = best focus"))
    hyperactivity = rating_field(_("Hyperactivity"), _("0 = calm, 10 = can't sit still"))
    impulsivity = rating_field(_("Impulsivity"), _("0 = in control, 10 = very impulsive"))
    mood = rating_field(_("Mood"), _("0 = very low, 10 = very good"))
    anxiety = rating_field(_("Anxiety"), _("0 = none, 10 = severe"))
    sleep_hours = models.DecimalField(
        _("Sleep (hours)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        ordering = ["-date", "-created"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        # One check-in per date: saving again updates it (journal.services.save_check_in).
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="one_journal_entry_per_date")
        ]

    def __str__(self):
        return gettext("Journal entry, %(date)s") % {"date": date_format(self.date, "d M Y")}

    def clean(self):
        if all(getattr(self, name) is None for name in RATING_NAMES) and self.sleep_hours is None:
            if not self.notes.strip():
                raise ValidationError(
                    gettext("Fill in at least one rating, your sleep or a note."), code="empty"
                )


class InfusionSession(Record):
    kind = "infusions"

    date = models.DateField(
        _("date"), default=timezone.localdate, validators=[in_supported_years, not_in_future]
    )
    clinic = models.CharField(
        _("clinic"), max_length=200, blank=True, validators=[OneLineValidator()]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("Duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    systolic_before = monitor_field("systolic", _("Systolic before"), null=True, blank=True)
    diastolic_before = monitor_field("diastolic", _("Diastolic before"), null=True, blank=True)
    systolic_after = monitor_field("systolic", _("Systolic after"), null=True, blank=True)
    diastolic_after = monitor_field("diastolic", _("Diastolic after"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        ordering = ["-date", "-created"]
        verbose_name = _("infusion")
        verbose_name_plural = _("infusions")

    def __str__(self):
        date = date_format(self.date, "d M Y")
        if self.clinic:
            return gettext("Infusion, %(date)s at %(clinic)s") % {
                "date": date,
                "clinic": self.clinic,
            }
        return gettext("Infusion, %(date)s") % {"date": date}

    @property
    def monitoring_record(self):
        """The clinic's monitoring record of this infusion (InfusionMonitoring), or None."""
        try:
            return self.monitoring
        except InfusionMonitoring.DoesNotExist:
            return None

    def clean(self):
        errors = paired_reading_errors(self, moments=["before", "after"])
        if errors:
            raise ValidationError(errors)

    @property
    def safety(self):
        """The message its readings call for, as a reading of its own would get one: the one
        before dosing is judged as a reading before an infusion; the more pressing of the two."""
        return safety.most_pressing(
            [
                safety.assess(systolic=systolic, diastolic=diastolic, before_infusion=before)
                for systolic, diastolic, before in [
                    (self.systolic_before, self.diastolic_before, True),
                    (self.systolic_after, self.diastolic_after, False),
                ]
                if systolic is not None and diastolic is not None
            ]
        )


def paired_reading_errors(record, *, moments: list[str]) -> dict[str, str]:
    """Messages, by field, for the optional readings systolic_<moment>/diastolic_<moment> of a
    record: both numbers or neither, each within what a monitor shows (journal.safety)."""
    errors = {}
    for moment in moments:
        systolic_field, diastolic_field = f"systolic_{moment}", f"diastolic_{moment}"
        systolic, diastolic = getattr(record, systolic_field), getattr(record, diastolic_field)
        if (systolic is None) != (diastolic is None):
            missing = diastolic_field if diastolic is None else systolic_field
            errors[missing] = gettext("Enter both numbers of the reading, or neither.")
        elif systolic is not None:
            errors.update(
                safety.reading_errors(
                    systolic=systolic,
                    diastolic=diastolic,
                    systolic_field=systolic_field,
                    diastolic_field=diastolic_field,
                )
            )
    return errors


class BloodPressureContext(models.TextChoices):
    HOME = "home", _("At home")
    BEFORE_INFUSION = "before_infusion", _("Before an infusion")
    AFTER_INFUSION = "after_infusion", _("After an infusion")


class BloodPressureReading(Record):
    kind = "blood-pressure"

    measured_at = models.DateTimeField(
        _("measured at"), default=timezone.now, validators=[in_supported_years, not_in_future]
    )
    systolic = monitor_field("systolic", _("systolic"), help_text=_("The top number, in mmHg."))
    diastolic = monitor_field(
        "diastolic", _("diastolic"), help_text=_("The bottom number, in mmHg.")
    )
    pulse = monitor_field("pulse", _("Pulse (beats a minute)"), null=True, blank=True)
    context = models.CharField(
        _("context"),
        max_length=20,
        choices=BloodPressureContext.choices,
        default=BloodPressureContext.HOME,
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-measured_at"]
        verbose_name = _("blood-pressure reading")
        verbose_name_plural = _("blood-pressure readings")

    def __str__(self):
        when = date_format(timezone.localtime(self.measured_at), "d M Y H:i")
        return f"{self.systolic}/{self.diastolic} mmHg, {when}"

    def clean(self):
        if self.systolic is not None and self.diastolic is not None:
            errors = safety.reading_errors(systolic=self.systolic, diastolic=self.diastolic)
            if errors:
                raise ValidationError(errors)

    @property
    def safety(self):
        return safety.assess(
            systolic=self.systolic,
            diastolic=self.diastolic,
            before_infusion=self.context == BloodPressureContext.BEFORE_INFUSION,
        )


class SideEffectReport(Record):
    kind = "side-effects"

    side_effect = models.ForeignKey(
        "education.SideEffect",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("side effect"),
        help_text=_("Choose from the clinic's list, or leave empty and name it below."),
    )
    other_name = models.CharField(
        _("Other side effect"), max_length=100, blank=True, validators=[OneLineValidator()]
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 = barely noticeable, 10 = the worst you can imagine"),
    )
    occurred_at = models.DateTimeField(
        _("When"), default=timezone.now, validators=[in_supported_years, not_in_future]
    )
    infusion = models.ForeignKey(
        InfusionSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("infusion"),
        help_text=_("If it came after an infusion."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("side-effect report")
        verbose_name_plural = _("side-effect reports")

    def __str__(self):
        when = date_format(timezone.localtime(self.occurred_at), "d M Y")
        return f"{self.name}, {self.severity}/10, {when}"

    @property
    def name(self):
        return self.side_effect.name if self.side_effect_id else self.other_name

    def clean(self):
        if not self.side_effect_id and not self.other_name.strip():
            raise ValidationError(
                {"other_name": gettext("Choose a side effect from the list or name it.")}
            )
        if self.side_effect_id and self.other_name.strip():  # the name would not be shown
            raise ValidationError(
                {
                    "other_name": gettext(
                        "Choose a side effect from the list or name another one, not both: "
                        "empty this box, or choose “Other (name it below)” in the list."
                    )
                }
            )
        if self.infusion_id and self.infusion.user_id != self.user_id:
            raise ValidationError({"infusion": gettext("Choose one of your own infusions.")})


class MedicationQuerySet(OwnedQuerySet):
    def current(self):
        return self.filter(
            models.Q(stopped__isnull=True) | models.Q(stopped__gte=timezone.localdate())
        )


class Medication(Record):
    kind = "medications"

    name = models.CharField(_("name"), max_length=200, validators=[OneLineValidator()])
    dose = models.CharField(
        _("dose"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 20 mg"),
        validators=[OneLineValidator()],
    )
    frequency = models.CharField(
        _("How often"),
        max_length=100,
        blank=True,
        help_text=_("e.g. every morning"),
        validators=[OneLineValidator()],
    )
    started = models.DateField(
        _("started"), null=True, blank=True, validators=[in_supported_years, not_in_future]
    )
    stopped = models.DateField(
        _("stopped"),
        null=True,
        blank=True,
        validators=[in_supported_years],
        help_text=_("Leave empty if you still take it."),
    )

    objects = MedicationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("medication")
        verbose_name_plural = _("medications")

    def __str__(self):
        return " ".join(part for part in [self.name, self.dose] if part)

    def clean(self):
        if self.started and self.stopped and self.stopped < self.started:
            raise ValidationError(
                {"stopped": gettext("The stop date can't be before the start date.")}
            )

    @property
    def is_current(self):
        return self.stopped is None or self.stopped >= timezone.localdate()


class QuestionnaireResponse(Record):
    """A completed PHQ-9 or GAD-7, with its score worked out when it is saved."""

    kind = "questionnaires"

    questionnaire = models.CharField(
        _("questionnaire"),
        max_length=10,
        choices=[(code, q.name) for code, q in QUESTIONNAIRES.items()],
    )
    answers = models.JSONField(_("answers"), help_text=_("One answer (0-3) per item, in order."))
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"),
        null=True,
        blank=True,
        choices=DIFFICULTY_CHOICES,
        help_text=_("PHQ-9's last question, how difficult the problems made life: not scored."),
    )
    score = models.PositiveSmallIntegerField(_("score"), editable=False)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        when = date_format(timezone.localtime(self.taken_at), "d M Y")
        return f"{self.get_questionnaire_display()}: {self.score}, {when}"

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
        words = dict(self.definition.answer_choices)
        return [
            (item, words[answer])
            for item, answer in zip(self.definition.questions, self.answers, strict=True)
        ]

    @property
    def needs_crisis_resources(self):
        return self.definition.needs_crisis_resources(self.answers)


# Consultation prep: the tables behind journal/prep/. They stay in this module, where Django and the
# migrations find every table of the journal app.


class Checklist(Record):
    """Questions to take to one appointment, built from the catalogue and the patient's journal."""

    kind = "checklists"

    appointment_date = models.DateField(_("appointment date"), validators=[in_supported_years])
    appointment_time = models.TimeField(_("appointment time"), null=True, blank=True)
    clinician = models.CharField(
        _("clinician"), max_length=200, blank=True, validators=[OneLineValidator()]
    )
    clinic = models.CharField(
        _("clinic"), max_length=200, blank=True, validators=[OneLineValidator()]
    )
    reason = models.CharField(
        _("Reason for the visit"), max_length=300, blank=True, validators=[OneLineValidator()]
    )
    # Left empty, the sheet, its PDF and share links name nobody: the patient opts in by typing it.
    patient_name = models.CharField(
        _("Name on the sheet"),
        max_length=150,
        blank=True,
        validators=[OneLineValidator()],
        help_text=_(
            "Optional. Leave it empty to keep your name off the sheet, the PDF and share links."
        ),
    )
    # A date before today is taken only with this ticked (rules.check_appointment_date in
    # journal.prep), so a mistyped year is caught rather than filed as a checklist nobody uses.
    is_past_visit = models.BooleanField(_("This is a record of a past visit"), default=False)
    # Generated questions the patient removed: rebuilding the checklist must not bring them back.
    removed_source_keys = models.JSONField(default=list, editable=False)

    class Meta:
        ordering = ["-appointment_date", "-created"]

    def __str__(self):
        date = date_format(self.appointment_date, "d M Y")
        if self.clinician:
            return gettext("Appointment with %(clinician)s, %(date)s") % {
                "clinician": self.clinician,
                "date": date,
            }
        return gettext("Appointment, %(date)s") % {"date": date}

    def get_absolute_url(self):
        return reverse("checklists:detail", kwargs={"pk": self.pk})

    @property
    def details_line(self):
        """Time, clinic and reason, joined by dots, leaving out what is not given."""
        time = self.appointment_time.strftime("%H:%M") if self.appointment_time else ""
        clinic = gettext("at %(clinic)s") % {"clinic": self.clinic} if self.clinic else ""
        return " · ".join(part for part in [time, clinic, self.reason] if part)

    def previous(self, *, held_by: datetime.date | None = None):
        """The patient's appointment before this one, if any; with held_by, the last one on or
        before that date."""
        earlier = Checklist.objects.owned_by(self.user_id).filter(
            appointment_date__lt=self.appointment_date
        )
        if held_by is not None:
            earlier = earlier.filter(appointment_date__lte=held_by)
        return earlier.order_by("-appointment_date", "-created").first()


class ItemOrigin(models.TextChoices):
    CATALOGUE = "catalogue", _("From the clinic's list")
    PERSONALISED = "personalised", _("From my journal")
    OWN = "own", _("My own question")


class ChecklistItem(models.Model):
    MAX_TOP_PRIORITY = 3
    # The furthest place a client may ask for (a place past the end puts the question last); the
    # server numbers the questions 1, 2, 3... itself (journal.prep.rules.move_item).
    MAX_POSITION = 1000
    # The most questions a checklist takes from the patient, or carries over: room for the
    # clinic's and the journal's questions besides, and every place within MAX_POSITION.
    MAX_QUESTIONS = 200

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("Question"), max_length=500, validators=[OneLineValidator()])
    origin = models.CharField(max_length=20, choices=ItemOrigin.choices, default=ItemOrigin.OWN)
    category = models.CharField(
        max_length=32, choices=QuestionCategory.choices, blank=True, default=""
    )
    data_note = models.CharField(
        max_length=500, blank=True, help_text=_("The journal data that led to this question.")
    )
    # What produced the item (a catalogue question, a side effect...), so a rebuild adds no twin.
    source_key = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_top_priority = models.BooleanField(_("Top priority"), default=False)
    asked = models.BooleanField(default=False)
    answer_notes = models.TextField(_("Answer"), blank=True, max_length=5000)

    class Meta:
        # Top questions first; journal.prep.rules numbers the positions in this same order.
        ordering = ["-is_top_priority", "position", "pk"]

    def __str__(self):
        return self.text


class ShareLink(models.Model):
    """A read-only link for the clinician: unguessable, expiring, revocable, each view logged."""

    DEFAULT_LIFETIME = datetime.timedelta(days=14)

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"Share link for {self.checklist}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class ShareView(models.Model):
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"Viewed {self.viewed_at:%d %b %Y %H:%M}"


class JournalRevision(models.Model):
    """How often a patient's records have changed: the version of their cached pages
    (lib.caching.cached_below_login).

    signals.py moves it on every save and delete of their records, and prep/rules.py on the bulk
    changes that send no signals, so a page built from older records is never served again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="journal_revision",
    )
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Journal revision {self.number}"

    @classmethod
    def current(cls, user) -> int:
        revision, _ = cls.objects.get_or_create(user=user)
        return revision.number

    @classmethod
    def move(cls, **owner):
        """Counts a change for the owner, e.g. move(user_id=3) or move(user__checklist=7).

        Only an existing revision moves: until a page is cached there is no revision to move,
        and a user being deleted must not get a new one.
        """
        cls.objects.filter(**owner).update(number=models.F("number") + 1)


# A patient's account preferences. ---------------------------------------------------------


@functools.cache
def known_time_zones() -> frozenset[str]:
    """The IANA names this machine's time-zone database knows (read from disk once)."""
    return frozenset(zoneinfo.available_timezones())


def known_time_zone(value):
    if value not in known_time_zones():
        raise ValidationError(
            gettext("Choose a time zone from the list."), code="unknown_time_zone"
        )


def clinic_time_zone():
    """settings.TIME_ZONE when a row is made, not when the migration was written."""
    return settings.TIME_ZONE


class AccountPreferences(models.Model):
    """How the portal speaks to one patient; a row is made the first time a choice is saved.

    Not a journal record: it is about the account, so it moves no JournalRevision (cached pages
    carry the active time zone in their key instead, see lib.caching)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
    )
    time_zone = models.CharField(
        max_length=64,
        default=clinic_time_zone,
        validators=[known_time_zone],
        help_text=_("Appointments, readings and calendar files are in this zone."),
    )
    # No reminder goes out between these two local times: one due then waits for the end.
    # Both empty: no quiet hours (journal.reminders checks they come as a pair).
    quiet_start = models.TimeField(
        _("Quiet hours start"), null=True, blank=True, default=datetime.time(21)
    )
    quiet_end = models.TimeField(
        _("Quiet hours end"), null=True, blank=True, default=datetime.time(8)
    )
    # Blank until the patient chooses (the switcher, sign-up, settings): pages then follow their
    # browser. E-mails, PDFs and calendar files follow it, and it is set again at each sign-in.
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of pages, e-mails and printouts."),
    )

    class Meta:
        verbose_name = _("account preferences")
        verbose_name_plural = _("account preferences")

    def __str__(self):
        return f"Preferences of user {self.user_id}"

    @classmethod
    def time_zone_of(cls, user) -> str:
        """The patient's zone, or the clinic's when they never chose one."""
        chosen = cls.objects.filter(user=user).values_list("time_zone", flat=True).first()
        return chosen or clinic_time_zone()

    @classmethod
    def language_of(cls, user) -> str:
        """The patient's language, or the portal's first when they never chose one."""
        chosen = cls.objects.filter(user=user).values_list("language", flat=True).first()
        return chosen or settings.LANGUAGE_CODE


# Reminders a patient chose to get by e-mail (the rules are in journal/reminders.py). -------


class ReminderKind(models.TextChoices):
    CHECK_IN = "check_in", _("Daily check-in")
    QUESTIONNAIRES = "questionnaires", _("PHQ-9 and GAD-7 every 14 days")
    VISIT_PREP = "visit_prep", _("Visit prep, two days before an appointment")


class Reminder(models.Model):
    """One kind of reminder for one patient, off until they turn it on.

    next_due_at is when the scheduler next looks at it (UTC; empty while it is off), so each
    tick reads only the reminders that are due, whatever the number of patients."""

    DEFAULT_TIMES = {
        ReminderKind.CHECK_IN: datetime.time(19),
        ReminderKind.QUESTIONNAIRES: datetime.time(10),
        ReminderKind.VISIT_PREP: datetime.time(10),
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    enabled = models.BooleanField(default=False)
    time_of_day = models.TimeField(_("Time"))
    # When it was last turned on: a questionnaire never answered is due 14 days after it.
    enabled_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_reminder_of_each_kind")
        ]

    def __str__(self):
        state = "on" if self.enabled else "off"
        return f"{self.get_kind_display()} reminder, {state}"


class ReminderDelivery(models.Model):
    """A reminder due at one moment about one subject ("check-in", "phq9", "gad7",
    "checklist-<id>"). The unique constraint is the at-most-once rule: however many schedulers
    find the same due moment, one row is recorded, and the task that sends it locks the row and
    sets sent_at in the same transaction as it sends."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    due_at = models.DateTimeField()
    subject = models.CharField(max_length=40)
    checklist = models.ForeignKey(Checklist, null=True, blank=True, on_delete=models.CASCADE)
    # The scheduler pass that recorded the row: only that pass queues it.
    recorded_by = models.UUIDField()
    # When it was last handed to the queue: left unsent for long, it is queued again.
    enqueued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Not sent, on purpose: no longer needed, or found too late (journal.reminders).
    skipped = models.BooleanField(default=False)

    class Meta:
        ordering = ["-due_at"]
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "due_at", "subject"], name="one_delivery_per_due_subject"
            )
        ]
        indexes = [
            models.Index(
                fields=["enqueued_at"],
                condition=models.Q(sent_at__isnull=True, skipped=False),
                name="reminder_delivery_unsent",
            )
        ]

    def __str__(self):
        return f"{self.reminder} due {self.due_at:%Y-%m-%d %H:%M} UTC ({self.subject})"


# The care team: a patient's connection to their clinic, with their consent (rules in
# journal/care.py). Without an open connection granting a scope, no one at a clinic sees it.


def new_invitation_code():
    """Eight letters and digits a clinic reads out or prints; no 0/O or 1/I to confuse."""
    return get_random_string(8, allowed_chars="ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


class Clinic(models.Model):
    """A clinic whose care team patients may connect to, with the code it gives them."""

    name = models.CharField(max_length=200, validators=[OneLineValidator()])
    invitation_code = models.CharField(
        max_length=20, unique=True, default=new_invitation_code, validators=[OneLineValidator()]
    )
    clinicians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="clinics",
        blank=True,
        help_text=_(
            "Staff in the Clinicians group who work here: they see its consenting patients."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CareScope(models.TextChoices):
    SUMMARY = "summary", _("Visit summary and checklists")
    JOURNAL = "journal", _("Full journal")
    QUESTIONNAIRES = "questionnaires", _("Questionnaires (PHQ-9 and GAD-7)")
    ALERTS = "alerts", _("Safety alerts")


def scope_labels(scopes: list[str]) -> list[str]:
    """The scopes' names as the patient reads them."""
    return [CareScope(scope).label for scope in scopes]


class CareConnection(models.Model):
    """A patient's connection to a clinic and what its care team may see now: one switch per
    CareScope, named as its value. Withdrawn: withdrawn_at is set, every switch off, and the
    row is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_connections"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="connections")
    summary = models.BooleanField(CareScope.SUMMARY.label, default=False)
    journal = models.BooleanField(CareScope.JOURNAL.label, default=False)
    questionnaires = models.BooleanField(CareScope.QUESTIONNAIRES.label, default=False)
    alerts = models.BooleanField(CareScope.ALERTS.label, default=False)
    connected_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-connected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "clinic"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_open_connection_per_clinic",
            )
        ]

    def __str__(self):
        return f"{self.user} with {self.clinic}"

    def get_absolute_url(self):
        return reverse("journal:care-team_update", kwargs={"pk": self.pk})

    @property
    def scopes(self) -> list[str]:
        """The scopes granted now, in CareScope's order."""
        return [scope for scope in CareScope.values if getattr(self, scope)]

    @property
    def scope_labels(self) -> list[str]:
        return scope_labels(self.scopes)


class ConsentChange(models.Model):
    """Every grant, change and withdrawal as the patient made it, listed on their consent page."""

    connection = models.ForeignKey(CareConnection, on_delete=models.CASCADE, related_name="changes")
    scopes = models.JSONField(default=list)  # CareScope values the care team may see after it
    withdrawn = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.connection}: {'withdrawn' if self.withdrawn else ', '.join(self.scopes)}"

    @property
    def scope_labels(self) -> list[str]:
        return scope_labels(self.scopes)


class CareAccess(models.Model):
    """One view of a patient's data by clinic staff (who, what, when); the patient sees the
    list on their consent page. The staff member's name is kept if their account goes."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_accesses"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    staff_name = models.CharField(max_length=300)
    clinic = models.ForeignKey(Clinic, on_delete=models.SET_NULL, null=True, related_name="+")
    what = models.CharField(max_length=200)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at", "-pk"]

    def __str__(self):
        return f"{self.staff_name} viewed {self.what} of {self.patient}"


# The infusion monitoring record: what clinic staff observed during one infusion, entered on the
# clinician pages (journal/care/monitoring.py) and read by the patient.


class Sedation(models.IntegerChoices):
    """The Modified Observer's Assessment of Alertness/Sedation (MOAA/S), the scale of the
    esketamine trials: 5 is fully alert, 0 no response."""

    READILY = 5, _("5: responds readily to name spoken in normal tone")
    LETHARGIC = 4, _("4: lethargic response to name spoken in normal tone")
    LOUDLY = 3, _("3: responds only after name is called loudly and/or repeatedly")
    PRODDING = 2, _("2: responds only after mild prodding or shaking")
    PAINFUL = 1, _("1: responds only after painful trapezius squeeze")
    NONE = 0, _("0: no response after painful trapezius squeeze")


class StimulantTaken(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    YES = "yes", _("Yes")
    NO = "no", _("No")


CADSS_ITEMS = 6
CADSS_ITEM_MAX = 4


def _cadss_item(number):
    return models.PositiveSmallIntegerField(
        format_lazy(_("CADSS-6 item {number}"), number=number),
        null=True,
        blank=True,
        validators=[MaxValueValidator(CADSS_ITEM_MAX, _("Enter a score from 0 to 4."))],
        help_text=_(
            "0 = not at all, 1 = slightly, 2 = moderately, 3 = considerably, 4 = extremely"
        ),
    )


class InfusionMonitoring(models.Model):
    """Clinic-entered observations of one infusion: blood pressure and pulse before dosing, at
    about 40 minutes and before discharge (the esketamine label's checks), oxygen saturation,
    sedation (MOAA/S), dissociation (CADSS-6), time observed and discharge."""

    # Each reading's field suffix and its name, in the order they are taken.
    MOMENTS = [("before", _("before dosing")), ("at_40", _("at about 40 minutes")),
               ("discharge", _("before discharge"))]  # fmt: skip
    SPO2_MIN, SPO2_MAX = 50, 100
    MINUTES_MAX = 720
    # The validators format them with their own params too, hence the doubled percent signs.
    SPO2_MESSAGE = format_lazy(
        _("Enter a saturation from {lowest}%% to {highest}%%."), lowest=SPO2_MIN, highest=SPO2_MAX
    )
    MINUTES_MESSAGE = format_lazy(
        _("Enter the minutes observed, from 1 to {highest}."), highest=MINUTES_MAX
    )

    infusion = models.OneToOneField(
        InfusionSession, on_delete=models.CASCADE, related_name="monitoring"
    )
    systolic_before = monitor_field("systolic", _("Systolic before dosing"), null=True, blank=True)
    diastolic_before = monitor_field(
        "diastolic", _("Diastolic before dosing"), null=True, blank=True
    )
    pulse_before = monitor_field("pulse", _("Pulse before dosing"), null=True, blank=True)
    systolic_at_40 = monitor_field(
        "systolic", _("Systolic at about 40 minutes"), null=True, blank=True
    )
    diastolic_at_40 = monitor_field(
        "diastolic", _("Diastolic at about 40 minutes"), null=True, blank=True
    )
    pulse_at_40 = monitor_field("pulse", _("Pulse at about 40 minutes"), null=True, blank=True)
    systolic_discharge = monitor_field(
        "systolic", _("Systolic before discharge"), null=True, blank=True
    )
    diastolic_discharge = monitor_field(
        "diastolic", _("Diastolic before discharge"), null=True, blank=True
    )
    pulse_discharge = monitor_field("pulse", _("Pulse before discharge"), null=True, blank=True)
    oxygen_saturation = models.PositiveSmallIntegerField(
        _("Oxygen saturation (SpO2, %)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(SPO2_MIN, SPO2_MESSAGE),
            MaxValueValidator(SPO2_MAX, SPO2_MESSAGE),
        ],
        help_text=_("The lowest reading during the observation."),
    )
    sedation = models.PositiveSmallIntegerField(
        _("Sedation (MOAA/S)"),
        choices=Sedation.choices,
        null=True,
        blank=True,
        help_text=_(
            "The deepest level observed on the Modified Observer's Assessment of "
            "Alertness/Sedation scale: 5 = alert, 0 = no response."
        ),
    )
    cadss_1 = _cadss_item(1)
    cadss_2 = _cadss_item(2)
    cadss_3 = _cadss_item(3)
    cadss_4 = _cadss_item(4)
    cadss_5 = _cadss_item(5)
    cadss_6 = _cadss_item(6)
    minutes_observed = models.PositiveSmallIntegerField(
        _("Minutes observed"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, MINUTES_MESSAGE),
            MaxValueValidator(MINUTES_MAX, MINUTES_MESSAGE),
        ],
        help_text=_("From dosing until discharge."),
    )
    ready_for_discharge = models.BooleanField(_("Ready for discharge"), null=True, blank=True)
    discharge_assessed_by = models.CharField(
        _("Assessed by"),
        max_length=200,
        blank=True,
        validators=[OneLineValidator()],
        help_text=_("Name and role of who judged the patient ready, or not, to go home."),
    )
    stimulant_taken = models.CharField(
        _("Stimulant taken that day"),
        max_length=10,
        choices=StimulantTaken.choices,
        default=StimulantTaken.UNKNOWN,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+",
    )  # fmt: skip
    recorded_by_name = models.CharField(max_length=300, blank=True, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("infusion monitoring record")

    def __str__(self):
        return f"Monitoring of {self.infusion}"

    def clean(self):
        errors = paired_reading_errors(self, moments=[moment for moment, _ in self.MOMENTS])
        if self.ready_for_discharge is not None and not self.discharge_assessed_by.strip():
            errors["discharge_assessed_by"] = gettext("Say who judged the patient ready or not.")
        if errors:
            raise ValidationError(errors)

    @property
    def cadss_scores(self) -> list[int | None]:
        return [getattr(self, f"cadss_{number}") for number in range(1, CADSS_ITEMS + 1)]

    @property
    def cadss_total(self) -> int | None:
        """The sum of the items scored (0 to 24), or None when none was."""
        scored = [score for score in self.cadss_scores if score is not None]
        return sum(scored) if scored else None

    @property
    def readings(self) -> list[tuple[str, int | None, int | None, int | None]]:
        """(moment, systolic, diastolic, pulse) for each moment, in order."""
        return [
            (
                name,
                getattr(self, f"systolic_{moment}"),
                getattr(self, f"diastolic_{moment}"),
                getattr(self, f"pulse_{moment}"),
            )
            for moment, name in self.MOMENTS
        ]


class VisitPlan(models.Model):
    """What the clinician planned after a visit, which the patient reads on their checklist,
    and what the patient writes back they understood (teach-back)."""

    checklist = models.OneToOneField(Checklist, on_delete=models.CASCADE, related_name="plan")
    plan = models.TextField(_("After-visit plan"), max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_by_name = models.CharField(max_length=300)
    written_at = models.DateTimeField(default=timezone.now)
    teach_back = models.TextField(
        _("What I understood"),
        max_length=5000,
        blank=True,
        help_text=_("In your own words: what you will do, and when to call the clinic."),
    )
    teach_back_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Plan for {self.checklist}"


# Clinical Global Impression scales (Guy, 1976; public domain), rated by the clinician.
CGI_SEVERITY = [
    (1, _("1 – Normal, not at all ill")),
    (2, _("2 – Borderline ill")),
    (3, _("3 – Mildly ill")),
    (4, _("4 – Moderately ill")),
    (5, _("5 – Markedly ill")),
    (6, _("6 – Severely ill")),
    (7, _("7 – Among the most extremely ill")),
]
CGI_IMPROVEMENT = [
    (1, _("1 – Very much improved")),
    (2, _("2 – Much improved")),
    (3, _("3 – Minimally improved")),
    (4, _("4 – No change")),
    (5, _("5 – Minimally worse")),
    (6, _("6 – Much worse")),
    (7, _("7 – Very much worse")),
]


class ClinicianRating(models.Model):
    """CGI-S and CGI-I given by a clinician at a visit; shown on the patient's trends. CGI-I
    compares with the start of treatment, so a first visit has none."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_ratings"
    )
    rated_on = models.DateField(_("Visit date"), validators=[in_supported_years, not_in_future])
    severity = models.PositiveSmallIntegerField(_("CGI-S (severity)"), choices=CGI_SEVERITY)
    improvement = models.PositiveSmallIntegerField(
        _("CGI-I (improvement)"),
        choices=CGI_IMPROVEMENT,
        null=True,
        blank=True,
        help_text=_("Compared with the start of treatment; leave empty at a first visit."),
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clinician_name = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-rated_on", "-pk"]

    def __str__(self):
        return f"CGI-S {self.severity}, {self.rated_on:%d %b %Y}"


class SafetySettings(models.Model):
    """The clinic's blood-pressure thresholds and crisis lines, edited in the admin: one row,
    read through journal.safety.clinic_safety() (whose ClinicSafety gives the defaults)."""

    urgent_systolic = monitor_field(
        "systolic", _("Urgent: top number at or above"), default=safety.ClinicSafety.urgent_systolic
    )
    urgent_diastolic = monitor_field(
        "diastolic",
        _("Urgent: bottom number at or above"),
        default=safety.ClinicSafety.urgent_diastolic,
    )
    low_systolic = monitor_field(
        "systolic", _("Low: top number below"), default=safety.ClinicSafety.low_systolic
    )
    low_diastolic = monitor_field(
        "diastolic", _("Low: bottom number below"), default=safety.ClinicSafety.low_diastolic
    )
    pre_infusion_systolic = monitor_field(
        "systolic",
        _("Before an infusion: top number above"),
        default=safety.ClinicSafety.pre_infusion_systolic,
    )
    pre_infusion_diastolic = monitor_field(
        "diastolic",
        _("Before an infusion: bottom number above"),
        default=safety.ClinicSafety.pre_infusion_diastolic,
    )
    other_crisis_lines = models.TextField(
        _("Crisis lines in other countries"),
        blank=True,
        max_length=2000,
        help_text=_(
            'One a line, e.g. "UK and Ireland: Samaritans, 116 123". Shown after 988 '
            "(US) and 9-8-8 (Canada) with every crisis message."
        ),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("safety settings")

    def __str__(self):
        return "Safety settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self):
        for prefix in ("urgent", "low", "pre_infusion"):
            errors = safety.reading_errors(
                systolic=getattr(self, f"{prefix}_systolic"),
                diastolic=getattr(self, f"{prefix}_diastolic"),
                systolic_field=f"{prefix}_systolic",
                diastolic_field=f"{prefix}_diastolic",
            )
            if errors:
                raise ValidationError(errors)

    def as_clinic_safety(self) -> safety.ClinicSafety:
        lines = (line.strip() for line in self.other_crisis_lines.splitlines())
        return safety.ClinicSafety(
            urgent_systolic=self.urgent_systolic,
            urgent_diastolic=self.urgent_diastolic,
            low_systolic=self.low_systolic,
            low_diastolic=self.low_diastolic,
            pre_infusion_systolic=self.pre_infusion_systolic,
            pre_infusion_diastolic=self.pre_infusion_diastolic,
            crisis_lines=tuple(line for line in lines if line),
        )


class AlertKind(models.TextChoices):
    PHQ9_ITEM9 = "phq9-item9", _("PHQ-9 item 9 answered above 0")
    BP_CRISIS = "bp-crisis", _("Blood pressure in the crisis range")


class SafetyAlert(models.Model):
    """A safety check-in a clinic's clinicians owe a patient who consented to alerts: one per
    clinic and record that raised it (the unique constraints), kept when the record is deleted."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_alerts"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="safety_alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    reading = models.ForeignKey(
        BloodPressureReading,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="safety_alerts",
    )
    questionnaire = models.ForeignKey(
        QuestionnaireResponse,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="safety_alerts",
    )
    created = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "reading"], name="one_alert_per_reading"),
            models.UniqueConstraint(
                fields=["clinic", "questionnaire"], name="one_alert_per_questionnaire"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.clinic}"

    def get_absolute_url(self):
        return reverse("clinic:alert", args=[self.pk])
