"""A patient downloads their own records: CSV per kind and all as JSON (FHIR: test_fhir.py)."""

import csv
import datetime
import io
import json

import pytest

from journal.exports import checklists_as_dicts
from journal.models import VisitPlan
from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    QuestionnaireResponseFactory,
    SideEffectReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES_BY_KIND = {
    "entries": JournalEntryFactory,
    "side-effects": SideEffectReportFactory,
    "infusions": InfusionSessionFactory,
    "blood-pressure": BloodPressureReadingFactory,
    "medications": MedicationFactory,
    "questionnaires": QuestionnaireResponseFactory,
}
KINDS = list(FACTORIES_BY_KIND)
HEADERS_BY_KIND = {
    "entries": [
        "id",
        "created",
        "date",
        "focus",
        "hyperactivity",
        "impulsivity",
        "mood",
        "anxiety",
        "sleep_hours",
        "notes",
    ],
    "side-effects": [
        "id",
        "created",
        "side_effect",
        "other_name",
        "severity",
        "occurred_at",
        "infusion",
        "notes",
    ],
    "infusions": [
        "id",
        "created",
        "date",
        "clinic",
        "duration_minutes",
        "systolic_before",
        "diastolic_before",
        "systolic_after",
        "diastolic_after",
        "notes",
    ],
    "blood-pressure": [
        "id",
        "created",
        "measured_at",
        "systolic",
        "diastolic",
        "pulse",
        "context",
        "notes",
    ],
    "medications": ["id", "created", "name", "dose", "frequency", "started", "stopped"],
    "questionnaires": [
        "id",
        "created",
        "questionnaire",
        "answers",
        "difficulty",
        "score",
        "taken_at",
    ],
}


