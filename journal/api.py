"""The patient's own data over the API: every route sees only the authenticated user's records."""

import zoneinfo

from django.core.exceptions import ValidationError as ModelValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from education.models import SideEffect
from lib.converters import ID_PATTERN
from portal.api import SchemaInput

from . import safety, services
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    AccountPreferences,
    BloodPressureReading,
    InfusionSession,
    JournalEntry,
    Medication,
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

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        rules = [text for validator, text in VALIDATOR_DESCRIPTIONS.items()
                 if validator in model_field.validators]  # fmt: skip
        if isinstance(model_field, models.DateTimeField):
            rules.append(LOCAL_TIME_DESCRIPTION)
        if rules:
            kwargs["help_text"] = " ".join([kwargs.get("help_text", ""), *rules]).strip()
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


class InfusionSessionSerializer(OwnedRecordSerializer):
    class Meta:
        model = InfusionSession
        fields = [
            "id", "date", "clinic", "duration_minutes", "systolic_before", "diastolic_before",
            "systolic_after", "diastolic_after", "notes", "created",
        ]  # fmt: skip
        extra_kwargs = {
            **reading_bounds("systolic_before", "diastolic_before"),
            **reading_bounds("systolic_after", "diastolic_after"),
        }


class SafetySerializer(serializers.Serializer):
    level = serializers.CharField(help_text='"urgent", "low" or "flagged".')
    title = serializers.CharField()
    text = serializers.CharField()


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


class OwnedViewSet(RuleErrorsAs400, viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def initial(self, request, *args, **kwargs):
        """Times in the patient's zone for a token too: a session brings it along
        (lib.timezones), a token costs one query for it."""
        super().initial(request, *args, **kwargs)
        if request.auth is not None:
            timezone.activate(zoneinfo.ZoneInfo(AccountPreferences.time_zone_of(request.user)))

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return model.objects.none()
        return model.objects.owned_by(self.request.user)

    # Each write commits together with the bookkeeping its signals do (the journal revision): a
    # 201 means the record is stored, and an error means nothing of it is.
    @transaction.atomic
    def perform_create(self, serializer):
        serializer.save(user=self.request.user)

    @transaction.atomic
    def perform_update(self, serializer):
        super().perform_update(serializer)

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
    """The patient's infusions, with blood pressure before and after."""

    serializer_class = InfusionSessionSerializer


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
