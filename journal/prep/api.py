"""Checklists and their questions over the API, for the owner only."""

import datetime
import re

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from education.models import ProviderQuestion, QuestionCategory
from journal.api import ApiModelSerializer, OwnedViewSet, RuleErrorsAs400
from journal.models import Checklist, ChecklistItem
from lib.converters import ID_PATTERN
from portal.api import SchemaInput

from . import rules


class ChecklistItemSerializer(ApiModelSerializer):
    category = serializers.ChoiceField(
        choices=QuestionCategory.choices,
        allow_blank=True,
        read_only=True,
        help_text="The catalogue's category of the question; \"\" for the patient's own.",
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id", "text", "origin", "category", "data_note", "position", "is_top_priority",
            "asked", "answer_notes",
        ]  # fmt: skip
        read_only_fields = ["origin", "data_note"]
        extra_kwargs = {
            "is_top_priority": {
                "help_text": (
                    "At most three questions of a checklist are top priority, and they come "
                    "first: marking one puts it last of the top questions, unmarking one first "
                    "of the rest."
                )
            },
            "position": {
                "min_value": 1,
                "max_value": ChecklistItem.MAX_POSITION,
                "help_text": (
                    "The question's place, 1 being the first. Setting it moves the question there "
                    "and numbers the others 1, 2, 3... again; a place past the end puts it last. "
                    "Top questions always come first, so 1 puts any other question first after "
                    "them. A new question without one goes last."
                ),
            },
        }

    def validate(self, attrs):
        """An edit gives the question no other question's words (rules.check_not_on_checklist,
        the site's rule; add_own_question applies it to a new question)."""
        if self.instance is not None and "text" in attrs:
            rules.check_not_on_checklist(
                checklist=self.instance.checklist, text=attrs["text"], item=self.instance
            )
        return attrs


CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"


@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": CLOCK_TIME, "example": "14:30"}
)
class ClockTimeField(serializers.TimeField):
    """A local wall-clock time such as 14:30 (JSON Schema's "time" format demands an offset),
    taken only as the schema's pattern writes it: DRF's TimeField would drop an offset and read
    "2:30" as 02:30. It is kept to the minute, as the pages show it: seconds sent are dropped,
    so what is stored is what is answered."""

    default_error_messages = {
        "invalid": 'Enter a local time as "HH:MM" on a 24-hour clock, such as "14:30", '
        "without an offset."
    }

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(CLOCK_TIME, value):
            self.fail("invalid")
        return datetime.time.fromisoformat(value[:5])


class ChecklistSerializer(ApiModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)
    appointment_time = ClockTimeField(
        format="%H:%M",
        allow_null=True,
        required=False,
        help_text=(
            "The patient's local time, in their time zone (chosen under My account), kept to "
            "the minute: seconds sent are dropped."
        ),
    )

    class Meta:
        model = Checklist
        fields = [
            "id", "appointment_date", "appointment_time", "is_past_visit", "clinician", "clinic",
            "reason", "items", "created",
        ]  # fmt: skip
        extra_kwargs = {
            "is_past_visit": {
                "help_text": (
                    "A record of a past visit: without it, a new or changed appointment_date "
                    "before today is refused."
                )
            },
        }

    def validate(self, attrs):
        """The site's rule for dates before today (rules.check_appointment_date)."""
        saved = self.instance
        appointment_date = attrs.get("appointment_date", saved and saved.appointment_date)
        rules.check_appointment_date(
            appointment_date=appointment_date,
            is_past_visit=bool(attrs.get("is_past_visit", saved and saved.is_past_visit)),
            saved_date=saved and saved.appointment_date,
        )
        return attrs


class AddQuestionSerializer(SchemaInput, serializers.Serializer):
    question = serializers.PrimaryKeyRelatedField(
        queryset=ProviderQuestion.objects.public(), help_text="An id from /api/v1/questions/."
    )


class AddedQuestionSerializer(serializers.Serializer):
    checklist = serializers.IntegerField(source="checklist.pk", help_text="The checklist's id.")
    appointment_date = serializers.DateField(source="checklist.appointment_date")
    added = serializers.BooleanField(
        help_text="False when the question was on the checklist already (it is not added twice)."
    )
    item = ChecklistItemSerializer(help_text="The question on the checklist.")


class ChecklistViewSet(OwnedViewSet):
    """Consultation checklists with their questions."""

    serializer_class = ChecklistSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")

    @extend_schema(
        request=None,
        responses=ChecklistSerializer,
        summary="Add questions from the catalogue and the journal",
        description="Safe to repeat: only questions the checklist does not have yet are added.",
    )
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        checklist = self.get_object()
        rules.build_checklist(user=request.user, checklist=checklist)
        checklist = self.get_queryset().get(pk=checklist.pk)
        return Response(ChecklistSerializer(checklist).data, status=status.HTTP_200_OK)

    @extend_schema(
        request=AddQuestionSerializer,
        responses=AddedQuestionSerializer,
        summary="Add a catalogue question to my next appointment's checklist",
        description=(
            'The site\'s "Add to my checklist": the question goes at the end of the checklist '
            "of the next appointment (the earliest dated today or later), once; adding it again "
            "adds nothing. Without an upcoming checklist the answer is a 400: create one first."
        ),
    )
    @action(detail=False, methods=["post"], url_path="add-question")
    def add_question(self, request):
        serializer = AddQuestionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = rules.add_to_next_checklist(
            user=request.user, question=serializer.validated_data["question"]
        )
        return Response(AddedQuestionSerializer(result).data, status=status.HTTP_200_OK)


class ChecklistItemViewSet(
    RuleErrorsAs400,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The questions of one of the patient's checklists."""

    serializer_class = ChecklistItemSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_checklist(self):
        return get_object_or_404(
            Checklist.objects.owned_by(self.request.user), pk=self.kwargs["checklist_pk"]
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChecklistItem.objects.none()
        return ChecklistItem.objects.filter(
            checklist__user=self.request.user, checklist_id=self.kwargs.get("checklist_pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "checklist_pk" in self.kwargs and self.request.user.is_authenticated:
            context["checklist"] = self.get_checklist()
        return context

    # As OwnedViewSet's writes, each is one transaction: a rule refusing a change undoes all of it.
    # The fields with a rule (top priority, position) go through the functions the pages call.
    @transaction.atomic
    def perform_create(self, serializer):
        data = serializer.validated_data
        top, position = data.pop("is_top_priority", False), data.pop("position", None)
        item = rules.add_own_question(checklist=serializer.context["checklist"], **data)
        if top:
            rules.set_top_priority(item=item, top=True)
        if position is not None:
            rules.move_item(item=item, to_position=position)
        serializer.instance = item

    @transaction.atomic
    def perform_update(self, serializer):
        data = serializer.validated_data
        top, position = data.pop("is_top_priority", None), data.pop("position", None)
        item = serializer.save()
        if top is not None and top != item.is_top_priority:
            rules.set_top_priority(item=item, top=top)
        if position is not None:
            rules.move_item(item=item, to_position=position)

    def perform_destroy(self, instance):
        rules.remove_item(instance)
