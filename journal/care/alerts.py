"""Safety escalation, only with the patient's consent to alerts (issue 18, point 4).

A PHQ-9 with item 9 above 0, or a reading at or above the clinic's urgent level, raises one
SafetyAlert per clinic the patient lets see safety alerts, and each alert e-mails that clinic's
clinicians through the task queue: no health data, a link to the alert only. A clinician sees
and acknowledges the alerts of their clinics while the patient still grants that scope;
otherwise an alert does not exist for them (404).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django_tasks import task

from lib.mail import portal_url, send_email
from lib.tasks import RETRY_AFTER, enqueue_once_committed

from .. import safety
from ..models import (
    AlertKind,
    BloodPressureReading,
    CareConnection,
    Clinic,
    QuestionnaireResponse,
    SafetyAlert,
)
from .rules import CLINICIANS, is_clinician, record_access

SUBJECT = "A patient needs a safety check-in"


# An alert its clinic sees: the patient still shares safety alerts with that clinic.
STILL_SHARED = Q(
    clinic__connections__user=F("patient"),
    clinic__connections__withdrawn_at__isnull=True,
    clinic__connections__alerts=True,
)


def alert_kind(record) -> str | None:
    """The alert a saved record calls for, or None."""
    if isinstance(record, QuestionnaireResponse) and record.needs_crisis_resources:
        return AlertKind.PHQ9_ITEM9
    if isinstance(record, BloodPressureReading) and safety.is_urgent(
        systolic=record.systolic, diastolic=record.diastolic, rules=safety.clinic_safety()
    ):
        return AlertKind.BP_CRISIS
    return None


def raise_alerts(*, record) -> list[SafetyAlert]:
    """Alerts every clinic the patient lets see safety alerts, if the record calls for it; the
    record pages and the API call it after each save. One alert per clinic and record however
    often it is saved (the unique constraints); each new one is e-mailed once committed."""
    kind = alert_kind(record)
    if kind is None:
        return []
    source = "reading" if kind == AlertKind.BP_CRISIS else "questionnaire"
    connections = CareConnection.objects.filter(
        user_id=record.user_id, withdrawn_at__isnull=True, alerts=True
    ).select_related("clinic")
    alerts = []
    for connection in connections:
        alert, created = SafetyAlert.objects.get_or_create(
            clinic=connection.clinic,
            **{source: record},
            defaults={"patient_id": record.user_id, "kind": kind},
        )
        if created:
            queue_alert_email(alert_id=alert.pk)
        alerts.append(alert)
    return alerts


def queue_alert_email(*, alert_id: int) -> None:
    """Queues the alert's e-mail once committed. A queue out of reach (Redis down) does not
    fail the patient's request, whose reading and alert are saved: the scheduler queues the
    e-mail again (unsent_alerts)."""
    enqueue_once_committed(send_alert_email, alert_id=alert_id)


def unsent_alerts(*, now) -> list[int]:
    """Alerts of the last day not e-mailed RETRY_AFTER after they were raised: their e-mail was
    never queued, or its worker died."""
    return list(
        SafetyAlert.objects.filter(
            emailed_at__isnull=True,
            created__lte=now - RETRY_AFTER,
            created__gt=now - datetime.timedelta(days=1),
        ).values_list("pk", flat=True)
    )


def alerted_clinics(*, record) -> list[Clinic]:
    """The clinics that see their alert about this record, for the patient's crisis message: a
    clinic the patient stopped sharing alerts with no longer does."""
    alerts = record.safety_alerts.filter(STILL_SHARED).select_related("clinic")
    return [alert.clinic for alert in alerts]


@task()
def send_alert_email(*, alert_id: int) -> bool:
    """E-mails one alert to its clinic's clinicians, at most once however often it is queued."""
    return deliver(alert_id=alert_id, now=timezone.now())


@transaction.atomic
def deliver(*, alert_id: int, now) -> bool:
    alert = (
        SafetyAlert.objects.select_for_update()
        .filter(pk=alert_id, emailed_at__isnull=True)
        .select_related("clinic")
        .first()
    )
    if alert is None:
        return False
    clinicians = alert.clinic.clinicians.filter(
        is_active=True, is_staff=True, groups__name=CLINICIANS
    ).exclude(email="")
    to = [clinician.email for clinician in clinicians]
    if to:
        send_email(
            to=to,
            subject=SUBJECT,
            template="journal/emails/safety_alert",
            context={"subject": SUBJECT, "alert_url": portal_url(alert.get_absolute_url())},
            message_key=f"safety-alert-{alert.pk}",
        )
    alert.emailed_at = now
    alert.save(update_fields=["emailed_at"])
    return True


def visible_alerts(*, clinician):
    """The alerts of the clinician's clinics whose patient still grants that clinic alerts."""
    if not is_clinician(clinician):
        return SafetyAlert.objects.none()
    return SafetyAlert.objects.filter(STILL_SHARED, clinic__clinicians=clinician).select_related(
        "patient", "clinic", "acknowledged_by"
    )


def open_alerts(*, clinician) -> list[SafetyAlert]:
    """The clinician's unacknowledged alerts, oldest first, each view in the patient's log."""
    alerts = list(visible_alerts(clinician=clinician).filter(acknowledged_at__isnull=True))
    alerts.reverse()
    for alert in alerts:
        record_access(
            staff=clinician,
            patient=alert.patient,
            clinic=alert.clinic,
            what=gettext_noop("open safety alerts"),
        )
    return alerts


def alert_for(*, clinician, alert_id: int) -> SafetyAlert:
    """One alert for its page, recorded in the patient's access log; 404 for another clinic's
    alert and for a patient who does not grant alerts."""
    alert = visible_alerts(clinician=clinician).filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    record_access(
        staff=clinician,
        patient=alert.patient,
        clinic=alert.clinic,
        what=gettext_noop("safety alert"),
    )
    return alert


def acknowledge(*, alert: SafetyAlert, clinician, note: str) -> None:
    """The check-in is done: who, when, and what they did."""
    if alert.acknowledged_at is not None:
        raise ValidationError(gettext("This alert was acknowledged already."))
    if not note.strip():
        raise ValidationError(
            {"note": gettext("Write what you did, e.g. that you called the patient.")}
        )
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = clinician
    alert.note = note.strip()
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
