"""The clinician workspace: the list of consenting patients with their flags, the patient page,
and what the clinician writes there (answers to checklist questions, the after-visit plan, CGI
ratings); and the patient's teach-back on that plan.

Every read and write of a patient's data goes through rules.patient_for, so it is a 404 without
the scope's consent and is recorded in the patient's access log.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from .. import safety, services
from ..models import (
    BloodPressureReading,
    CareConnection,
    CareScope,
    Checklist,
    ChecklistItem,
    ClinicianRating,
    JournalEntry,
    QuestionnaireResponse,
    VisitPlan,
)
from ..prep import rules as prep_rules
from . import monitoring, rules

BLOOD_PRESSURE_DAYS = 14
NO_CHECK_IN_DAYS = 7
PHQ9_RISE = 5
TREND_DAYS = 30


@dataclass(frozen=True)
class Flag:
    label: str
    shared: bool  # False: the patient did not grant its scope, so it was not computed
    raised: bool = False


@dataclass(frozen=True)
class PatientRow:
    connection: CareConnection
    flags: list[Flag]

    @property
    def patient(self):
        return self.connection.user

    @property
    def raised(self) -> bool:
        return any(flag.raised for flag in self.flags)


def _granting(connections: list[CareConnection], scope: str) -> list[int]:
    return [connection.user_id for connection in connections if getattr(connection, scope)]


def _latest_two_phq9(patient_ids: list[int]) -> dict[int, list[QuestionnaireResponse]]:
    """Each patient's latest PHQ-9 and the one before, newest first: one query."""
    if not patient_ids:
        return {}
    responses = (
        QuestionnaireResponse.objects.filter(user_id__in=patient_ids, questionnaire="phq9")
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("user_id")],
                order_by=[F("taken_at").desc(), F("pk").desc()],
            )
        )
        .filter(recency__lte=2)
        .order_by("user_id", "recency")
    )
    latest = {}
    for response in responses:
        latest.setdefault(response.user_id, []).append(response)
    return latest


def _out_of_range_readings(patient_ids: list[int], *, since: datetime.datetime) -> set[int]:
    """The patients with a reading since then in the clinic's crisis or low range (180/120 and
    90/60 unless it set others): two queries, the settings and the readings."""
    if not patient_ids:
        return set()
    readings = BloodPressureReading.objects.filter(
        user_id__in=patient_ids, measured_at__gte=since
    ).values_list("user_id", "systolic", "diastolic")
    rules = safety.clinic_safety()
    return {
        user_id
        for user_id, systolic, diastolic in readings
        if safety.is_urgent(systolic=systolic, diastolic=diastolic, rules=rules)
        or safety.is_low(systolic=systolic, diastolic=diastolic, rules=rules)
    }


def _last_check_ins(patient_ids: list[int]) -> dict[int, datetime.date]:
    if not patient_ids:
        return {}
    rows = (
        JournalEntry.objects.filter(user_id__in=patient_ids)
        .values("user_id")
        .annotate(last=Max("date"))
    )
    return {row["user_id"]: row["last"] for row in rows}


