"""Consultation prep in Spanish (issue 19): a checklist built at its /es/ address gets Spanish
personalised questions with their Spanish "why"; the /es/ visit-prep sheet and its PDF are in
Spanish; the calendar file speaks the patient's language."""

import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from pypdf import PdfReader

from journal import services
from journal.models import AccountPreferences, Checklist, ItemOrigin
from journal.prep import rules, sharing
from tests.factories import (
    ChecklistFactory,
    ChecklistItemFactory,
    MedicationFactory,
    SideEffectFactory,
    SideEffectReportFactory,
)
from tests.helpers import visible_text

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def spanish(name, **kwargs):
    with translation.override("es"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def taking_a_medicine(patient):
    MedicationFactory(user=patient, name="Methylphenidate", dose="20 mg", frequency="")
    return patient


@pytest.fixture
def built_in_spanish(client, taking_a_medicine):
    """The patient starts a checklist on the Spanish page."""
    client.force_login(taking_a_medicine)
    client.post(
        spanish("checklists:create"),
        {"appointment_date": NEXT_WEEK.isoformat(), "clinician": "Dr Rivera"},
    )
    return Checklist.objects.get(user=taking_a_medicine)


def personalised(checklist):
    return checklist.items.get(origin=ItemOrigin.PERSONALISED, source_key__startswith="medication:")


def test_a_checklist_built_at_its_spanish_address_gets_spanish_personalised_questions(
    built_in_spanish,
):
    assert personalised(built_in_spanish).text == (
        "¿La ketamina puede interactuar con Methylphenidate?"
    )


def test_a_spanish_personalised_question_says_in_spanish_which_data_produced_it(
    built_in_spanish,
):
    assert personalised(built_in_spanish).data_note == "Usted toma Methylphenidate 20 mg."


def test_a_checklist_built_at_its_english_address_keeps_english_questions(
    client, taking_a_medicine
):
    client.force_login(taking_a_medicine)
    client.post(reverse("checklists:create"), {"appointment_date": NEXT_WEEK.isoformat()})

    checklist = Checklist.objects.get(user=taking_a_medicine)
    assert personalised(checklist).text == "Could ketamine interact with Methylphenidate?"


def test_the_day_in_a_spanish_why_is_written_the_spanish_way():
    with translation.override("es"):
        assert rules.day_and_month(datetime.date(2026, 3, 5)) == "5 de marzo"


def test_the_spanish_sheet_page_is_in_spanish(client, built_in_spanish):
    response = client.get(spanish("checklists:sheet", pk=built_in_spanish.pk))

    text = response.content.decode()
    assert "Mis preguntas principales" in text
    assert "¿La ketamina puede interactuar con Methylphenidate?" in text
    assert "My top questions" not in text


def test_the_spanish_checklist_page_is_in_spanish(client, built_in_spanish):
    response = client.get(spanish("checklists:detail", pk=built_in_spanish.pk))

    assert "Hoja para la consulta (imprimir)" in response.content.decode()


def test_the_spanish_pdf_has_spanish_headings(client, built_in_spanish):
    response = client.get(spanish("checklists:sheet_pdf", pk=built_in_spanish.pk))

    pdf = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Mis preguntas principales" in text
    assert "Preparación para la consulta" in text


def test_the_pdf_document_declares_the_language_it_is_written_in(patient):
    checklist = ChecklistFactory(user=patient)
    with translation.override("es"):
        html = render_to_string("journal/visit_sheet_pdf.html", rules.visit_sheet(checklist))

    assert '<html lang="es">' in html


def test_the_english_pdf_document_still_says_english(patient):
    html = render_to_string(
        "journal/visit_sheet_pdf.html", rules.visit_sheet(ChecklistFactory(user=patient))
    )

    assert '<html lang="en">' in html


def calendar_event(ics: bytes):
    return Calendar.from_ical(ics).walk("VEVENT")[0]


def test_the_calendar_file_downloaded_from_the_spanish_page_is_in_spanish(client, built_in_spanish):
    ChecklistItemFactory(checklist=built_in_spanish, text="¿Cuándo es la próxima?")
    built_in_spanish.items.filter(text="¿Cuándo es la próxima?").update(is_top_priority=True)

    response = client.get(spanish("checklists:ics", pk=built_in_spanish.pk))

    event = calendar_event(response.content)
    assert str(event["summary"]) == "Consulta con Dr Rivera"
    assert str(event["description"]) == (
        "Traiga su hoja de preparación para la consulta.\nSus preguntas están en su lista "
        f"(inicie sesión para verlas): http://127.0.0.1:8000/es/checklists/{built_in_spanish.pk}/"
    )


def test_a_calendar_file_made_outside_a_request_is_in_the_patients_language(patient):
    AccountPreferences.objects.create(user=patient, language="es")
    checklist = ChecklistFactory(user=patient, clinician="Dr Rivera", appointment_time=None)

    event = calendar_event(sharing.appointment_calendar_for_patient(checklist))

    assert str(event["summary"]) == "Consulta con Dr Rivera"
    assert [str(alarm["description"]) for alarm in event.walk("VALARM")] == [
        "Consulta con Dr Rivera mañana",
        "Consulta con Dr Rivera hoy",
    ]


def test_a_calendar_file_for_a_patient_who_never_chose_a_language_is_in_english(patient):
    checklist = ChecklistFactory(user=patient, clinician="Dr Rivera")

    event = calendar_event(sharing.appointment_calendar_for_patient(checklist))

    assert str(event["summary"]) == "Consultation with Dr Rivera"


def test_a_refused_fourth_top_question_is_explained_in_spanish(built_in_spanish):
    items = [
        ChecklistItemFactory(checklist=built_in_spanish, is_top_priority=True) for _ in range(3)
    ]
    extra = ChecklistItemFactory(checklist=built_in_spanish)
    assert len(items) == 3

    with translation.override("es"), pytest.raises(rules.ValidationError) as refused:
        rules.set_top_priority(item=extra, top=True)

    assert refused.value.message_dict["is_top_priority"] == [
        "Ya tiene tres preguntas principales. Primero quite la marca a una y vuelva a intentarlo."
    ]


# Side effects: named in the reader's language, counted "1 vez", "2 veces"


@pytest.fixture
def headaches(db):
    return SideEffectFactory(name_en="Headaches", name_es="Dolores de cabeza")


@pytest.fixture
def reported_a_headache(patient, headaches):
    return SideEffectReportFactory(user=patient, side_effect=headaches, other_name="", severity=3)


@pytest.fixture
def built_after_a_headache(client, reported_a_headache):
    """The patient reported a headache, then started a checklist on the Spanish page."""
    client.force_login(reported_a_headache.user)
    client.post(spanish("checklists:create"), {"appointment_date": NEXT_WEEK.isoformat()})
    return Checklist.objects.get(user=reported_a_headache.user)


def spanish_sheet(client, checklist):
    client.force_login(checklist.user)
    return client.get(spanish("checklists:sheet", pk=checklist.pk)).content.decode()


def test_the_spanish_sheet_names_a_catalogue_side_effect_in_spanish(client, reported_a_headache):
    checklist = ChecklistFactory(user=reported_a_headache.user)

    text = visible_text(spanish_sheet(client, checklist))

    assert "Dolores de cabeza:" in text
    assert "Headaches" not in text


def test_a_side_effect_reported_once_reads_una_vez_on_the_spanish_sheet(client, patient):
    SideEffectReportFactory(user=patient, other_name="Mareo", severity=3)

    text = visible_text(spanish_sheet(client, ChecklistFactory(user=patient)))

    assert "Mareo: 1 vez, lo más fuerte 3/10" in text


def test_a_side_effect_without_its_spanish_name_is_marked_as_english_on_the_spanish_sheet(
    client, patient
):
    tingling = SideEffectFactory(name_en="Tingling lips", name_es="")
    SideEffectReportFactory(user=patient, side_effect=tingling, other_name="")

    html = spanish_sheet(client, ChecklistFactory(user=patient))

    assert '<span lang="en">Tingling lips</span>:' in html


def test_a_checklist_built_in_spanish_asks_about_a_side_effect_by_its_spanish_name(
    built_after_a_headache,
):
    item = built_after_a_headache.items.get(source_key="side-effect:headaches")

    assert item.text == (
        "¿Qué puedo hacer con este efecto secundario (dolores de cabeza)? "
        "¿Debería cambiar mi tratamiento?"
    )


def test_a_checklist_built_in_spanish_gives_the_side_effects_spanish_name_in_its_why(
    built_after_a_headache,
):
    item = built_after_a_headache.items.get(source_key="side-effect:headaches")

    assert item.data_note.startswith("Usted anotó dolores de cabeza 1 vez desde el ")


def counted(user, language):
    today = timezone.localdate()
    with translation.override(language):
        counts = services.side_effect_counts(user=user, start=today, end=today)
    return [(count.name, count.times) for count in counts]


def test_a_catalogue_report_and_its_spanish_name_typed_by_hand_count_as_one(
    patient, reported_a_headache
):
    SideEffectReportFactory(user=patient, other_name=" dolores de  cabeza")

    assert counted(patient, "es") == [("Dolores de cabeza", 2)]


def test_a_catalogue_report_and_its_english_name_typed_by_hand_count_as_one_in_spanish(
    patient, reported_a_headache
):
    SideEffectReportFactory(user=patient, other_name="headaches")

    assert counted(patient, "es") == [("Dolores de cabeza", 2)]


def test_a_catalogue_report_and_its_spanish_name_typed_by_hand_count_as_one_in_english(
    patient, reported_a_headache
):
    SideEffectReportFactory(user=patient, other_name="Dolores de cabeza")

    assert counted(patient, "en") == [("Headaches", 2)]
