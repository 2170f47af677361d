"""Blood pressure as a FHIR R4 collection Bundle, for clinics and health-record apps."""

import uuid

from django.contrib.auth.models import User
from django.utils import timezone

from .models import BloodPressureReading

LOINC = "http://loinc.org"
# Readings get stable UUIDs (the same reading always exports with the same fullUrl).
READING_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ketamine-adhd-portal:blood-pressure")
UCUM = "http://unitsofmeasure.org"


def _mmhg(code, display, value):
    return {
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
        "valueQuantity": {"value": value, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"},
    }


def blood_pressure_bundle(user: User) -> dict:
    """A FHIR R4 collection Bundle: one vital-signs Observation (LOINC 85354-9) per reading."""
    entries = []
    for reading in BloodPressureReading.objects.owned_by(user).order_by("measured_at"):
        observation = {
            "resourceType": "Observation",
            "id": f"bp-{reading.pk}",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "vital-signs",
                            "display": "Vital Signs",
                        }
                    ]
                }
            ],
            "code": {
                "coding": [
                    {
                        "system": LOINC,
                        "code": "85354-9",
                        "display": "Blood pressure panel with all children optional",
                    }
                ],
                "text": "Blood pressure",
            },
            "subject": {"display": user.get_username()},
            "effectiveDateTime": reading.measured_at.isoformat(),
            "component": [
                _mmhg("8480-6", "Systolic blood pressure", reading.systolic),
                _mmhg("8462-4", "Diastolic blood pressure", reading.diastolic),
            ],
        }
        if reading.notes:
            observation["note"] = [{"text": reading.notes}]
        reading_uuid = uuid.uuid5(READING_NAMESPACE, str(reading.pk))
        entries.append({"fullUrl": f"urn:uuid:{reading_uuid}", "resource": observation})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": entries,
    }
