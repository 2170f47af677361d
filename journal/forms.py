import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from education.models import SideEffect

from . import services
from .models import (
    RATING_NAMES,
    BloodPressureReading,
    InfusionSession,
    JournalEntry,
    Medication,
    ReminderKind,
    SideEffectReport,
)
from .questionnaires import DIFFICULTY_CHOICES, DIFFICULTY_QUESTION
from .reminders import ReminderChoice, ReminderSettings
from .widgets import ContentSelect, RatingWidget

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
RATING = RatingWidget()
NOTES = forms.Textarea(attrs={"rows": 3})


class RecordModelForm(forms.ModelForm):
    """A model form whose model checks say nothing more about a value the form refused: they run
    after the form's and read that value as empty, so "enter both numbers of the reading, or
    neither" would stand beside the field's own "enter a whole number". Likewise a model error
    coded "empty" (nothing entered) is left out once one of `read_as_empty` was refused."""

    read_as_empty: tuple[str, ...] = ()

    def add_error(self, field, error):
        error = forms.ValidationError(error)
        if field is None:
            if hasattr(error, "error_dict"):
                by_field = error.error_dict
            else:
                by_field = {NON_FIELD_ERRORS: error.error_list}
            entered = any(name in self.errors for name in self.read_as_empty)
            error = {
                name: kept
                for name, errors in by_field.items()
                if name == NON_FIELD_ERRORS or name not in self.errors
                if (kept := [each for each in errors if not (entered and each.code == "empty")])
            }
            if not error:
                return
        super().add_error(field, error)


