"""One-line text a patient types (names, clinics, questions) refuses line breaks, tabs and other
control characters, with a message on the field, on the pages and over the API alike."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from rest_framework.test import APIClient

from journal.models import Checklist
from journal.prep import rules
from lib.validators import OneLineValidator
from tests.factories import ChecklistFactory, ProviderQuestionFactory
from tests.helpers import field_html, run_data_migration

pytestmark = pytest.mark.django_db

MESSAGE = "Keep this to one line: no line breaks, tabs or other control characters."
CONTROL_CHARACTERS = {
    "CR": "\r",
    "LF": "\n",
    "CRLF": "\r\n",
    "TAB": "\t",
    "ESC": "\x1b",
    "DEL": "\x7f",
    "C1 next line": "\x85",
    "C1 control sequence": "\x9b",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
}
# CharFields of the journal that the server fills in and no patient types.
WRITTEN_BY_THE_SERVER = {
    "ChecklistItem.data_note",
    "ChecklistItem.source_key",
    "ReminderDelivery.subject",
    "CareAccess.staff_name",
    "CareAccess.what",
    "VisitPlan.written_by_name",
    "ClinicianRating.clinician_name",
}
# CharFields a patient picks from a list, checked against it rather than typed.
CHOSEN_FROM_A_LIST = {"AccountPreferences.time_zone"}


def typed_one_line_fields():
    """Every editable text field of the journal without choices that is one line (a CharField)."""
    return [
        field
        for model in apps.get_app_config("journal").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField)
        and field.editable
        and not field.choices
        and f"{model.__name__}.{field.name}" not in WRITTEN_BY_THE_SERVER | CHOSEN_FROM_A_LIST
    ]


def appointment_day():
    return (datetime.date.today() + datetime.timedelta(days=7)).isoformat()


@pytest.mark.parametrize("character", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
def test_one_line_text_refuses_a_control_character(character):
    with pytest.raises(ValidationError, match=MESSAGE):
        OneLineValidator()(f"Dr Rivera{character}Harbour Street")


def test_one_line_text_takes_accents_punctuation_and_emoji():
    OneLineValidator()("Dr Zoë O’Brien — Klinik Süd, №5 (2nd floor) 🙂")


@pytest.mark.parametrize(
    "field", typed_one_line_fields(), ids=lambda field: f"{field.model.__name__}.{field.name}"
)
def test_every_one_line_field_a_patient_types_refuses_a_line_break(field):
    with pytest.raises(ValidationError, match=MESSAGE):
        field.clean("Harbour Street\nClinic", field.model())


def own_question_url(patient):
    return reverse("checklists:item_create", args=[ChecklistFactory(user=patient).pk])


PAGES = {
    "checklist clinician": (
        lambda patient: reverse("checklists:create"),
        lambda: {"appointment_date": appointment_day(), "clinician": "Dr Rivera\r\nDr Chen"},
        "clinician",
    ),
    "own question": (own_question_url, lambda: {"text": "Can I\ndrive home?"}, "text"),
    "medication name": (
        lambda patient: reverse("journal:medications_create"),
        lambda: {"name": "Methyl\tphenidate"},
        "name",
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_page_shows_the_message_next_to_a_one_line_field_with_a_line_break(client, patient, page):
    url, data, field = PAGES[page]
    client.force_login(patient)
    html = client.post(url(patient), data()).content.decode()
    assert MESSAGE in field_html(html, field)


def test_a_checklist_with_a_line_break_in_the_clinician_is_not_saved(client, patient):
    client.force_login(patient)
    client.post(
        reverse("checklists:create"),
        {"appointment_date": appointment_day(), "clinician": "Dr Rivera\r\nDr Chen"},
    )
    assert not Checklist.objects.filter(user=patient).exists()


def own_items_url(patient):
    return f"/api/v1/checklists/{ChecklistFactory(user=patient).pk}/items/"


API_ROUTES = {
    "checklist clinic": (
        lambda patient: "/api/v1/checklists/",
        lambda: {"appointment_date": appointment_day(), "clinic": "Harbour Street\r\nClinic"},
        "clinic",
    ),
    "checklist question": (own_items_url, lambda: {"text": "Can I\ndrive home?"}, "text"),
    "medication name": (
        lambda patient: "/api/v1/journal/medications/",
        lambda: {"name": "Methyl\tphenidate"},
        "name",
    ),
}


@pytest.mark.parametrize("route", API_ROUTES)
def test_the_api_answers_400_with_the_message_on_a_one_line_field_with_a_line_break(patient, route):
    url, data, field = API_ROUTES[route]
    api = APIClient()
    api.force_login(patient)
    response = api.post(url(patient), data(), format="json")
    assert response.status_code == 400
    assert response.json()[field] == [MESSAGE]


def test_a_patient_saves_an_answer_to_a_catalogue_question_saved_with_a_line_break_before_the_rule(
    client, patient
):
    question = ProviderQuestionFactory(text_en="Can I drive\nhome afterwards?")
    checklist = ChecklistFactory(user=patient)
    item = rules.add_catalogue_question(user=patient, checklist=checklist, question=question).item
    run_data_migration("journal", "0021_checklist_item_text_on_one_line")
    item.refresh_from_db()
    client.force_login(patient)

    client.post(
        reverse("checklists:item_update", args=[checklist.pk, item.pk]),
        {"text": item.text, "asked": "on", "answer_notes": "No, bring a driver."},
    )

    item.refresh_from_db()
    assert item.answer_notes == "No, bring a driver."