def patient_list(*, clinician, now: datetime.datetime | None = None) -> list[PatientRow]:
    """The clinician's consenting patients, each with its flags: five queries whatever the
    number of patients. A flag whose scope the patient did not grant is not computed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    connections = list(rules.consenting_patients(clinician=clinician))
    questionnaire_ids = _granting(connections, CareScope.QUESTIONNAIRES)
    journal_ids = _granting(connections, CareScope.JOURNAL)
    phq9 = _latest_two_phq9(questionnaire_ids)
    out_of_range = _out_of_range_readings(
        journal_ids, since=now - datetime.timedelta(days=BLOOD_PRESSURE_DAYS)
    )
    last_check_ins = _last_check_ins(journal_ids)
    rules.record_accesses(
        staff=clinician, connections=connections, what=gettext_noop("patient list flags")
    )
    rows = []
    for connection in connections:
        responses = phq9.get(connection.user_id, [])
        last = last_check_ins.get(connection.user_id)
        rows.append(
            PatientRow(
                connection=connection,
                flags=[
                    Flag(
                        gettext("PHQ-9 item 9 above 0"),
                        connection.questionnaires,
                        bool(responses) and responses[0].needs_crisis_resources,
                    ),
                    Flag(
                        gettext(
                            "Blood pressure at or above 180/120 or below 90/60 (last %(days)s days)"
                        )
                        % {"days": BLOOD_PRESSURE_DAYS},
                        connection.journal,
                        connection.user_id in out_of_range,
                    ),
                    Flag(
                        gettext("PHQ-9 up by %(points)s or more") % {"points": PHQ9_RISE},
                        connection.questionnaires,
                        len(responses) == 2
                        and responses[0].score - responses[1].score >= PHQ9_RISE,
                    ),
                    Flag(
                        gettext("No check-in for %(days)s days") % {"days": NO_CHECK_IN_DAYS},
                        connection.journal,
                        last is None or (today - last).days >= NO_CHECK_IN_DAYS,
                    ),
                ],
            )
        )
    return rows


def current_checklist(*, patient, today: datetime.date) -> Checklist | None:
    """The next appointment's checklist, or after the last visit its checklist (the plan is
    written after the visit)."""
    return (
        services.next_appointment(user=patient, today=today)
        or Checklist.objects.owned_by(patient).first()
    )


def plan_of(checklist: Checklist) -> VisitPlan | None:
    return VisitPlan.objects.filter(checklist=checklist).first()


def patient_page(*, clinician, patient_id: int, today: datetime.date) -> dict:
    """What the patient page shows: the visit-prep summary and checklist of the current
    appointment, the CGI ratings, and the latest infusions and the trends when the journal is
    shared."""
    connection = rules.patient_for(
        clinician=clinician,
        patient_id=patient_id,
        scope=CareScope.SUMMARY,
        what=gettext_noop("visit summary, checklist and CGI ratings"),
    )
    patient = connection.user
    checklist = current_checklist(patient=patient, today=today)
    trends = None
    if rules.granting_connection(
        clinician=clinician, patient_id=patient_id, scope=CareScope.JOURNAL
    ):
        rules.record_access(
            staff=clinician,
            patient=patient,
            clinic=connection.clinic,
            what=f"trends over {TREND_DAYS} days",
        )
        trends = services.dashboard_trends(user=patient, days=TREND_DAYS, today=today)
    return {
        "connection": connection,
        "shared": [CareScope(scope).label for scope in connection.scopes],
        "patient": patient,
        **(
            prep_rules.visit_sheet(checklist, with_questionnaires=connection.questionnaires)
            if checklist
            else {"checklist": None}
        ),
        # Questionnaire scores, and the questions drawn from them, only with their own scope,
        # whatever the summary shows.
        "questionnaires_shared": connection.questionnaires,
        "plan": checklist and plan_of(checklist),
        "cgi_ratings": list(ClinicianRating.objects.owned_by(patient)),
        "trends": trends,
        "trend_days": TREND_DAYS,
        # Not "infusions": that is the summary's (visit_sheet), the period's infusions with the
        # ratings around each; these are the latest, for recording their monitoring.
        "recent_infusions": monitoring.recent_infusions(patient=patient) if trends else None,
    }


def sheet_page(*, clinician, patient_id: int, checklist_id: int, what: str) -> dict:
    """The visit-prep sheet of one of the patient's checklists, as the clinician prints it: in
    the clinician's page language, the portal's own questions re-derived in it
    (prep.rules.in_active_language), whatever language the patient built the checklist in."""
    connection = rules.patient_for(
        clinician=clinician, patient_id=patient_id, scope=CareScope.SUMMARY, what=what
    )
    checklist = get_object_or_404(Checklist.objects.owned_by(connection.user), pk=checklist_id)
    return {
        **prep_rules.visit_sheet(
            checklist, in_reader_language=True, with_questionnaires=connection.questionnaires
        ),
        "patient": connection.user,
        "questionnaires_shared": connection.questionnaires,
    }


def question_for(*, clinician, patient_id: int, item_id: int, what: str) -> ChecklistItem:
    connection = rules.patient_for(
        clinician=clinician, patient_id=patient_id, scope=CareScope.SUMMARY, what=what
    )
    item = get_object_or_404(
        ChecklistItem.objects.select_related("checklist").filter(checklist__user=connection.user),
        pk=item_id,
    )
    if prep_rules.from_questionnaires(item) and not connection.questionnaires:
        raise Http404("The patient does not share their questionnaires with this clinic.")
    return item


def answer_question(*, clinician, patient_id: int, item_id: int, answer: str) -> ChecklistItem:
    """The clinician's answer to one of the patient's questions, which is then asked."""
    item = question_for(
        clinician=clinician,
        patient_id=patient_id,
        item_id=item_id,
        what=gettext_noop("answered a checklist question"),
    )
    item.answer_notes = answer
    item.asked = True
    item.full_clean()
    item.save(update_fields=["answer_notes", "asked"])
    return item


def checklist_for(*, clinician, patient_id: int, checklist_id: int, what: str) -> Checklist:
    connection = rules.patient_for(
        clinician=clinician, patient_id=patient_id, scope=CareScope.SUMMARY, what=what
    )
    return get_object_or_404(Checklist.objects.owned_by(connection.user), pk=checklist_id)


def write_plan(*, clinician, patient_id: int, checklist_id: int, plan: str) -> VisitPlan:
    """The after-visit plan the patient will read on their checklist; writing it again
    replaces it (the patient's teach-back stays)."""
    checklist = checklist_for(
        clinician=clinician,
        patient_id=patient_id,
        checklist_id=checklist_id,
        what=gettext_noop("wrote the after-visit plan"),
    )
    visit_plan = plan_of(checklist) or VisitPlan(checklist=checklist)
    visit_plan.plan = plan
    visit_plan.written_by = clinician
    visit_plan.written_by_name = rules.staff_name(clinician)
    visit_plan.written_at = timezone.now()
    visit_plan.full_clean()
    visit_plan.save()
    return visit_plan


def record_rating(
    *,
    clinician,
    patient_id: int,
    rated_on: datetime.date,
    severity: int,
    improvement: int | None,
) -> ClinicianRating:
    connection = rules.patient_for(
        clinician=clinician,
        patient_id=patient_id,
        scope=CareScope.SUMMARY,
        what=gettext_noop("recorded CGI ratings"),
    )
    rating = ClinicianRating(
        user=connection.user,
        rated_on=rated_on,
        severity=severity,
        improvement=improvement,
        clinician=clinician,
        clinician_name=rules.staff_name(clinician),
    )
    rating.full_clean()
    rating.save()
    return rating


def write_teach_back(*, user, checklist: Checklist, text: str) -> VisitPlan:
    """The patient's own words for the plan, so the clinician sees what was understood."""
    visit_plan = VisitPlan.objects.filter(checklist=checklist, checklist__user=user).first()
    if visit_plan is None:
        raise ValidationError(gettext("Your clinic has not written a plan for this visit yet."))
    visit_plan.teach_back = text
    visit_plan.teach_back_at = timezone.now()
    visit_plan.full_clean()
    visit_plan.save(update_fields=["teach_back", "teach_back_at"])
    return visit_plan
