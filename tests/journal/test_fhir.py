"""A patient downloads their health record as one FHIR R4 collection Bundle.

fhir.resources validates it with its R4B models, whose Bundle, Patient, Observation and
QuestionnaireResponse are R4's (see pyproject.toml).
"""

import datetime
import json
import re

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from tests.factories import (
    BloodPressureReadingFactory,
    QuestionnaireResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FHIR_URL = "/journal/export/health-record.fhir.json"


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


TAKEN_AT = timezone.make_aware(datetime.datetime(2025, 3, 5, 19, 15))


@pytest.fixture
def phq9(patient):
    return QuestionnaireResponseFactory(
        user=patient, questionnaire="phq9", answers=[0, 1, 2, 3, 0, 1, 2, 3, 1], taken_at=TAKEN_AT
    )


@pytest.fixture
def gad7(patient):
    return QuestionnaireResponseFactory(
        user=patient, questionnaire="gad7", answers=[3, 2, 1, 0, 1, 2, 3], taken_at=TAKEN_AT
    )


@pytest.fixture
def health_record(patient, phq9, gad7):
    """Records of every kind the Bundle holds."""
    BloodPressureReadingFactory(user=patient, pulse=72)
    BloodPressureReadingFactory(user=patient, pulse=None, notes="After the stairs.")


def fhir_bundle(client):
    return json.loads(client.get(FHIR_URL).content)


def resources(bundle, resource_type):
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == resource_type
    ]


def the_patient_entry(bundle):
    (entry,) = [
        entry for entry in bundle["entry"] if entry["resource"]["resourceType"] == "Patient"
    ]
    return entry


def observations_coded(bundle, loinc_code):
    return [
        observation
        for observation in resources(bundle, "Observation")
        if observation["code"]["coding"][0]["code"] == loinc_code
    ]


def exported_response(client, response):
    """The QuestionnaireResponse exported for one of the portal's questionnaires."""
    (resource,) = [
        item
        for item in resources(fhir_bundle(client), "QuestionnaireResponse")
        if item["id"] == f"questionnaire-{response.pk}"
    ]
    return resource


def only_observation(client):
    """The one blood-pressure Observation of the Bundle."""
    (observation,) = observations_coded(fhir_bundle(client), "85354-9")
    return observation


def component(observation, loinc_code):
    """The observation's one component coded with this LOINC code."""
    (match,) = [
        item
        for item in observation["component"]
        if {"system": "http://loinc.org", "code": loinc_code}.items()
        <= item["code"]["coding"][0].items()
    ]
    return match


