"""The patient's own data over the API: every route sees only the authenticated user's records."""

import datetime
import re
import zoneinfo

from django.core.exceptions import ValidationError as ModelValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, views, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from education.models import SideEffect
from lib.converters import ID_PATTERN
from portal.api import LocalDateTimeField, SchemaInput

from . import reminders, safety, services
from .care import alerts
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    AccountPreferences,
    BloodPressureReading,
    InfusionMonitoring,
    InfusionSession,
    JournalEntry,
    Medication,
    ReminderKind,
    SideEffectReport,
    in_supported_years,
    not_in_future,
)

# What the model's date validators accept, in words: the schema has no way to bound a date.
VALIDATOR_DESCRIPTIONS = {
    in_supported_years: f"From {FIRST_YEAR} to {LAST_YEAR}.",
    not_in_future: "Not in the future (a few minutes' clock difference is allowed).",
}
LOCAL_TIME_DESCRIPTION = (
    "Answered with the offset of the patient's time zone (chosen under My account); a value "
    "sent without an offset is read in that zone."
)


def reading_bounds(systolic, diastolic):
    """The serializer bounds of a blood-pressure reading's two numbers (journal.safety's)."""
    return {
        systolic: {"min_value": safety.SYSTOLIC_MIN, "max_value": safety.SYSTOLIC_MAX},
        diastolic: {"min_value": safety.DIASTOLIC_MIN, "max_value": safety.DIASTOLIC_MAX},
    }


class ApiModelSerializer(SchemaInput, serializers.ModelSerializer):
    """Takes what the schema says and says what it takes: values only of the JSON type the
    schema gives them (SchemaInput), and the rules of a field's validators in its description."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: LocalDateTimeField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        rules = [text for validator, text in VALIDATOR_DESCRIPTIONS.items()
                 if validator in model_field.validators]  # fmt: skip
        if isinstance(model_field, models.DateTimeField):
            rules.append(LOCAL_TIME_DESCRIPTION)
        if rules:
            texts = [kwargs.get("help_text", ""), *rules]
            kwargs["help_text"] = " ".join(str(text) for text in texts).strip()
        return field_class, kwargs


class OwnedRecordSerializer(ApiModelSerializer):
    """Runs the model's own clean() so the API and the site accept exactly the same data."""

    def validate(self, attrs):
        instance = self.instance or self.Meta.model(user=self.context["request"].user)
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.clean()
        except ModelValidationError as error:
            raise serializers.ValidationError(
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            ) from error
        return attrs


class JournalEntrySerializer(OwnedRecordSerializer):
    """A check-in: one per date (today when no date is given). At least one rating, the sleep or
    a note is needed: an entry with none of them is a 400 in `non_field_errors`."""

    class Meta:
        model = JournalEntry
        fields = [
            "id", "date", "focus", "hyperactivity", "impulsivity", "mood", "anxiety",
            "sleep_hours", "notes", "created",
        ]  # fmt: skip

    @staticmethod
    def date_of(attrs):
        """The entry's date: the one given, else the model's default (today)."""
        return attrs.get("date") or JournalEntry._meta.get_field("date").get_default()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "date" in attrs or self.instance is None:
            try:
                services.check_date_free(
                    user=self.context["request"].user,
                    date=self.date_of(attrs),
                    entry=self.instance,
                )
            except ModelValidationError as error:
                raise serializers.ValidationError(error.message_dict) from error
        return attrs


class InfusionMonitoringSerializer(ApiModelSerializer):
    """The clinic's monitoring record of an infusion, as clinic staff entered it (read-only)."""

    cadss_total = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="CADSS-6 total, 0 to 24 (the sum of the items scored), or null.",
    )

    class Meta:
        model = InfusionMonitoring
        fields = [
            "systolic_before", "diastolic_before", "pulse_before",
            "systolic_at_40", "diastolic_at_40", "pulse_at_40",
            "systolic_discharge", "diastolic_discharge", "pulse_discharge",
            "oxygen_saturation", "sedation",
            "cadss_1", "cadss_2", "cadss_3", "cadss_4", "cadss_5", "cadss_6", "cadss_total",
            "minutes_observed", "ready_for_discharge", "discharge_assessed_by", "stimulant_taken",
            "recorded_by_name", "updated",
        ]  # fmt: skip
        read_only_fields = fields


