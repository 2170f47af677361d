"""The care team in Spanish (issue 19): a Spanish-speaking patient's care-team pages, the
clinician's pages in the clinician's page language, and a clinician printing the sheet of a
Spanish-speaking patient in English."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from journal.models import CareAccess, CareConnection, Checklist
from journal.prep import rules
from tests.factories import (
    CareConnectionFactory,
    ChecklistItemFactory,
    ClinicFactory,
    ClinicianFactory,
    MedicationFactory,
    SideEffectFactory,
    SideEffectReportFactory,
)
from tests.helpers import sign_in_staff, visible_text

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Riverside Clinic")


@pytest.fixture
def connected(client, patient, clinic):
    """A patient sharing everything with the clinic, signed in."""
    CareConnectionFactory(user=patient, clinic=clinic)
    client.force_login(patient)
    return patient


def test_a_spanish_patients_care_team_page_is_in_spanish(client, connected):
    text = visible_text(client.get(url("journal:care-team", "es")).content.decode())

    assert "Mi equipo de atención" in text
    assert "Quién en una clínica vio sus datos" in text
    assert "Conectarse con una clínica" in text


def test_the_spanish_care_team_page_explains_each_scope_in_spanish(client, connected):
    text = visible_text(client.get(url("journal:care-team", "es")).content.decode())

    assert "Sus respuestas y puntajes del PHQ-9 y del GAD-7." in text
    assert "llame al 911 o a su número local de emergencias" in text


def test_the_access_log_says_in_spanish_what_the_clinic_saw(client, connected, clinic):
    CareAccess.objects.create(
        patient=connected, staff_name="Dr Rivera", clinic=clinic, what="safety alert"
    )

    text = visible_text(client.get(url("journal:care-team", "es")).content.decode())

    assert "alerta de seguridad" in text


def test_the_withdraw_page_asks_in_spanish(client, connected):
    connection = CareConnection.objects.get(user=connected)
    response = client.get(url("journal:care-team_withdraw", "es", pk=connection.pk))

    assert "¿Dejar de compartir con Riverside Clinic?" in visible_text(response.content.decode())


@pytest.fixture
def spanish_checklist(client, connected):
    """The patient built their checklist on the Spanish page: its questions are in Spanish."""
    MedicationFactory(user=connected, name="Methylphenidate", dose="20 mg", frequency="")
    client.post(url("checklists:create", "es"), {"appointment_date": NEXT_WEEK.isoformat()})
    checklist = Checklist.objects.get(user=connected)
    checklist.items.update(is_top_priority=True)
    return checklist


@pytest.fixture
def clinician_client(client, clinic, spanish_checklist):
    client.logout()
    sign_in_staff(client, ClinicianFactory(clinic=clinic))
    return client


def sheet_url(checklist, language="en", name="clinic:sheet"):
    return url(name, language, patient_id=checklist.user_id, checklist_pk=checklist.pk)


def test_the_spanish_patients_question_was_stored_in_spanish(spanish_checklist):
    assert spanish_checklist.items.filter(
        text="¿La ketamina puede interactuar con Methylphenidate?"
    ).exists()


def test_a_clinicians_english_sheet_of_a_spanish_patient_is_in_english(
    clinician_client, spanish_checklist
):
    response = clinician_client.get(sheet_url(spanish_checklist) + "?lang=en")

    text = visible_text(response.content.decode())
    assert "My top questions" in text
    assert "Could ketamine interact with Methylphenidate?" in text
    assert "You take Methylphenidate 20 mg." in text
    assert "¿La ketamina" not in text


def test_a_clinician_who_prefers_spanish_still_gets_the_english_sheet_they_chose(
    clinician_client, spanish_checklist
):
    response = clinician_client.get(
        sheet_url(spanish_checklist) + "?lang=en", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 200
    assert "My top questions" in visible_text(response.content.decode())


def test_a_clinicians_english_pdf_of_a_spanish_patient_is_in_english(
    clinician_client, spanish_checklist
):
    response = clinician_client.get(
        sheet_url(spanish_checklist, name="clinic:sheet_pdf") + "?lang=en"
    )

    pdf = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "My top questions" in text
    assert "Could ketamine interact with" in text


def test_a_clinicians_spanish_sheet_is_in_spanish(clinician_client, spanish_checklist):
    response = clinician_client.get(sheet_url(spanish_checklist, "es"))

    text = visible_text(response.content.decode())
    assert "Mis preguntas principales" in text
    assert "¿La ketamina puede interactuar con Methylphenidate?" in text


def test_the_clinicians_sheet_offers_printing_in_english_or_in_spanish(
    clinician_client, spanish_checklist
):
    html = clinician_client.get(sheet_url(spanish_checklist, "es")).content.decode()

    assert f'href="{sheet_url(spanish_checklist)}?lang=en"' in html
    assert "Print in English" in html
    assert f'href="{sheet_url(spanish_checklist, "es")}"' in html
    assert "Imprimir en español" in html


def test_a_question_the_patient_wrote_stays_in_their_words_on_the_english_sheet(
    clinician_client, spanish_checklist
):
    ChecklistItemFactory(checklist=spanish_checklist, text="¿Puedo manejar después?")

    response = clinician_client.get(sheet_url(spanish_checklist) + "?lang=en")

    assert "¿Puedo manejar después?" in visible_text(response.content.decode())


def test_opening_the_clinicians_sheet_is_in_the_patients_access_log(
    clinician_client, spanish_checklist
):
    clinician_client.get(sheet_url(spanish_checklist) + "?lang=en")

    assert CareAccess.objects.filter(
        patient=spanish_checklist.user, what="visit-prep sheet"
    ).exists()


def test_the_clinicians_patient_page_is_in_spanish_at_its_spanish_address(
    clinician_client, spanish_checklist
):
    response = clinician_client.get(
        url("clinic:patient", "es", patient_id=spanish_checklist.user_id)
    )

    text = visible_text(response.content.decode())
    assert "Todos los pacientes" in text
    assert "Calificaciones CGI" in text


def test_a_catalogue_question_in_its_spanish_wording_is_english_on_the_english_sheet(
    clinician_client, spanish_checklist
):
    """The catalogue item keeps its link to the clinic's question (source_key "catalogue:<id>"):
    while its words are still the catalogue's Spanish ones (text_es, from the translated
    catalogue), the English sheet shows the question's English text."""
    from journal.models import ItemOrigin
    from tests.factories import ProviderQuestionFactory

    spanish = "¿Cuánto dura cada infusión?"
    question = ProviderQuestionFactory(text="How long does each infusion take?", text_es=spanish)
    ChecklistItemFactory(
        checklist=spanish_checklist,
        text="¿Cuánto dura cada infusión?",
        origin=ItemOrigin.CATALOGUE,
        source_key=f"catalogue:{question.pk}",
        category=question.category,
    )

    text = visible_text(
        clinician_client.get(sheet_url(spanish_checklist) + "?lang=en").content.decode()
    )

    assert "How long does each infusion take?" in text
    assert "¿Cuánto dura cada infusión?" not in text


def test_a_clinicians_spanish_sheet_asks_about_a_side_effect_by_its_spanish_name(
    clinician_client, spanish_checklist
):
    """The question was added in English (the patient built the checklist again at the English
    address); the Spanish sheet derives it again in Spanish, naming the side effect in Spanish."""
    headaches = SideEffectFactory(name_en="Headaches", name_es="Dolores de cabeza")
    SideEffectReportFactory(user=spanish_checklist.user, side_effect=headaches, other_name="")
    rules.build_checklist(user=spanish_checklist.user, checklist=spanish_checklist)

    response = clinician_client.get(sheet_url(spanish_checklist, "es"))

    assert "¿Qué puedo hacer con este efecto secundario (dolores de cabeza)?" in visible_text(
        response.content.decode()
    )
