"""The patient's journal in Spanish: its pages at their /es/ address, PHQ-9 and GAD-7 in their
official Spanish (USA) wording, the safety and crisis messages, and reminder e-mails in the
patient's own language."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from journal import reminders
from journal.accounts import account_language_set, account_time_zone_set
from journal.models import JournalEntry, ReminderKind
from journal.questionnaires import GAD7, PHQ9
from journal.reminders import ReminderChoice
from journal.tasks import find_due_reminders
from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    JournalEntryFactory,
    SideEffectFactory,
    UserFactory,
)
from tests.helpers import alert_texts, field_html, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def as_post(answers):
    return {f"item_{number}": str(answer) for number, answer in enumerate(answers, start=1)}


def test_the_dashboard_at_its_spanish_address_is_in_spanish(patient_client):
    html = patient_client.get("/es/journal/").content.decode()

    assert ("<h1>Mi diario</h1>" in html, "Guardar registro" in html, "Save check-in" in html) == (
        True,
        True,
        False,
    )


def test_the_journal_menu_links_stay_in_spanish(patient_client):
    html = patient_client.get("/es/journal/").content.decode()

    assert '<a href="/es/journal/blood-pressure/">Presión arterial</a>' in html


def test_an_empty_check_in_is_refused_in_spanish(patient_client):
    response = patient_client.post("/es/journal/", {"date": timezone.localdate().isoformat()})

    assert "Llene por lo menos una calificación, sus horas de sueño o una nota." in (
        response.content.decode()
    )


def test_a_check_in_dated_in_the_future_is_refused_in_spanish(patient_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)

    response = patient_client.post("/es/journal/", {"date": tomorrow.isoformat(), "mood": "5"})

    assert "Esto no puede ser en el futuro." in visible_text(
        field_html(response.content.decode(), "date")
    )


def test_the_phq9_at_its_spanish_address_asks_the_official_spanish_first_question(
    patient_client,
):
    html = patient_client.get("/es/journal/questionnaires/new/phq9/").content.decode()

    assert "1. Poco interés o placer en hacer cosas" in html


def test_the_phq9_at_its_spanish_address_has_the_official_spanish_answers(patient_client):
    text = visible_text(patient_client.get("/es/journal/questionnaires/new/phq9/").content.decode())

    assert all(
        answer in text
        for answer in ("Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos")
    )


def test_the_phq9_at_its_spanish_address_has_the_official_spanish_stem(patient_client):
    html = patient_client.get("/es/journal/questionnaires/new/phq9/").content.decode()

    assert (
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
        "siguientes problemas?"
    ) in html


def test_the_gad7_in_spanish_answers_not_at_all_with_nunca(patient_client):
    text = visible_text(patient_client.get("/es/journal/questionnaires/new/gad7/").content.decode())

    assert ("Nunca" in text, "Ningún día" in text) == (True, False)


def test_the_spanish_wording_of_every_item_is_the_official_one():
    with translation.override("es"):
        phq9, gad7 = PHQ9.questions, GAD7.questions

    assert (phq9[8], gad7[0]) == (
        "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
        "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
    )


def test_the_english_items_stay_english_for_the_fhir_export():
    with translation.override("es"):
        assert PHQ9.items[0] == "Little interest or pleasure in doing things"


def test_item_9_above_0_in_spanish_shows_the_988_line_with_press_2_for_spanish(patient_client):
    page = patient_client.post(
        "/es/journal/questionnaires/new/phq9/", as_post([0] * 8 + [1]), follow=True
    )

    crisis = alert_texts(page.content.decode())[0]
    assert ("988" in crisis, "oprima 2 para español" in crisis, "911" in crisis) == (
        True,
        True,
        True,
    )


def test_item_9_above_0_in_spanish_says_the_clinic_was_not_alerted_in_spanish(patient_client):
    page = patient_client.post(
        "/es/journal/questionnaires/new/phq9/", as_post([0] * 8 + [2]), follow=True
    )

    assert "Su clínica no ve esta respuesta" in page.content.decode()


def test_a_spanish_result_page_stays_at_its_spanish_address(patient_client):
    response = patient_client.post("/es/journal/questionnaires/new/gad7/", as_post([1] * 7))

    assert response["Location"].startswith("/es/journal/questionnaires/")


def test_a_crisis_range_reading_in_spanish_shows_the_spanish_safety_message(
    patient_client, patient
):
    reading = BloodPressureReadingFactory(user=patient, systolic=185, diastolic=122)

    html = patient_client.get(f"/es/journal/blood-pressure/{reading.pk}/").content.decode()

    alert = alert_texts(html)[0]
    assert alert.startswith(
        "Esta lectura es muy alta. Siéntese tranquilo(a) durante 5 minutos y vuelva a medirse "
        "la presión."
    )


def test_the_spanish_safety_message_gives_the_clinic_thresholds_and_the_emergency_number(
    patient_client, patient
):
    reading = BloodPressureReadingFactory(user=patient, systolic=185, diastolic=122)

    html = patient_client.get(f"/es/journal/blood-pressure/{reading.pk}/").content.decode()

    assert "Si sigue en 180/120 o más" in html and "911 o a su número local de emergencias" in html


def test_the_same_reading_in_english_keeps_the_english_message(patient_client, patient):
    reading = BloodPressureReadingFactory(user=patient, systolic=185, diastolic=122)

    html = patient_client.get(f"/journal/blood-pressure/{reading.pk}/").content.decode()

    assert alert_texts(html)[0].startswith("This reading is very high.")


# --- Reminder e-mails in the patient's language -------------------------------------------

TURNED_ON = datetime.datetime(2026, 1, 1, 15, tzinfo=datetime.UTC)
DUE = datetime.datetime(2026, 1, 15, 15, tzinfo=datetime.UTC)  # 10:00 in New York, day 14


def questionnaire_reminder_sent(*, language, capture):
    patient = UserFactory(email="paciente@example.com")
    account_time_zone_set(user=patient, time_zone="America/New_York")
    if language:
        account_language_set(user=patient, language=language)
    reminders.reminder_settings_set(
        user=patient,
        choices={
            ReminderKind.QUESTIONNAIRES: ReminderChoice(enabled=True, time_of_day=datetime.time(10))
        },
        quiet_start=None,
        quiet_end=None,
        now=TURNED_ON,
    )
    with time_machine.travel(DUE, tick=False):
        with capture(execute=True):
            find_due_reminders(now=DUE)
    return mail.outbox[0]


def test_a_reminder_to_a_spanish_speaking_patient_has_a_spanish_subject(
    django_capture_on_commit_callbacks,
):
    message = questionnaire_reminder_sent(language="es", capture=django_capture_on_commit_callbacks)

    assert message.subject.startswith("Es hora de llenar su cuestionario")


def test_a_reminder_to_a_spanish_speaking_patient_is_in_spanish_with_spanish_links(
    django_capture_on_commit_callbacks,
):
    message = questionnaire_reminder_sent(language="es", capture=django_capture_on_commit_callbacks)

    assert (
        "Desactivar este recordatorio" in message.body,
        "/es/journal/questionnaires/new/" in message.body,
        "/es/journal/reminders/" in message.body,
        "/es/reminders/" in message.extra_headers["List-Unsubscribe"],
    ) == (True, True, True, True)


def test_a_reminder_html_part_to_a_spanish_speaking_patient_says_it_is_spanish(
    django_capture_on_commit_callbacks,
):
    message = questionnaire_reminder_sent(language="es", capture=django_capture_on_commit_callbacks)

    assert '<html lang="es">' in message.alternatives[0][0]


def test_a_reminder_to_a_patient_who_never_chose_a_language_stays_english(
    django_capture_on_commit_callbacks,
):
    message = questionnaire_reminder_sent(language="", capture=django_capture_on_commit_callbacks)

    assert (message.subject.startswith("Time for your "), "/es/" in message.body) == (True, False)


def test_an_appointment_is_named_in_spanish_while_spanish_is_active(patient):
    checklist = ChecklistFactory(
        user=patient, clinician="Dra. Ruiz", appointment_date=datetime.date(2026, 12, 3)
    )

    with translation.override("es"):
        assert str(checklist) == "Cita con Dra. Ruiz, 03 Dic 2026"


def test_a_two_line_medication_name_is_refused_in_spanish(patient_client):
    response = patient_client.post("/es/journal/medications/new/", {"name": "Uno\nDos"})

    assert "Escriba esto en una sola línea" in visible_text(
        field_html(response.content.decode(), "name")
    )


def spanish_side_effect_choices(client):
    html = client.get("/es/journal/side-effects/new/").content.decode()
    return field_html(html, "side_effect")


def test_a_side_effect_offered_without_its_spanish_name_is_marked_as_english(patient_client):
    effect = SideEffectFactory(name_en="Tingling lips", name_es="")
    choices = spanish_side_effect_choices(patient_client)
    assert f'<option value="{effect.pk}" lang="en">Tingling lips</option>' in choices


def test_a_side_effect_offered_in_spanish_is_not_marked(patient_client):
    effect = SideEffectFactory(name_en="Tingling lips", name_es="Hormigueo en los labios")
    choices = spanish_side_effect_choices(patient_client)
    assert f'<option value="{effect.pk}">Hormigueo en los labios</option>' in choices


def test_a_spanish_check_in_takes_sleep_hours_with_a_decimal_comma(patient_client, patient):
    day = timezone.localdate().isoformat()
    patient_client.post("/es/journal/entries/new/", {"date": day, "sleep_hours": "7,5"})
    assert str(JournalEntry.objects.owned_by(patient).get().sleep_hours) == "7.5"


def test_the_spanish_check_in_shows_sleep_hours_with_a_decimal_comma(patient_client, patient):
    JournalEntryFactory(user=patient, date=timezone.localdate(), sleep_hours="7.5")
    html = field_html(patient_client.get("/es/journal/").content.decode(), "sleep_hours")
    assert 'value="7,5"' in html
