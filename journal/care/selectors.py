"""What a patient reads about their own care team: connections, consent history, access log."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import CareAccess, CareConnection, ConsentChange


def open_connections(*, user) -> QuerySet:
    return (
        CareConnection.objects.owned_by(user)
        .filter(withdrawn_at__isnull=True)
        .select_related("clinic")
    )


def open_connection(*, user, pk: int) -> CareConnection:
    """The patient's own open connection; another patient's, or a withdrawn one, is a 404."""
    return get_object_or_404(open_connections(user=user), pk=pk)


def consent_history(*, user) -> QuerySet:
    """Every grant, change and withdrawal, newest first."""
    return ConsentChange.objects.filter(connection__user=user).select_related("connection__clinic")


def access_log(*, user) -> QuerySet:
    """Every view of the patient's data by clinic staff, newest first."""
    return CareAccess.objects.filter(patient=user).select_related("clinic")
