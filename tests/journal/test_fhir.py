"""A patient downloads their blood pressure as a FHIR R4 collection Bundle."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from tests.factories import BloodPressureReadingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def other_patient():
    return UserFactory()


@pytest.fixture
def reading(patient):
    return BloodPressureReadingFactory(
        user=patient,
        systolic=132,
        diastolic=86,
        measured_at=timezone.make_aware(datetime.datetime(2025, 3, 4, 8, 30)),
    )


def fhir_bundle(client):
    return json.loads(client.get("/journal/export/blood-pressure.fhir.json").content)


def only_observation(client):
    (entry,) = fhir_bundle(client)["entry"]
    return entry["resource"]


def component(observation, loinc_code):
    """The observation's one component coded with this LOINC code."""
    (match,) = [
        item
        for item in observation["component"]
        if {"system": "http://loinc.org", "code": loinc_code}.items()
        <= item["code"]["coding"][0].items()
    ]
    return match


def test_the_fhir_export_is_served_as_fhir_json(client, patient):
    response = client.get("/journal/export/blood-pressure.fhir.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"


def test_the_fhir_export_is_a_download(client, patient):
    response = client.get("/journal/export/blood-pressure.fhir.json")
    assert response["Content-Disposition"] == 'attachment; filename="blood-pressure.fhir.json"'


def test_the_fhir_export_is_a_collection_bundle(client, patient):
    bundle = fhir_bundle(client)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"


def test_the_fhir_bundle_has_one_observation_per_own_reading(client, patient):
    BloodPressureReadingFactory.create_batch(3, user=patient)
    entries = fhir_bundle(client)["entry"]
    assert len(entries) == 3
    assert {entry["resource"]["resourceType"] for entry in entries} == {"Observation"}


def test_the_fhir_bundle_leaves_out_another_patients_readings(client, patient, other_patient):
    BloodPressureReadingFactory(user=patient)
    theirs = BloodPressureReadingFactory(user=other_patient)
    ids = [entry["resource"]["id"] for entry in fhir_bundle(client)["entry"]]
    assert len(ids) == 1
    assert f"bp-{theirs.pk}" not in ids


def test_a_fhir_observation_is_final(client, reading):
    assert only_observation(client)["status"] == "final"


def test_a_fhir_observation_is_in_the_vital_signs_category(client, reading):
    (category,) = only_observation(client)["category"]
    (coding,) = category["coding"]
    assert coding["system"] == "http://terminology.hl7.org/CodeSystem/observation-category"
    assert coding["code"] == "vital-signs"


def test_a_fhir_observation_is_coded_as_a_loinc_blood_pressure_panel(client, reading):
    (coding,) = only_observation(client)["code"]["coding"]
    assert coding["system"] == "http://loinc.org"
    assert coding["code"] == "85354-9"


def test_a_fhir_observation_gives_the_systolic_value_in_mmhg(client, reading):
    systolic = component(only_observation(client), "8480-6")
    assert systolic["valueQuantity"] == {
        "value": 132,
        "unit": "mmHg",
        "system": "http://unitsofmeasure.org",
        "code": "mm[Hg]",
    }


def test_a_fhir_observation_gives_the_diastolic_value_in_mmhg(client, reading):
    diastolic = component(only_observation(client), "8462-4")
    assert diastolic["valueQuantity"] == {
        "value": 86,
        "unit": "mmHg",
        "system": "http://unitsofmeasure.org",
        "code": "mm[Hg]",
    }


def test_a_fhir_observation_has_exactly_a_systolic_and_a_diastolic_component(client, reading):
    codes = [item["code"]["coding"][0]["code"] for item in only_observation(client)["component"]]
    assert sorted(codes) == ["8462-4", "8480-6"]


def test_a_fhir_observation_is_dated_when_the_reading_was_taken_in_iso_8601(client, reading):
    effective = datetime.datetime.fromisoformat(only_observation(client)["effectiveDateTime"])
    assert effective.tzinfo is not None
    assert effective == reading.measured_at


UUID_URN = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_a_fhir_entry_is_identified_by_a_valid_uuid_urn(client, reading):
    (entry,) = fhir_bundle(client)["entry"]
    assert UUID_URN.fullmatch(entry["fullUrl"])


def test_the_fhir_entries_have_distinct_full_urls(client, patient):
    BloodPressureReadingFactory.create_batch(3, user=patient)
    full_urls = [entry["fullUrl"] for entry in fhir_bundle(client)["entry"]]
    assert len(set(full_urls)) == 3


def test_the_fhir_export_of_an_empty_journal_has_no_entries(client, patient):
    assert fhir_bundle(client)["entry"] == []


def test_the_fhir_export_asks_a_visitor_to_log_in(client):
    response = client.get("/journal/export/blood-pressure.fhir.json")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
