"""About 60 days of plausible journal data for the demo patient, and an appointment next week with
its checklist built: a new user sees a living journal and a consultation to prepare for.

Random but repeatable (a fixed seed), dated relative to today so the dashboard is always current.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from education.models import SideEffect

from .care import alerts
from .care import rules as care
from .models import (
    BloodPressureContext,
    BloodPressureReading,
    CareConnection,
    CareScope,
    Checklist,
    Clinic,
    InfusionMonitoring,
    InfusionSession,
    JournalEntry,
    Medication,
    QuestionnaireResponse,
    SafetyAlert,
    Sedation,
    SideEffectReport,
    StimulantTaken,
)
from .prep import rules

DEMO_DAYS = 60
INFUSION_DAYS_AGO = (38, 17)
APPOINTMENT_IN_DAYS = 5
DEMO_CLINIC_NAME = "Demo Clinic"
DEMO_CLINIC_CODE = "DEMO2345"  # fixed, so the printed code and link work on every run
TOP_QUESTIONS = 2


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _clamp(value):
    return max(0, min(10, round(value)))


def create_demo_journal(
    user: User, *, today: datetime.date | None = None, days: int = DEMO_DAYS
) -> bool:
    """Fill an empty journal with demo data. Returns False, changing nothing, if it has data.

    `days` of daily entries: 60 for the demo patient, two years for the load tests.
    """
    if JournalEntry.objects.owned_by(user).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(20261124)
    start = today - datetime.timedelta(days=days - 1)
    infusion_dates = [today - datetime.timedelta(days=ago) for ago in INFUSION_DAYS_AGO]

    entries = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        if rng.random() < 0.15:  # some days go unlogged, as in real life
            continue
        lift = 1.2 * sum(1 for infusion in infusion_dates if 0 < (day - infusion).days <= 10)
        entries.append(
            JournalEntry(
                user=user,
                date=day,
                focus=_clamp(rng.gauss(4.5 + lift, 1.2)),
                hyperactivity=_clamp(rng.gauss(6 - lift / 2, 1.2)),
                impulsivity=_clamp(rng.gauss(5.5 - lift / 2, 1.2)),
                mood=_clamp(rng.gauss(5 + lift, 1.3)),
                anxiety=_clamp(rng.gauss(6 - lift, 1.3)),
                sleep_hours=Decimal(str(round(rng.uniform(5.5, 8.5) * 2) / 2)),
                notes=rng.choice(["", "", "", "Busy day at work.", "Forgot my morning dose."]),
            )
        )
    # Today is left to check in (and a daily reminder turned on today has a day to remind of).
    JournalEntry.objects.bulk_create(entry for entry in entries if entry.date != today)

    infusions = [
        InfusionSession.objects.create(
            user=user,
            date=day,
            clinic="Demo Ketamine Clinic",
            duration_minutes=45,
            systolic_before=128 + 8 * index,
            diastolic_before=82 + 5 * index,
            systolic_after=138 + 8 * index,
            diastolic_after=86 + 5 * index,
            notes="Felt floaty during the infusion; fine by the evening.",
        )
        for index, day in enumerate(infusion_dates)
    ]
    # The clinic's monitoring of each infusion, as a demo clinician would have recorded it.
    InfusionMonitoring.objects.bulk_create(
        InfusionMonitoring(
            infusion=infusion,
            systolic_before=infusion.systolic_before,
            diastolic_before=infusion.diastolic_before,
            pulse_before=72,
            systolic_at_40=152 + 8 * index,
            diastolic_at_40=94 + 5 * index,
            pulse_at_40=84,
            systolic_discharge=infusion.systolic_after,
            diastolic_discharge=infusion.diastolic_after,
            pulse_discharge=74,
            oxygen_saturation=97,
            sedation=Sedation.LETHARGIC,
            cadss_1=1,
            cadss_2=2,
            cadss_3=1,
            cadss_4=1,
            cadss_5=0,
            cadss_6=1,
            minutes_observed=125,
            ready_for_discharge=True,
            discharge_assessed_by="Demo nurse, RN",
            stimulant_taken=StimulantTaken.NO,
            recorded_by_name="Demo clinic team",
        )  # fmt: skip
        for index, infusion in enumerate(infusions)
    )
    side_effects = list(
        SideEffect.objects.public().filter(
            slug__in=["dissociation", "headaches", "nausea-and-vomiting"]
        )
    )
    for index, infusion in enumerate(infusions):
        BloodPressureReading.objects.bulk_create(
            [
                BloodPressureReading(
                    user=user,
                    measured_at=_at(infusion.date, 9, 30),
                    systolic=infusion.systolic_before,
                    diastolic=infusion.diastolic_before,
                    pulse=72,
                    context=BloodPressureContext.BEFORE_INFUSION,
                ),
                BloodPressureReading(
                    user=user,
                    measured_at=_at(infusion.date, 11, 0),
                    systolic=infusion.systolic_after,
                    diastolic=infusion.diastolic_after,
                    pulse=78,
                    context=BloodPressureContext.AFTER_INFUSION,
                ),
            ]
        )
        for side_effect in side_effects:
            SideEffectReport.objects.create(
                user=user,
                side_effect=side_effect,
                severity=rng.randint(2, 6),
                occurred_at=_at(infusion.date, 12 + index),
                infusion=infusion,
            )
    for days_ago in range(DEMO_DAYS - 4, 0, -7):
        BloodPressureReading.objects.create(
            user=user,
            measured_at=_at(today - datetime.timedelta(days=days_ago), 8),
            systolic=rng.randint(118, 134),
            diastolic=rng.randint(74, 86),
            pulse=rng.randint(62, 80),
        )
    Medication.objects.create(
        user=user,
        name="Methylphenidate (extended release)",
        dose="36 mg",
        frequency="every morning",
        started=today - datetime.timedelta(days=400),
    )
    for days_ago, answers in [(45, [1, 2, 1, 2, 1, 1, 2, 1, 0]), (10, [1, 1, 0, 1, 1, 0, 1, 0, 0])]:
        QuestionnaireResponse.objects.create(
            user=user,
            questionnaire="phq9",
            answers=answers,
            taken_at=_at(today - datetime.timedelta(days=days_ago), 20),
        )
    for days_ago, answers in [(45, [2, 2, 2, 1, 1, 1, 1]), (10, [1, 1, 1, 1, 1, 0, 1])]:
        QuestionnaireResponse.objects.create(
            user=user,
            questionnaire="gad7",
            answers=answers,
            taken_at=_at(today - datetime.timedelta(days=days_ago), 20),
        )
    _create_upcoming_appointment(user, today)
    return True


def _create_upcoming_appointment(user: User, today: datetime.date) -> None:
    """The next consultation, its checklist built from the catalogue and the journal above, and
    its first questions marked top priority, as a patient preparing for it would."""
    checklist = Checklist.objects.create(
        user=user,
        appointment_date=today + datetime.timedelta(days=APPOINTMENT_IN_DAYS),
        appointment_time=datetime.time(14, 30),
        clinician="Dr Demo",
        clinic="Demo Ketamine Clinic",
        reason="Review after two infusions",
    )
    items = rules.build_checklist(user=user, checklist=checklist)
    for item in items[:TOP_QUESTIONS]:
        rules.set_top_priority(item=item, top=True)


def connect_demo_clinic(user: User) -> Clinic:
    """The demo clinic, and the demo patient connected to it sharing every scope (again, if they
    withdrew on an earlier run)."""
    clinic, _ = Clinic.objects.get_or_create(
        invitation_code=DEMO_CLINIC_CODE, defaults={"name": DEMO_CLINIC_NAME}
    )
    if not CareConnection.objects.filter(user=user, clinic=clinic, withdrawn_at=None).exists():
        care.connect(user=user, invitation_code=clinic.invitation_code, scopes=CareScope.values)
    return clinic


def create_demo_alert(user: User) -> bool:
    """One open safety alert for the demo clinic (a PHQ-9 answered today with item 9 at 1), if
    the patient lets that clinic see alerts and it has none open. Returns whether it made one."""
    connection = (
        CareConnection.objects.filter(
            user=user,
            clinic__invitation_code=DEMO_CLINIC_CODE,
            withdrawn_at__isnull=True,
            alerts=True,
        )
        .select_related("clinic")
        .first()
    )
    if (
        connection is None
        or SafetyAlert.objects.filter(
            patient=user, clinic=connection.clinic, acknowledged_at__isnull=True
        ).exists()
    ):
        return False
    response = QuestionnaireResponse.objects.create(
        user=user, questionnaire="phq9", answers=[1, 1, 1, 1, 0, 1, 1, 0, 1], difficulty=1
    )
    return bool(alerts.raise_alerts(record=response))