@pytest.fixture
def patient(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def other_patient():
    return UserFactory()


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def csv_dicts(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# CSV


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_export_is_a_download_named_after_its_kind(client, patient, kind):
    response = client.get(f"/journal/export/{kind}.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{kind}.csv"'


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_export_is_served_as_csv(client, patient, kind):
    response = client.get(f"/journal/export/{kind}.csv")
    assert response["Content-Type"].startswith("text/csv")


def test_a_csv_export_starts_with_the_mark_that_makes_excel_read_utf_8(client, patient):
    MedicationFactory(user=patient, name="Méthylphénidate")

    content = client.get("/journal/export/medications.csv").content

    assert content.startswith(b"\xef\xbb\xbf")
    assert "Méthylphénidate" in content.decode("utf-8-sig")


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_export_starts_with_a_header_row_of_field_names(client, patient, kind):
    rows = csv_rows(client.get(f"/journal/export/{kind}.csv"))
    assert rows[0] == HEADERS_BY_KIND[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_export_of_an_empty_journal_has_only_the_header_row(client, patient, kind):
    rows = csv_rows(client.get(f"/journal/export/{kind}.csv"))
    assert len(rows) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_export_has_one_row_per_own_record(client, patient, kind):
    records = FACTORIES_BY_KIND[kind].create_batch(3, user=patient)
    rows = csv_dicts(client.get(f"/journal/export/{kind}.csv"))
    assert sorted(int(row["id"]) for row in rows) == sorted(record.pk for record in records)


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_export_leaves_out_another_patients_records(client, patient, other_patient, kind):
    FACTORIES_BY_KIND[kind](user=patient)
    theirs = FACTORIES_BY_KIND[kind](user=other_patient)
    rows = csv_dicts(client.get(f"/journal/export/{kind}.csv"))
    assert str(theirs.pk) not in [row["id"] for row in rows]


def test_a_patient_without_records_gets_only_the_header_while_others_have_records(
    client, patient, other_patient
):
    JournalEntryFactory.create_batch(2, user=other_patient)
    rows = csv_rows(client.get("/journal/export/entries.csv"))
    assert rows == [HEADERS_BY_KIND["entries"]]


def test_a_csv_export_writes_the_records_values(client, patient):
    JournalEntryFactory(
        user=patient, date=datetime.date(2025, 3, 4), focus=7, notes="Slept well, calm day."
    )
    (row,) = csv_dicts(client.get("/journal/export/entries.csv"))
    assert row["date"] == "2025-03-04"
    assert row["focus"] == "7"
    assert row["notes"] == "Slept well, calm day."


def test_a_note_starting_with_equals_is_written_with_a_leading_quote(client, patient):
    JournalEntryFactory(user=patient, notes='=HYPERLINK("http://evil.example","click")')
    (row,) = csv_dicts(client.get("/journal/export/entries.csv"))
    assert row["notes"] == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("start", ["+", "-", "@"])
def test_a_note_starting_with_another_formula_character_is_written_with_a_leading_quote(
    client, patient, start
):
    JournalEntryFactory(user=patient, notes=f"{start}1+1")
    (row,) = csv_dicts(client.get("/journal/export/entries.csv"))
    assert row["notes"] == f"'{start}1+1"


def test_a_side_effect_name_starting_with_equals_is_written_with_a_leading_quote(client, patient):
    SideEffectReportFactory(user=patient, other_name="=1+1")
    (row,) = csv_dicts(client.get("/journal/export/side-effects.csv"))
    assert row["other_name"] == "'=1+1"


def test_an_ordinary_note_is_written_without_a_leading_quote(client, patient):
    JournalEntryFactory(user=patient, notes="A good day = a calm day")
    (row,) = csv_dicts(client.get("/journal/export/entries.csv"))
    assert row["notes"] == "A good day = a calm day"


def test_an_unknown_csv_kind_is_not_found(client, patient):
    assert client.get("/journal/export/passwords.csv").status_code == 404


def test_a_csv_export_asks_a_visitor_to_log_in(client):
    response = client.get("/journal/export/entries.csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# JSON


JSON_KEYS_BY_KIND = {kind: kind.replace("-", "_") for kind in KINDS}


def test_the_json_export_is_a_download(client, patient):
    response = client.get("/journal/export/journal.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="journal.json"'


@pytest.mark.parametrize("kind", KINDS)
def test_the_json_export_contains_every_own_record_of_each_kind(client, patient, kind):
    records = FACTORIES_BY_KIND[kind].create_batch(2, user=patient)
    document = client.get("/journal/export/journal.json").json()
    exported = document[JSON_KEYS_BY_KIND[kind]]
    assert sorted(item["id"] for item in exported) == sorted(record.pk for record in records)


@pytest.mark.parametrize("kind", KINDS)
def test_the_json_export_leaves_out_another_patients_records(client, patient, other_patient, kind):
    FACTORIES_BY_KIND[kind](user=patient)
    theirs = FACTORIES_BY_KIND[kind](user=other_patient)
    document = client.get("/journal/export/journal.json").json()
    assert theirs.pk not in [item["id"] for item in document[JSON_KEYS_BY_KIND[kind]]]


def test_the_json_export_names_the_patient_and_no_one_else(client, patient, other_patient):
    JournalEntryFactory(user=other_patient)
    text = client.get("/journal/export/journal.json").content.decode()
    assert json.loads(text)["username"] == patient.username
    assert other_patient.username not in text


def test_the_json_export_writes_the_records_values(client, patient):
    JournalEntryFactory(user=patient, date=datetime.date(2025, 3, 4), mood=8, notes="Fine.")
    (entry,) = client.get("/journal/export/journal.json").json()["entries"]
    assert entry["date"] == "2025-03-04"
    assert entry["mood"] == 8
    assert entry["notes"] == "Fine."


# Checklists in the JSON export


def test_the_json_export_holds_each_checklist_with_its_questions_and_answers(client, patient):
    checklist = ChecklistFactory(user=patient, clinician="Dr Vega")
    ChecklistItemFactory(checklist=checklist, text="Can I drive home?", answer_notes="No.")

    (exported,) = client.get("/journal/export/journal.json").json()["checklists"]

    assert exported["clinician"] == "Dr Vega"
    assert [(q["text"], q["answer_notes"]) for q in exported["questions"]] == [
        ("Can I drive home?", "No.")
    ]


def test_the_json_export_holds_the_after_visit_plan_and_the_teach_back(client, patient):
    checklist = ChecklistFactory(user=patient)
    VisitPlan.objects.create(
        checklist=checklist, plan="Rest today.", written_by_name="Dr Vega", teach_back="Rest."
    )

    (exported,) = client.get("/journal/export/journal.json").json()["checklists"]

    assert exported["after_visit_plan"]["plan"] == "Rest today."
    assert exported["after_visit_plan"]["teach_back"] == "Rest."


def test_the_json_export_leaves_out_another_patients_checklists(client, patient, other_patient):
    ChecklistItemFactory(checklist=ChecklistFactory(user=other_patient), text="Theirs?")

    assert "Theirs?" not in client.get("/journal/export/journal.json").content.decode()


def test_the_json_export_reads_the_checklists_in_two_queries(
    client, patient, django_assert_num_queries
):
    for _ in range(3):
        ChecklistItemFactory(checklist=ChecklistFactory(user=patient))

    with django_assert_num_queries(2):
        checklists_as_dicts(user=patient)
