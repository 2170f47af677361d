"""Wording the sources support (issue 18, point 7), and the crisis messages saying plainly whether
the clinic was alerted (point 4)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from journal import safety
from journal.care import rules as care
from journal.models import Clinic, QuestionnaireResponse, SafetySettings
from tests.factories import InfusionSessionFactory, QuestionnaireResponseFactory, UserFactory
from tests.helpers import alert_texts, sign_in_staff, visible_text

PHQ9_ITEM_9_AT_1 = {f"item_{number}": "1" if number == 9 else "0" for number in range(1, 10)}


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(name="Riverside Clinic", invitation_code="RIVER234")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def first_alert_after_posting(client, url, data):
    response = client.post(url, data, follow=True)
    return alert_texts(response.content.decode())[0]


def crisis_message(client):
    return first_alert_after_posting(client, "/journal/questionnaires/new/phq9/", PHQ9_ITEM_9_AT_1)


def reading_message(client, systolic, diastolic, context="home"):
    data = {
        "measured_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "systolic": systolic,
        "diastolic": diastolic,
        "context": context,
    }
    return first_alert_after_posting(client, "/journal/blood-pressure/new/", data)


# --- Whether the clinic was alerted -------------------------------------------------------------


def test_the_crisis_message_names_the_clinic_alerted_with_consent(patient, patient_client, clinic):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])

    assert (
        "Your clinic (Riverside Clinic) has been alerted and will contact you; if you are in "
        "danger now, do not wait." in crisis_message(patient_client)
    )


def test_the_crisis_message_says_the_clinic_does_not_see_it_without_consent(
    patient, patient_client, clinic
):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["summary", "questionnaires"])

    message = crisis_message(patient_client)

    assert "Your clinic does not see this answer" in message
    assert "alerted and will contact you" not in message


def test_a_very_high_reading_says_the_clinic_was_alerted_with_consent(
    patient, patient_client, clinic
):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])

    assert "Your clinic (Riverside Clinic) has been alerted" in reading_message(
        patient_client, 190, 125
    )


def test_a_very_high_reading_no_longer_says_the_clinic_was_alerted_once_sharing_stops(
    patient, patient_client, clinic
):
    connection = care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])
    reading_message(patient_client, 190, 125)
    care.withdraw(connection=connection)

    reading = patient.bloodpressurereading_set.get()
    page = patient_client.get(f"/journal/blood-pressure/{reading.pk}/").content.decode()

    assert "Your clinic does not see this reading" in alert_texts(page)[0]
    assert "has been alerted" not in page


def test_a_very_high_reading_says_the_clinic_does_not_see_it_without_consent(patient_client):
    assert "Your clinic does not see this reading" in reading_message(patient_client, 190, 125)


# --- The clinic's thresholds --------------------------------------------------------------------


def test_a_lower_urgent_threshold_in_the_settings_makes_a_reading_urgent(patient_client):
    SafetySettings.objects.create(urgent_systolic=170, urgent_diastolic=110)

    assert "If it is still 170/110 or higher" in reading_message(patient_client, 172, 80)


def test_a_lower_pre_infusion_threshold_in_the_settings_flags_a_reading(patient_client):
    SafetySettings.objects.create(pre_infusion_systolic=130, pre_infusion_diastolic=85)

    message = reading_message(patient_client, 135, 80, context="before_infusion")

    assert "This reading before an infusion is above 130/85." in message


def test_the_settings_refuse_a_threshold_no_monitor_would_show(db):
    settings = SafetySettings(urgent_systolic=400)

    with pytest.raises(ValidationError, match="top number between"):
        settings.full_clean()


def test_the_safety_settings_open_from_the_admin_list_as_one_row(client, db):
    sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/journal/safetysettings/", follow=True)

    assert response.context["original"] == SafetySettings.objects.get()


# --- What the messages say ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "symptom",
    ["chest pain", "back pain", "shortness of breath", "numbness or weakness",
     "change in your vision", "difficulty speaking"],
)  # fmt: skip
def test_the_urgent_message_lists_the_heart_associations_symptoms(symptom):
    assert symptom in safety.URGENT.text


def test_the_pre_infusion_rule_is_shown_as_the_clinics_protocol_with_its_source(patient_client):
    message = reading_message(patient_client, 145, 80, context="before_infusion")

    assert "Your clinic's protocol" in message
    assert "Source: the esketamine (Spravato) prescribing information" in message


def test_crisis_resources_offer_988_chat_and_canadas_9_8_8(patient_client):
    message = crisis_message(patient_client)

    assert "chat at 988lifeline.org" in message
    assert "In Canada, call or text 9-8-8" in message


def test_crisis_lines_of_other_countries_come_from_the_clinics_settings(patient_client):
    SafetySettings.objects.create(other_crisis_lines="UK and Ireland: Samaritans, 116 123\n")

    assert "UK and Ireland: Samaritans, 116 123" in crisis_message(patient_client)


# --- PHQ-9 item 10 ------------------------------------------------------------------------------


def test_phq9_item_10_is_stored_and_not_scored(patient_client):
    patient_client.post(
        "/journal/questionnaires/new/phq9/", {**PHQ9_ITEM_9_AT_1, "difficulty": "3"}
    )

    response = QuestionnaireResponse.objects.get()
    assert (response.difficulty, response.score) == (3, 1)


def test_phq9_item_10_may_be_left_unanswered(patient_client):
    patient_client.post("/journal/questionnaires/new/phq9/", PHQ9_ITEM_9_AT_1)

    assert QuestionnaireResponse.objects.get().difficulty is None


def test_phq9_item_10_is_shown_with_the_answers(patient, patient_client):
    response = QuestionnaireResponseFactory(user=patient, difficulty=1)

    text = visible_text(patient_client.get(response.get_absolute_url()).content.decode())

    assert "get along with other people? (not scored) Somewhat difficult" in text


def test_gad7_does_not_ask_the_difficulty_question(patient_client):
    text = visible_text(patient_client.get("/journal/questionnaires/new/gad7/").content.decode())

    assert "how difficult have these problems made it" not in text


def test_staff_without_the_permission_are_refused_the_safety_settings_and_nothing_is_made(
    client, db
):
    sign_in_staff(client, UserFactory(is_staff=True))

    response = client.get("/admin/journal/safetysettings/")

    assert response.status_code == 403
    assert not SafetySettings.objects.exists()


# --- An infusion's own readings -------------------------------------------------------------------


def test_a_very_high_reading_after_an_infusion_gets_the_crisis_message(patient, client):
    client.force_login(patient)
    infusion = InfusionSessionFactory(user=patient, systolic_after=190, diastolic_after=125)

    (message,) = alert_texts(client.get(infusion.get_absolute_url()).content.decode())

    assert "This reading is very high." in message
    assert "Your clinic does not see this reading" in message


def test_a_high_reading_before_an_infusion_is_flagged_as_before_dosing(patient, client):
    client.force_login(patient)
    infusion = InfusionSessionFactory(user=patient, systolic_before=150, diastolic_before=85)

    (message,) = alert_texts(client.get(infusion.get_absolute_url()).content.decode())

    assert "This reading before an infusion is above 140/90." in message


def test_an_infusion_with_ordinary_readings_shows_no_safety_message(patient, client):
    client.force_login(patient)
    infusion = InfusionSessionFactory(
        user=patient,
        systolic_before=125,
        diastolic_before=80,
        systolic_after=130,
        diastolic_after=85,
    )

    assert alert_texts(client.get(infusion.get_absolute_url()).content.decode()) == []