class InfusionSessionSerializer(OwnedRecordSerializer):
    monitoring = InfusionMonitoringSerializer(
        source="monitoring_record",
        read_only=True,
        allow_null=True,
        help_text="The clinic's monitoring record (entered by clinic staff), or null.",
    )

    class Meta:
        model = InfusionSession
        fields = [
            "id", "date", "clinic", "duration_minutes", "systolic_before", "diastolic_before",
            "systolic_after", "diastolic_after", "notes", "monitoring", "created",
        ]  # fmt: skip
        extra_kwargs = {
            **reading_bounds("systolic_before", "diastolic_before"),
            **reading_bounds("systolic_after", "diastolic_after"),
        }


class SafetySerializer(serializers.Serializer):
    level = serializers.CharField(help_text='"urgent", "low" or "flagged".')
    title = serializers.CharField()
    text = serializers.CharField()
    source = serializers.CharField(help_text="Where the rule comes from, or empty.")


class BloodPressureReadingSerializer(OwnedRecordSerializer):
    safety = SafetySerializer(
        read_only=True,
        allow_null=True,
        help_text="What to do about this reading, or null when nothing is flagged.",
    )

    class Meta:
        model = BloodPressureReading
        fields = [
            "id", "measured_at", "systolic", "diastolic", "pulse", "context", "notes", "safety",
            "created",
        ]  # fmt: skip
        extra_kwargs = reading_bounds("systolic", "diastolic")


class OwnInfusionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return InfusionSession.objects.owned_by(self.context["request"].user)


class ReportableSideEffectField(serializers.SlugRelatedField):
    """A trackable side effect from the clinic's published list, looked up at each request:
    the list changes whenever content is published or expires."""

    def get_queryset(self):
        return SideEffect.objects.public().filter(trackable=True)


class SideEffectReportSerializer(OwnedRecordSerializer):
    side_effect = ReportableSideEffectField(
        slug_field="slug",
        allow_null=True,
        required=False,
        help_text="Slug from /api/v1/side-effects/, or null with other_name.",
    )
    infusion = OwnInfusionField(allow_null=True, required=False)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = SideEffectReport
        fields = [
            "id", "side_effect", "other_name", "name", "severity", "occurred_at", "infusion",
            "notes", "created",
        ]  # fmt: skip


class MedicationSerializer(OwnedRecordSerializer):
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Medication
        fields = ["id", "name", "dose", "frequency", "started", "stopped", "is_current", "created"]


class RuleErrorsAs400:
    """A rule in a service function refuses a change with Django's ValidationError (the web page
    shows its message); over the API it is a 400 with the message on its field, like a serializer's
    own errors."""

    def handle_exception(self, exc):
        if isinstance(exc, ModelValidationError):
            exc = serializers.ValidationError(serializers.as_serializer_error(exc))
        return super().handle_exception(exc)


class PatientTimeZone:
    def initial(self, request, *args, **kwargs):
        """Times in the patient's zone for a token too: a session brings it along
        (lib.timezones), a token costs one query for it."""
        super().initial(request, *args, **kwargs)
        if request.auth is not None:
            timezone.activate(zoneinfo.ZoneInfo(AccountPreferences.time_zone_of(request.user)))