class RecordForm(RecordModelForm):
    """A form for one of the patient's records; the record belongs to the user filling it in."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.help_text = gettext(
                    "Your local time (%(zone)s); the time zone is in My account."
                ) % {"zone": timezone.get_current_timezone_name()}


class JournalEntryForm(RecordForm):
    class Meta:
        model = JournalEntry
        fields = ["date", *RATING_NAMES, "sleep_hours", "notes"]
        widgets = {
            "date": DATE,
            "focus": RATING,
            "hyperactivity": RATING,
            "impulsivity": RATING,
            "mood": RATING,
            "anxiety": RATING,
            "sleep_hours": forms.TextInput(attrs={"inputmode": "decimal"}),
            "notes": NOTES,
        }
        # In the page's language, a decimal comma in Spanish (7,5), and kept as typed when it is
        # refused: a number box can't show "7,5" and came back empty.
        localized_fields = ["sleep_hours"]
        # One plain message for any number of digits a night's sleep can't have (1e3, 100, 7.55)
        # instead of Django's three about digits.
        error_messages = {
            "sleep_hours": dict.fromkeys(
                ["max_digits", "max_whole_digits", "max_decimal_places"],
                _(
                    "Enter the hours from 0 to 24, with at most one decimal: 7.5 for seven "
                    "and a half."
                ),
            )
        }

    # The check-in the form showed (its id, empty for none): saving edits that one. A form that
    # showed none adds what is typed to the date's check-in if the date has one (another tab, a
    # double tap, a date changed); a form that showed one is refused another date that has a
    # check-in: its values were filled in from the one it showed, and would overwrite that date's.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)
    # A rating, the sleep or the note typed but refused (7,5 hours) was entered: the model's
    # "fill in at least one…" would be wrong beside its message.
    read_as_empty = (*RATING_NAMES, "sleep_hours", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown"].initial = self.instance.pk or ""

    @classmethod
    def for_check_in(cls, *, user, data=None, date: datetime.date | None = None):
        """The form for the check-in of `date` (or of the posted date): it edits that check-in
        if the form showed it, else it is a new one (services.save_check_in adds it to the
        date's check-in if the date has one)."""
        if data is None:
            return cls(user=user, instance=services.check_in_on(user=user, date=date))
        try:
            date = cls.base_fields["date"].clean(data.get("date"))
        except forms.ValidationError:
            return cls(data, user=user)
        stored = services.check_in_on(user=user, date=date)
        if str(stored.pk or "") != data.get("shown", ""):
            stored = JournalEntry(user=user, date=date)
        return cls(data, user=user, instance=stored)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("date") and (self.instance.pk or cleaned_data.get("shown")):
            services.check_date_free(
                user=self.instance.user, date=cleaned_data["date"], entry=self.instance
            )
        return cleaned_data


class InfusionSessionForm(RecordForm):
    class Meta:
        model = InfusionSession
        fields = [
            "date", "clinic", "duration_minutes", "systolic_before", "diastolic_before",
            "systolic_after", "diastolic_after", "notes",
        ]  # fmt: skip
        widgets = {"date": DATE, "notes": NOTES}


class BloodPressureReadingForm(RecordForm):
    class Meta:
        model = BloodPressureReading
        fields = ["measured_at", "systolic", "diastolic", "pulse", "context", "notes"]
        widgets = {"measured_at": DATETIME, "notes": NOTES}


class SideEffectReportForm(RecordForm):
    class Meta:
        model = SideEffectReport
        fields = ["side_effect", "other_name", "severity", "occurred_at", "infusion", "notes"]
        widgets = {
            "side_effect": ContentSelect,
            "occurred_at": DATETIME,
            "severity": RatingWidget(low=1),
            "notes": NOTES,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["side_effect"].queryset = SideEffect.objects.public().filter(trackable=True)
        self.fields["side_effect"].empty_label = gettext("Other (name it below)")
        self.fields["infusion"].queryset = InfusionSession.objects.owned_by(user)
        self.fields["infusion"].empty_label = gettext("Not linked to an infusion")


class MedicationForm(RecordForm):
    class Meta:
        model = Medication
        fields = ["name", "dose", "frequency", "started", "stopped"]
        widgets = {"started": DATE, "stopped": DATE}


class QuestionnaireForm(forms.Form):
    """One required multiple-choice field per item of a PHQ-9 or GAD-7."""

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for number, item in enumerate(questionnaire.questions, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {item}",
                choices=questionnaire.answer_choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer for this question.")},
            )
        if questionnaire.asks_difficulty:
            self.fields["difficulty"] = forms.TypedChoiceField(
                label=f"{len(questionnaire.items) + 1}. {DIFFICULTY_QUESTION}",
                choices=DIFFICULTY_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=_(
                    "Not part of the score: it tells your provider how much the problems "
                    "affect your day."
                ),
            )

    @property
    def answers(self):
        return [self.cleaned_data[f"item_{n}"] for n in range(1, len(self.questionnaire.items) + 1)]


REMINDER_HELP = {
    ReminderKind.CHECK_IN: _("Every day at this time, unless you have already logged that day."),
    ReminderKind.QUESTIONNAIRES: _(
        "On the 14th day after you last filled in each one, then once a day for 3 more days "
        "if you haven't yet."
    ),
    ReminderKind.VISIT_PREP: _(
        "Two days before each appointment you made a checklist for, with a link to its questions."
    ),
}


class ReminderSettingsForm(forms.Form):
    """Each reminder's switch and time, and the quiet hours; journal.reminders saves them."""

    quiet_start = forms.TimeField(label=_("From"), required=False, widget=TIME)
    quiet_end = forms.TimeField(
        label=_("Until"),
        required=False,
        widget=TIME,
        help_text=_(
            "A reminder due in your quiet hours comes when they end. Leave both empty for none."
        ),
    )

    def __init__(self, *args, current: ReminderSettings, **kwargs):
        initial = {"quiet_start": current.quiet_start, "quiet_end": current.quiet_end}
        for kind, reminder in current.reminders.items():
            initial[f"{kind}_enabled"] = reminder.enabled
            initial[f"{kind}_time"] = reminder.time_of_day
        super().__init__(*args, initial=initial, **kwargs)
        self.current = current
        for kind in current.reminders:
            self.fields[f"{kind}_enabled"] = forms.BooleanField(
                label=_("Send me this reminder"), required=False
            )
            # Named after its reminder, so the error summary at the top says which time it means.
            self.fields[f"{kind}_time"] = forms.TimeField(
                label=format_lazy(_("{reminder}: time"), reminder=ReminderKind(kind).label),
                required=False,
                widget=TIME,
                help_text=REMINDER_HELP[kind],
            )

    def clean(self):
        """A reminder switched on needs its time; one switched off keeps the time it had."""
        cleaned_data = super().clean()
        for kind, reminder in self.current.reminders.items():
            name = f"{kind}_time"
            if cleaned_data.get(name) is None and name not in self.errors:
                if cleaned_data.get(f"{kind}_enabled"):
                    message = gettext("Choose a time for this reminder, or turn it off.")
                    self.add_error(name, message)
                else:
                    cleaned_data[name] = reminder.time_of_day
        return cleaned_data

    def reminder_groups(self) -> list[tuple[str, list]]:
        """(the reminder's name, its switch and time) for each kind, for the page's fieldsets."""
        return [
            (kind.label, [self[f"{kind}_enabled"], self[f"{kind}_time"]]) for kind in ReminderKind
        ]

    def choices(self) -> dict[str, ReminderChoice]:
        return {
            kind: ReminderChoice(
                enabled=self.cleaned_data[f"{kind}_enabled"],
                time_of_day=self.cleaned_data[f"{kind}_time"],
            )
            for kind in ReminderKind
        }
