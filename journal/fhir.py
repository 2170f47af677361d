"""A patient's health record as one FHIR R4 collection Bundle, for clinics and health-record apps.

The Bundle holds one Patient, which every other resource names as its subject; per
blood-pressure reading a vital-signs Observation (LOINC 85354-9) and, where a pulse was taken, a
heart-rate Observation (8867-4); per PHQ-9 or GAD-7 a QuestionnaireResponse and the total-score
Observation derived from it. Every entry has a stable urn:uuid fullUrl and every reference is one
of those, so references resolve inside the Bundle.
"""

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from .models import BloodPressureReading, QuestionnaireResponse
from .questionnaires import ANSWER_CHOICES

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def full_url(*, kind: str, pk: int) -> str:
    """A UUID made from the record's kind and id, so a record always exports under the same one."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:ketamine-adhd-portal:{kind}")
    return f"urn:uuid:{uuid.uuid5(namespace, str(pk))}"


def _entry(url: str, resource: dict) -> dict:
    return {"fullUrl": url, "resource": resource}


def _loinc(code: str, display: str) -> dict:
    return {"coding": [{"system": LOINC, "code": code, "display": display}]}


def _category(code: str, display: str) -> list[dict]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _quantity(value: int, *, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _observation(
    *,
    resource_id: str,
    category: list[dict],
    code: dict,
    subject: dict,
    effective: datetime.datetime,
) -> dict:
    """What every exported Observation has: final, categorised, coded, about the patient, dated."""
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": category,
        "code": code,
        "subject": subject,
        "effectiveDateTime": effective.isoformat(),
    }


def patient_entry(*, user: User, portal_url: str) -> dict:
    """The patient as the portal knows them: an account, named by its username at the portal.

    No name, birth date or anything else is made up: the portal never asks for them.
    """
    patient = {
        "resourceType": "Patient",
        "id": f"patient-{user.pk}",
        "identifier": [{"system": portal_url, "value": user.get_username()}],
    }
    return _entry(full_url(kind="patient", pk=user.pk), patient)


def _mmhg(code: str, display: str, value: int) -> dict:
    return {
        "code": _loinc(code, display),
        "valueQuantity": _quantity(value, unit="mmHg", code="mm[Hg]"),
    }


def _blood_pressure(reading: BloodPressureReading, *, subject: dict) -> dict:
    observation = _observation(
        resource_id=f"bp-{reading.pk}",
        category=_category("vital-signs", "Vital Signs"),
        code={
            **_loinc("85354-9", "Blood pressure panel with all children optional"),
            "text": "Blood pressure",
        },
        subject=subject,
        effective=reading.measured_at,
    )
    observation["component"] = [
        _mmhg("8480-6", "Systolic blood pressure", reading.systolic),
        _mmhg("8462-4", "Diastolic blood pressure", reading.diastolic),
    ]
    if reading.notes:
        observation["note"] = [{"text": reading.notes}]
    return observation


def _heart_rate(reading: BloodPressureReading, *, subject: dict) -> dict:
    observation = _observation(
        resource_id=f"pulse-{reading.pk}",
        category=_category("vital-signs", "Vital Signs"),
        code={**_loinc("8867-4", "Heart rate"), "text": "Pulse"},
        subject=subject,
        effective=reading.measured_at,
    )
    observation["valueQuantity"] = _quantity(reading.pulse, unit="/min", code="/min")
    return observation


def blood_pressure_entries(*, user: User, subject: dict) -> Iterator[dict]:
    """Per reading, oldest first, its blood pressure and, where one was taken, its pulse."""
    for reading in BloodPressureReading.objects.owned_by(user).order_by("measured_at"):
        url = full_url(kind="blood-pressure", pk=reading.pk)
        yield _entry(url, _blood_pressure(reading, subject=subject))
        if reading.pulse is not None:
            url = full_url(kind="pulse", pk=reading.pk)
            yield _entry(url, _heart_rate(reading, subject=subject))


@dataclass(frozen=True)
class LoincPanel:
    """A questionnaire's LOINC codes: its panel, total score, and items in the portal's order."""

    panel: str
    total_score: str
    total_score_display: str
    items: tuple[str, ...]

    @property
    def canonical(self) -> str:
        """The panel's Questionnaire as LOINC publishes it."""
        return f"{LOINC}/q/{self.panel}"


LOINC_PANELS = {
    "phq9": LoincPanel(
        panel="44249-1",
        total_score="44261-6",
        total_score_display="Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        items=(
            "44250-9",
            "44255-8",
            "44259-0",
            "44254-1",
            "44251-7",
            "44258-2",
            "44252-5",
            "44253-3",
            "44260-8",
        ),
    ),
    "gad7": LoincPanel(
        panel="69737-5",
        total_score="70274-6",
        total_score_display=(
            "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"
        ),
        items=("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"),
    ),
}
# LOINC's answer list LL358-3, shared by every PHQ-9 and GAD-7 item, by the portal's 0-3 answer;
# its display words are the portal's own (ANSWER_CHOICES).
LOINC_ANSWERS = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}
ANSWER_WORDS = dict(ANSWER_CHOICES)


def _answer(value: int) -> dict:
    coding = {"system": LOINC, "code": LOINC_ANSWERS[value], "display": ANSWER_WORDS[value]}
    return {"valueCoding": coding}


def _questionnaire_response(response: QuestionnaireResponse, *, subject: dict) -> dict:
    """The answers as given, an item per question linked by the question's LOINC code.

    R4 gives a QuestionnaireResponse no code of its own: the questionnaire canonical names the
    LOINC panel.
    """
    panel = LOINC_PANELS[response.questionnaire]
    questions = zip(panel.items, response.definition.items, response.answers, strict=True)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"questionnaire-{response.pk}",
        "questionnaire": panel.canonical,
        "status": "completed",
        "subject": subject,
        "authored": response.taken_at.isoformat(),
        "item": [
            {"linkId": code, "text": text, "answer": [_answer(value)]}
            for code, text, value in questions
        ],
    }


def _total_score(response: QuestionnaireResponse, *, subject: dict, derived_from: str) -> dict:
    panel = LOINC_PANELS[response.questionnaire]
    observation = _observation(
        resource_id=f"questionnaire-score-{response.pk}",
        category=_category("survey", "Survey"),
        code=_loinc(panel.total_score, panel.total_score_display),
        subject=subject,
        effective=response.taken_at,
    )
    observation["valueInteger"] = response.score
    observation["derivedFrom"] = [{"reference": derived_from}]
    return observation


def questionnaire_entries(*, user: User, subject: dict) -> Iterator[dict]:
    """Per PHQ-9 or GAD-7, oldest first, its answers and the total score worked out from them."""
    for response in QuestionnaireResponse.objects.owned_by(user).order_by("taken_at"):
        response_url = full_url(kind="questionnaires", pk=response.pk)
        yield _entry(response_url, _questionnaire_response(response, subject=subject))
        score = _total_score(response, subject=subject, derived_from=response_url)
        yield _entry(full_url(kind="questionnaire-score", pk=response.pk), score)


def health_record_bundle(*, user: User, portal_url: str) -> dict:
    """The export: the Patient first, then their records, each referring to the Patient."""
    patient = patient_entry(user=user, portal_url=portal_url)
    subject = {"reference": patient["fullUrl"]}
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [
            patient,
            *blood_pressure_entries(user=user, subject=subject),
            *questionnaire_entries(user=user, subject=subject),
        ],
    }
