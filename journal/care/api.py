"""The patient's care team over the API: the same rules as the consent page (journal.care.rules),
for the authenticated patient's own connections only."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, views
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from journal.api import PatientTimeZone, RuleErrorsAs400
from journal.models import CareScope
from portal.api import SchemaInput

from . import rules, selectors
from .forms import SCOPE_EXPLANATIONS

SCOPES_HELP = "What the clinic's care team may see: " + " ".join(
    f"`{scope.value}`: {SCOPE_EXPLANATIONS[scope]}" for scope in CareScope
)


def scopes_field(**kwargs):
    """Read: the scopes granted, in CareScope's order."""
    return serializers.ListField(
        child=serializers.ChoiceField(choices=CareScope.choices),
        **{"help_text": SCOPES_HELP, **kwargs},
    )


class ScopeListField(serializers.ListField):
    """Written scopes: a list, whose wrong values are messages of the field itself (the Error
    shape), not messages keyed by their position."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=CareScope.choices), **kwargs)

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                [message for messages in error.detail.values() for message in messages]
            ) from error


class ConnectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    clinic = serializers.CharField(source="clinic.name", read_only=True)
    scopes = scopes_field(read_only=True)
    connected_at = serializers.DateTimeField(read_only=True)
    withdrawn_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the patient stopped sharing; null while open.",
    )


class ConsentChangeSerializer(serializers.Serializer):
    connection = serializers.IntegerField(source="connection_id", read_only=True)
    clinic = serializers.CharField(source="connection.clinic.name", read_only=True)
    scopes = scopes_field(read_only=True, help_text="What the care team may see from then on.")
    withdrawn = serializers.BooleanField(read_only=True)
    created = serializers.DateTimeField(read_only=True)


class CareAccessSerializer(serializers.Serializer):
    staff_name = serializers.CharField(read_only=True, help_text="Who at the clinic looked.")
    clinic = serializers.CharField(source="clinic.name", read_only=True, allow_null=True)
    what = serializers.CharField(read_only=True, help_text="What of the patient's data they saw.")
    viewed_at = serializers.DateTimeField(read_only=True)


class CareTeamSerializer(serializers.Serializer):
    connections = ConnectionSerializer(many=True, read_only=True, help_text="Open connections.")
    consent_history = ConsentChangeSerializer(
        many=True, read_only=True, help_text="Every grant, change and withdrawal, newest first."
    )
    access_log = CareAccessSerializer(
        many=True, read_only=True, help_text="Every view of the patient's data by clinic staff."
    )


class ScopesSerializer(SchemaInput, serializers.Serializer):
    scopes = ScopeListField(help_text=f"{SCOPES_HELP} An empty list shares nothing.")


class ConnectSerializer(ScopesSerializer):
    invitation_code = serializers.CharField(
        max_length=40,
        trim_whitespace=False,
        help_text="The code the clinic gave the patient (case, spaces and dashes do not matter).",
    )
    scopes = ScopeListField(
        required=False, default=list, help_text=f"{SCOPES_HELP} Nothing unless listed."
    )


class CareTeamApiView(RuleErrorsAs400, PatientTimeZone, views.APIView):
    permission_classes = [IsAuthenticated]


class CareTeamView(CareTeamApiView):
    """The patient's care team: what each connected clinic may see, the consent history and
    the access log, as on the consent page."""

    @extend_schema(summary="My care team", responses=CareTeamSerializer)
    def get(self, request):
        user = request.user
        overview = {
            "connections": selectors.open_connections(user=user),
            "consent_history": selectors.consent_history(user=user),
            "access_log": selectors.access_log(user=user),
        }
        return Response(CareTeamSerializer(overview).data)


class ConnectView(CareTeamApiView):
    @extend_schema(
        summary="Connect to a clinic",
        description="Connects with the clinic's invitation code, sharing only the scopes listed; "
        "recorded in the consent history.",
        request=ConnectSerializer,
        responses={201: ConnectionSerializer},
    )
    def post(self, request):
        serializer = ConnectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        connection = rules.connect(user=request.user, **serializer.validated_data)
        return Response(ConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)


class ConnectionView(CareTeamApiView):
    @extend_schema(
        summary="Change what a clinic sees",
        description="Replaces the scopes of one of the patient's open connections, at once; "
        "recorded in the consent history.",
        request=ScopesSerializer,
        responses=ConnectionSerializer,
    )
    def put(self, request, pk):
        connection = selectors.open_connection(user=request.user, pk=pk)
        serializer = ScopesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rules.change_consent(connection=connection, **serializer.validated_data)
        return Response(ConnectionSerializer(connection).data)


class WithdrawView(CareTeamApiView):
    @extend_schema(
        summary="Stop sharing with a clinic",
        description="Withdraws consent at once: the clinic sees nothing more and gets no alert. "
        "What it saw stays in the access log. A withdrawn connection is not found again.",
        request=None,
        responses=ConnectionSerializer,
    )
    def post(self, request, pk):
        connection = selectors.open_connection(user=request.user, pk=pk)
        rules.withdraw(connection=connection)
        return Response(ConnectionSerializer(connection).data)
