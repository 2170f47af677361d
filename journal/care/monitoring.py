"""The infusion monitoring record: clinic staff record what they observed during an infusion,
and the patient reads it on their infusion's page, visit sheet and checklist.

A clinician records it only for a patient who shares their full journal with the clinician's
clinic (the infusion is journal data): the view asks rules.patient_for, which answers 404
otherwise and logs the view or the write. The bounds are the model's (journal.models,
InfusionMonitoring.clean, with journal.safety's blood-pressure bounds).
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction

from .. import safety
from ..models import CareScope, InfusionMonitoring, InfusionSession
from . import rules

# A CADSS-6 total (0-24) at or above this asks a checklist question: half the scale, the
# portal's threshold for raising it with the clinician, not a clinical cut-off.
HIGH_DISSOCIATION_TOTAL = 12


@transaction.atomic
def save_monitoring(*, staff: User, monitoring: InfusionMonitoring) -> InfusionMonitoring:
    """Validate and save the record, naming who last recorded it (the name stays if their
    account goes)."""
    monitoring.full_clean()
    monitoring.recorded_by = staff
    monitoring.recorded_by_name = staff.get_full_name() or staff.get_username()
    monitoring.save()
    return monitoring


@transaction.atomic
def record_infusion(*, clinician: User, patient_id: int, date: datetime.date) -> InfusionSession:
    """An infusion the clinic gave, added to the patient's journal by a clinician (full-journal
    consent, as its monitoring record), named after the clinic; the monitoring comes next."""
    connection = rules.patient_for(
        clinician=clinician,
        patient_id=patient_id,
        scope=CareScope.JOURNAL,
        what=f"recorded an infusion on {date:%d %b %Y}",
    )
    infusion = InfusionSession(user=connection.user, date=date, clinic=connection.clinic.name)
    infusion.full_clean()
    infusion.save()
    return infusion


def recent_infusions(*, patient: User, count: int = 10) -> list[InfusionSession]:
    """The patient's latest infusions with their monitoring records, newest first."""
    return list(
        InfusionSession.objects.owned_by(patient)
        .select_related("monitoring")
        .order_by("-date", "-created")[:count]
    )


def monitoring_between(
    *, user: User, start: datetime.date, end: datetime.date
) -> list[InfusionMonitoring]:
    """The monitoring records of the patient's infusions from start to end, oldest first."""
    return list(
        InfusionMonitoring.objects.filter(
            infusion__user=user, infusion__date__gte=start, infusion__date__lte=end
        )
        .select_related("infusion")
        .order_by("infusion__date", "infusion__created")
    )


def urgent_readings(monitoring: InfusionMonitoring) -> list[str]:
    """Each reading in the clinic's crisis range (180/120 unless it set another), as
    "186/104 at about 40 minutes"."""
    rules = safety.clinic_safety()
    return [
        f"{systolic}/{diastolic} {moment}"
        for moment, systolic, diastolic, _ in monitoring.readings
        if systolic is not None
        and safety.is_urgent(systolic=systolic, diastolic=diastolic, rules=rules)
    ]


def is_high_dissociation(monitoring: InfusionMonitoring) -> bool:
    total = monitoring.cadss_total
    return total is not None and total >= HIGH_DISSOCIATION_TOTAL