class OwnedViewSet(RuleErrorsAs400, PatientTimeZone, viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return model.objects.none()
        return model.objects.owned_by(self.request.user)

    # Each write commits together with the bookkeeping its signals do (the journal revision): a
    # 201 means the record is stored, and an error means nothing of it is.
    # A record that calls for a safety check-in alerts the clinics the patient lets see alerts,
    # as on the record pages.
    @transaction.atomic
    def perform_create(self, serializer):
        serializer.save(user=self.request.user)
        alerts.raise_alerts(record=serializer.instance)

    @transaction.atomic
    def perform_update(self, serializer):
        super().perform_update(serializer)
        alerts.raise_alerts(record=serializer.instance)

    @transaction.atomic
    def perform_destroy(self, instance):
        super().perform_destroy(instance)


ONE_ENTRY_PER_DATE = (
    "One entry per date: a second entry for a date that already has one is a 400 naming the "
    "date and the entry; change that entry with PATCH instead."
)


@extend_schema_view(
    create=extend_schema(
        summary="Add a journal entry",
        description=ONE_ENTRY_PER_DATE,
        examples=[
            OpenApiExample(
                "A day",
                request_only=True,
                value={
                    "date": "2026-11-20",
                    "focus": 6,
                    "mood": 7,
                    "anxiety": 3,
                    "sleep_hours": "7.5",
                },
            )
        ],
    )
)
class JournalEntryViewSet(OwnedViewSet):
    """The patient's journal entries: ratings 0–10, sleep hours and notes."""

    serializer_class = JournalEntrySerializer

    # Two requests for the same date at once both pass validation; the database refuses the
    # second, and its client gets the same 400 as if it had come later.
    def perform_create(self, serializer):
        try:
            super().perform_create(serializer)
        except IntegrityError:
            services.check_date_free(
                user=self.request.user, date=serializer.date_of(serializer.validated_data)
            )
            raise

    def perform_update(self, serializer):
        try:
            super().perform_update(serializer)
        except IntegrityError:
            services.check_date_free(
                user=self.request.user, date=serializer.instance.date, entry=serializer.instance
            )
            raise


class InfusionSessionViewSet(OwnedViewSet):
    """The patient's infusions, with blood pressure before and after, and the clinic's
    monitoring record of each (read-only)."""

    serializer_class = InfusionSessionSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("monitoring")


class BloodPressureReadingViewSet(OwnedViewSet):
    """Blood-pressure readings; each response carries its safety message, if any."""

    serializer_class = BloodPressureReadingSerializer


class SideEffectReportViewSet(OwnedViewSet):
    """Side effects the patient reported, from the clinic's catalogue or named."""

    serializer_class = SideEffectReportSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("side_effect")


class MedicationViewSet(OwnedViewSet):
    """The patient's medications."""

    serializer_class = MedicationSerializer


TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$"


@extend_schema_field({"type": "string", "pattern": TIME_OF_DAY, "example": "19:30"})
class TimeOfDayField(serializers.CharField):
    """A local time of day, "HH:MM" on a 24-hour clock (no seconds, no offset: the zone is the
    patient's). Not trimmed: the schema's pattern refuses a space or line break around the time,
    so the field does too."""

    default_error_messages = {"invalid": 'Enter a time as "HH:MM", such as "19:30".'}

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not re.fullmatch(TIME_OF_DAY, value):
            self.fail("invalid")
        return datetime.time.fromisoformat(value)

    def to_representation(self, value):
        return value.strftime("%H:%M")


REMINDER_HELP = {
    ReminderKind.CHECK_IN: "Every day, unless that day already has a journal entry.",
    ReminderKind.QUESTIONNAIRES: (
        "PHQ-9 and GAD-7, each 14 days after its last answer, then once a day for 3 days "
        "while unanswered."
    ),
    ReminderKind.VISIT_PREP: "Two days before each appointment, with its checklist's link.",
}


class ReminderSettingsSerializer(SchemaInput, serializers.Serializer):
    """Flat, with the reminders page's field names: "<kind>_enabled", "<kind>_time" and the
    read-only "<kind>_next_due_at" for each kind, then the quiet hours."""

    time_zone = serializers.CharField(
        read_only=True, help_text="The patient's zone, chosen under My account; times are in it."
    )
    has_email = serializers.BooleanField(
        read_only=True, help_text="Without an e-mail address on the account no reminder goes."
    )
    quiet_start = TimeOfDayField(allow_null=True, help_text="Quiet hours start, or null for none.")
    quiet_end = TimeOfDayField(
        allow_null=True,
        help_text="Quiet hours end (a reminder due in them comes then), or null for none.",
    )

    def get_fields(self):
        fields = super().get_fields()
        for kind in ReminderKind:
            source = f"reminders.{kind}"
            fields[f"{kind}_enabled"] = serializers.BooleanField(
                source=f"{source}.enabled",
                help_text=f"{kind.label}: {REMINDER_HELP[kind]} Off until the patient turns it on.",
            )
            fields[f"{kind}_time"] = TimeOfDayField(
                source=f"{source}.time_of_day", help_text=f"{kind.label}: local time of day."
            )
            fields[f"{kind}_next_due_at"] = serializers.DateTimeField(
                source=f"{source}.next_due_at",
                read_only=True,
                allow_null=True,
                help_text=f"{kind.label}: when it is next looked at (and sent if due); null "
                "while it is off.",
            )
        return fields


class ReminderSettingsView(RuleErrorsAs400, PatientTimeZone, views.APIView):
    """The patient's e-mail reminders, each off until turned on, and their quiet hours: the
    same rules as the reminders page (journal.reminders)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My reminders", responses=ReminderSettingsSerializer)
    def get(self, request):
        settings = reminders.reminder_settings(user=request.user)
        return Response(ReminderSettingsSerializer(settings).data)

    @extend_schema(
        summary="Change my reminders",
        description="Every field is sent. Quiet hours are two different times, or both null.",
        request=ReminderSettingsSerializer,
        responses=ReminderSettingsSerializer,
    )
    @transaction.atomic
    def put(self, request):
        serializer = ReminderSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        settings = reminders.reminder_settings_set(
            user=request.user,
            choices={
                kind: reminders.ReminderChoice(**choice)
                for kind, choice in data["reminders"].items()
            },
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            now=timezone.now(),
        )
        return Response(ReminderSettingsSerializer(settings).data)