def references(value):
    """Every reference anywhere inside a resource."""
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [ref for item in value.values() for ref in references(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references(item)]
    return []


def test_the_fhir_export_is_served_as_fhir_json(client, patient):
    response = client.get(FHIR_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"


def test_the_fhir_export_is_a_download(client, patient):
    response = client.get(FHIR_URL)
    assert response["Content-Disposition"] == 'attachment; filename="health-record.fhir.json"'


def test_the_fhir_export_is_a_collection_bundle(client, patient):
    bundle = fhir_bundle(client)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"


def test_the_fhir_bundle_has_one_blood_pressure_observation_per_own_reading(client, patient):
    readings = BloodPressureReadingFactory.create_batch(3, user=patient)
    observations = observations_coded(fhir_bundle(client), "85354-9")
    assert sorted(item["id"] for item in observations) == sorted(f"bp-{r.pk}" for r in readings)


def test_the_fhir_bundle_leaves_out_another_patients_readings(client, patient, other_patient):
    BloodPressureReadingFactory(user=patient)
    theirs = BloodPressureReadingFactory(user=other_patient)
    ids = [entry["resource"]["id"] for entry in fhir_bundle(client)["entry"]]
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


def test_every_fhir_entry_is_identified_by_a_valid_uuid_urn(client, health_record):
    full_urls = [entry["fullUrl"] for entry in fhir_bundle(client)["entry"]]
    assert [url for url in full_urls if not UUID_URN.fullmatch(url)] == []


def test_the_fhir_entries_have_distinct_full_urls(client, health_record):
    full_urls = [entry["fullUrl"] for entry in fhir_bundle(client)["entry"]]
    assert len(set(full_urls)) == len(full_urls)


def test_the_fhir_export_of_an_empty_journal_holds_only_the_patient(client, patient):
    (entry,) = fhir_bundle(client)["entry"]
    assert entry["resource"]["resourceType"] == "Patient"


# Pulse


def test_a_pulse_is_exported_as_a_heart_rate_observation_per_minute(client, patient):
    BloodPressureReadingFactory(user=patient, pulse=64)
    (heart_rate,) = observations_coded(fhir_bundle(client), "8867-4")
    assert heart_rate["valueQuantity"] == {
        "value": 64,
        "unit": "/min",
        "system": "http://unitsofmeasure.org",
        "code": "/min",
    }


def test_a_heart_rate_observation_is_final(client, reading):
    (heart_rate,) = observations_coded(fhir_bundle(client), "8867-4")
    assert heart_rate["status"] == "final"


def test_a_heart_rate_observation_is_in_the_vital_signs_category(client, reading):
    (heart_rate,) = observations_coded(fhir_bundle(client), "8867-4")
    (category,) = heart_rate["category"]
    assert category["coding"][0]["code"] == "vital-signs"


def test_a_heart_rate_observation_is_dated_when_the_reading_was_taken(client, reading):
    (heart_rate,) = observations_coded(fhir_bundle(client), "8867-4")
    effective = datetime.datetime.fromisoformat(heart_rate["effectiveDateTime"])
    assert effective == reading.measured_at


def test_only_readings_with_a_pulse_export_a_heart_rate_observation(client, patient):
    with_pulse = BloodPressureReadingFactory(user=patient, pulse=80)
    BloodPressureReadingFactory(user=patient, pulse=None)
    heart_rates = observations_coded(fhir_bundle(client), "8867-4")
    assert [item["id"] for item in heart_rates] == [f"pulse-{with_pulse.pk}"]


# PHQ-9 and GAD-7

# Each questionnaire's fixture, LOINC panel and total-score code.
QUESTIONNAIRE_CASES = [("phq9", "44249-1", "44261-6"), ("gad7", "69737-5", "70274-6")]


@pytest.fixture(params=QUESTIONNAIRE_CASES, ids=lambda case: case[0])
def questionnaire_case(request, patient):
    """A questionnaire the patient took, with its LOINC panel and total-score codes."""
    code, panel, total_score = request.param
    return request.getfixturevalue(code), panel, total_score


def test_a_questionnaire_response_names_its_loinc_panel_as_its_questionnaire(
    client, questionnaire_case
):
    response, panel, _ = questionnaire_case
    assert exported_response(client, response)["questionnaire"] == f"http://loinc.org/q/{panel}"


def test_a_questionnaire_response_is_completed(client, phq9):
    assert exported_response(client, phq9)["status"] == "completed"


def test_a_questionnaire_response_has_an_item_per_question_with_its_text(
    client, questionnaire_case
):
    response, _, _ = questionnaire_case
    items = exported_response(client, response)["item"]
    assert [item["text"] for item in items] == response.definition.items


def test_a_questionnaire_response_links_each_item_by_the_questions_loinc_code(client, gad7):
    items = exported_response(client, gad7)["item"]
    assert [item["linkId"] for item in items] == [
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]


def test_a_questionnaire_response_answers_with_loinc_answer_codes(client, patient):
    response = QuestionnaireResponseFactory(
        user=patient, questionnaire="phq9", answers=[0, 1, 2, 3, 0, 0, 0, 0, 0]
    )
    items = exported_response(client, response)["item"]
    answers = [item["answer"][0]["valueCoding"] for item in items[:4]]
    assert answers == [
        {"system": "http://loinc.org", "code": "LA6568-5", "display": "Not at all"},
        {"system": "http://loinc.org", "code": "LA6569-3", "display": "Several days"},
        {"system": "http://loinc.org", "code": "LA6570-1", "display": "More than half the days"},
        {"system": "http://loinc.org", "code": "LA6571-9", "display": "Nearly every day"},
    ]


def test_a_questionnaire_response_is_authored_when_the_questionnaire_was_taken(client, phq9):
    authored = datetime.datetime.fromisoformat(exported_response(client, phq9)["authored"])
    assert authored == TAKEN_AT


def test_a_total_score_observation_equals_the_portals_score(client, questionnaire_case):
    response, _, total_score = questionnaire_case
    (score,) = observations_coded(fhir_bundle(client), total_score)
    assert score["valueInteger"] == response.score


def test_a_total_score_observation_is_in_the_survey_category(client, phq9):
    (score,) = observations_coded(fhir_bundle(client), "44261-6")
    (category,) = score["category"]
    assert category["coding"][0]["code"] == "survey"


def test_a_total_score_observation_is_derived_from_its_questionnaire_response(client, gad7):
    bundle = fhir_bundle(client)
    (score,) = observations_coded(bundle, "70274-6")
    (response_entry,) = [
        entry
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert score["derivedFrom"] == [{"reference": response_entry["fullUrl"]}]


# The Patient


def test_the_fhir_patient_is_identified_by_the_username_at_the_portal(client, patient):
    patient_resource = the_patient_entry(fhir_bundle(client))["resource"]
    assert patient_resource["identifier"] == [
        {"system": "http://testserver/", "value": patient.username}
    ]


def test_the_fhir_patient_holds_no_name_or_other_detail_the_portal_never_asked_for(client, patient):
    patient_resource = the_patient_entry(fhir_bundle(client))["resource"]
    assert set(patient_resource) == {"resourceType", "id", "identifier"}


def test_every_other_fhir_resource_has_the_patient_as_its_subject(client, health_record):
    bundle = fhir_bundle(client)
    patient_url = the_patient_entry(bundle)["fullUrl"]
    others = [entry["resource"] for entry in bundle["entry"][1:]]
    assert others
    assert [item["subject"] for item in others] == [{"reference": patient_url}] * len(others)


def test_every_reference_in_the_fhir_bundle_resolves_to_one_of_its_entries(client, health_record):
    bundle = fhir_bundle(client)
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    found = references(bundle)
    assert found
    assert set(found) <= full_urls


def test_a_patients_fhir_export_holds_none_of_another_patients_records(
    client, patient, other_patient
):
    BloodPressureReadingFactory(user=other_patient, pulse=90)
    QuestionnaireResponseFactory(user=other_patient, questionnaire="phq9")
    QuestionnaireResponseFactory(
        user=other_patient, questionnaire="gad7", answers=[1, 1, 1, 1, 1, 1, 1]
    )
    (entry,) = fhir_bundle(client)["entry"]
    assert entry["resource"]["identifier"][0]["value"] == patient.username


def test_another_patients_fhir_export_names_only_themselves(client, patient, other_patient):
    BloodPressureReadingFactory(user=patient)
    client.force_login(other_patient)
    text = client.get(FHIR_URL).content.decode()
    assert patient.username not in text
    assert the_patient_entry(json.loads(text))["resource"]["identifier"][0]["value"] == (
        other_patient.username
    )


# Validation with fhir.resources

EXPORTED_TYPES = {"Patient", "Observation", "QuestionnaireResponse"}


def test_the_fhir_bundle_validates_down_to_each_resource_with_fhir_resources(client, health_record):
    parsed = Bundle.model_validate(fhir_bundle(client), strict=True)
    assert {type(entry.resource).__name__ for entry in parsed.entry} == EXPORTED_TYPES


@pytest.mark.parametrize("resource_type", sorted(EXPORTED_TYPES))
def test_every_exported_resource_of_a_type_validates_with_fhir_resources(
    client, health_record, resource_type
):
    exported = resources(fhir_bundle(client), resource_type)
    assert exported
    model = get_fhir_model_class(resource_type)
    for resource in exported:
        model.model_validate(resource, strict=True)


def test_the_fhir_export_asks_a_visitor_to_log_in(client):
    response = client.get(FHIR_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
