"""The care team, with the patient's consent: every rule of who at a clinic sees what.

- A patient connects to a clinic with the invitation code (or link) it gives them, choosing
  what its care team may see (CareScope: visit summary and checklists, full journal,
  questionnaires, safety alerts). Changing or withdrawing takes effect at once; every grant,
  change and withdrawal is a ConsentChange the patient can read.
- Clinicians are staff in the "Clinicians" group who work at a clinic (Clinic.clinicians). A
  clinician sees a patient's data of a scope only while the patient has an open connection to
  one of the clinician's clinics granting that scope; otherwise the patient does not exist for
  them (404), so a withdrawal hides the patient at once.
- Every view of a patient's data by staff is a CareAccess (who, what, when), listed for the
  patient.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from ..models import CareAccess, CareConnection, CareScope, Clinic, ConsentChange

CLINICIANS = "Clinicians"


def ensure_clinicians_group() -> Group:
    group, _ = Group.objects.get_or_create(name=CLINICIANS)
    return group


def is_clinician(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.groups.filter(name=CLINICIANS).exists()
    )


def check_scopes(scopes: list[str]) -> list[str]:
    """The scopes in CareScope's order; an unknown one is a ValidationError."""
    unknown = set(scopes) - set(CareScope.values)
    if unknown:
        raise ValidationError(
            {"scopes": gettext("Unknown: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))}}
        )
    return [scope for scope in CareScope.values if scope in scopes]


@transaction.atomic
def connect(*, user, invitation_code: str, scopes: list[str]) -> CareConnection:
    """Connects the patient to the clinic whose code they typed, with the scopes they chose."""
    code = (invitation_code or "").strip().upper().replace(" ", "").replace("-", "")
    clinic = Clinic.objects.filter(invitation_code=code).first()
    if clinic is None:
        raise ValidationError(
            {
                "invitation_code": gettext(
                    "No clinic has this code. Check it against the one you were given."
                )
            }
        )
    if CareConnection.objects.filter(user=user, clinic=clinic, withdrawn_at__isnull=True).exists():
        raise ValidationError(
            {
                "invitation_code": gettext(
                    "You are connected to %(clinic)s already: change what it sees."
                )
                % {"clinic": clinic}
            }
        )
    connection = CareConnection(user=user, clinic=clinic)
    _set_scopes(connection, scopes)
    connection.save()
    ConsentChange.objects.create(connection=connection, scopes=connection.scopes)
    return connection


def _set_scopes(connection: CareConnection, scopes: list[str]) -> None:
    granted = check_scopes(scopes)
    for scope in CareScope.values:
        setattr(connection, scope, scope in granted)


def _refresh_locked(connection: CareConnection) -> None:
    """The connection as stored now, its row locked until the change is saved: two changes sent
    at once (two tabs, a retried request) are made one after the other, each seeing the other."""
    stored = CareConnection.objects.select_for_update().get(pk=connection.pk)
    connection.withdrawn_at = stored.withdrawn_at
    _set_scopes(connection, stored.scopes)


@transaction.atomic
def change_consent(*, connection: CareConnection, scopes: list[str]) -> None:
    """The scopes the patient chose from now on; the consent history records each change (and
    only a change: sending the same scopes again records nothing)."""
    _refresh_locked(connection)
    if connection.withdrawn_at is not None:
        raise ValidationError(
            gettext("This connection was withdrawn; connect again with the clinic's code.")
        )
    if check_scopes(scopes) == connection.scopes:
        return
    _set_scopes(connection, scopes)
    connection.save(update_fields=CareScope.values)
    ConsentChange.objects.create(connection=connection, scopes=connection.scopes)


@transaction.atomic
def withdraw(*, connection: CareConnection) -> None:
    """The care team sees nothing more from now on; what it saw before stays in the access log."""
    _refresh_locked(connection)
    if connection.withdrawn_at is not None:
        return
    _set_scopes(connection, [])
    connection.withdrawn_at = timezone.now()
    connection.save(update_fields=[*CareScope.values, "withdrawn_at"])
    ConsentChange.objects.create(connection=connection, scopes=[], withdrawn=True)


def granting_connection(*, clinician, patient_id: int, scope: str) -> CareConnection | None:
    """The open connection through which the clinician may see this scope of the patient's data,
    or None. One query."""
    return (
        CareConnection.objects.filter(
            user_id=patient_id,
            withdrawn_at__isnull=True,
            clinic__clinicians=clinician,
            **{scope: True},
        )
        .select_related("user", "clinic")
        .first()
    )


def patient_for(*, clinician, patient_id: int, scope: str, what: str) -> CareConnection:
    """The connection for a clinician's page showing `what` of a patient's data of `scope`,
    recorded in the patient's access log; a 404 without consent (the patient does not exist for
    the clinician), whatever the reason."""
    if not is_clinician(clinician):
        raise Http404("No such patient.")
    connection = granting_connection(clinician=clinician, patient_id=patient_id, scope=scope)
    if connection is None:
        raise Http404("No such patient.")
    record_access(staff=clinician, patient=connection.user, clinic=connection.clinic, what=what)
    return connection


def staff_name(staff) -> str:
    """How a staff member is named to patients (access log, plans, ratings)."""
    return staff.get_full_name() or staff.get_username()


def _access(*, staff, patient, clinic: Clinic | None, what: str) -> CareAccess:
    return CareAccess(
        patient=patient,
        staff=staff,
        staff_name=staff_name(staff),
        clinic=clinic,
        what=what,
    )


def record_access(*, staff, patient, clinic: Clinic | None, what: str) -> CareAccess:
    access = _access(staff=staff, patient=patient, clinic=clinic, what=what)
    access.save()
    return access


def record_accesses(*, staff, connections: list[CareConnection], what: str) -> None:
    """One access per connection's patient, in one query: a page listing several patients."""
    CareAccess.objects.bulk_create(
        [
            _access(staff=staff, patient=connection.user, clinic=connection.clinic, what=what)
            for connection in connections
        ]
    )


def consenting_patients(*, clinician, scope: str = CareScope.SUMMARY):
    """The open connections to the clinician's clinics that grant scope: the clinician's list."""
    return (
        CareConnection.objects.filter(
            withdrawn_at__isnull=True, clinic__clinicians=clinician, **{scope: True}
        )
        .select_related("user", "clinic")
        .order_by("user__username")
    )
