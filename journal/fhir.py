"""A patient's health record as one FHIR R4 collection Bundle, for clinics and health-record apps.

The Bundle holds one Patient, which every other resource names as its subject, and per
blood-pressure reading a vital-signs Observation (LOINC 85354-9) and, where a pulse was taken, a
heart-rate Observation (8867-4). Every entry has a stable urn:uuid fullUrl and every reference is
one of those, so references resolve inside the Bundle.
"""

import datetime
import uuid
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.utils import timezone

from .models import BloodPressureReading

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


def health_record_bundle(*, user: User, portal_url: str) -> dict:
    """The export: the Patient first, then their records, each referring to the Patient."""
    patient = patient_entry(user=user, portal_url=portal_url)
    subject = {"reference": patient["fullUrl"]}
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [patient, *blood_pressure_entries(user=user, subject=subject)],
    }
