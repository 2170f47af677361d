"""Safety escalation with consent (issue 18, point 4): who is alerted, the e-mail, the clinician's
pages and acknowledgement, and a 404 wherever consent or the clinic is missing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journal import tasks
from journal.care import alerts
from journal.care import rules as care
from journal.models import AccountPreferences, AlertKind, CareAccess, Clinic, SafetyAlert
from tests.factories import BloodPressureReadingFactory, UserFactory
from tests.helpers import cache_control, sign_in_staff, visible_text

ITEM_9_AT_1 = {f"item_{number}": "1" if number == 9 else "0" for number in range(1, 10)}


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(name="Riverside Clinic", invitation_code="RIVER234")


def clinician_of(clinic, **fields):
    user = UserFactory(
        is_staff=True, email=f"{clinic.invitation_code.lower()}@example.com", **fields
    )
    user.groups.add(care.ensure_clinicians_group())
    clinic.clinicians.add(user)
    return user


@pytest.fixture
def clinician(clinic):
    return clinician_of(clinic)


@pytest.fixture
def consenting(patient, clinic):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["summary", "alerts"])
    return patient


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def alert(consenting, clinic):
    reading = BloodPressureReadingFactory(user=consenting, systolic=190, diastolic=125)
    return SafetyAlert.objects.create(
        patient=consenting, clinic=clinic, kind=AlertKind.BP_CRISIS, reading=reading
    )


def test_a_phq9_with_item_9_above_0_alerts_a_clinic_the_patient_lets_see_alerts(
    consenting, patient_client, clinic
):
    patient_client.post("/journal/questionnaires/new/phq9/", ITEM_9_AT_1)

    assert SafetyAlert.objects.get().kind == AlertKind.PHQ9_ITEM9


def test_no_alert_is_raised_without_consent_to_alerts(patient, patient_client, clinic):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["summary", "questionnaires"])

    patient_client.post("/journal/questionnaires/new/phq9/", ITEM_9_AT_1)

    assert not SafetyAlert.objects.exists()


def test_no_alert_is_raised_after_the_patient_withdraws(patient, patient_client, clinic):
    connection = care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])
    care.withdraw(connection=connection)

    patient_client.post("/journal/questionnaires/new/phq9/", ITEM_9_AT_1)

    assert not SafetyAlert.objects.exists()


def test_a_crisis_range_reading_sent_through_the_api_alerts_the_clinic(consenting, clinic):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=consenting).key}")

    api.post("/api/v1/journal/blood-pressure/", {"systolic": 185, "diastolic": 100}, format="json")

    assert SafetyAlert.objects.get().kind == AlertKind.BP_CRISIS


def test_a_reading_below_the_crisis_range_raises_no_alert(consenting, patient_client):
    patient_client.post(
        "/journal/blood-pressure/new/",
        {"measured_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "systolic": 179,
         "diastolic": 119, "context": "home"},
    )  # fmt: skip

    assert not SafetyAlert.objects.exists()


def test_saving_an_alerted_reading_again_raises_no_second_alert(consenting, clinic):
    reading = BloodPressureReadingFactory(user=consenting, systolic=190, diastolic=125)
    alerts.raise_alerts(record=reading)

    alerts.raise_alerts(record=reading)

    assert SafetyAlert.objects.count() == 1


def test_the_clinics_clinicians_get_one_email_with_a_link_and_no_health_data(
    consenting, clinician, django_capture_on_commit_callbacks
):
    reading = BloodPressureReadingFactory(user=consenting, systolic=190, diastolic=125)
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = alerts.raise_alerts(record=reading)

    (message,) = mail.outbox
    text = f"{message.subject} {message.body} {message.alternatives[0][0]}"
    assert (message.subject, message.to) == ("A patient needs a safety check-in", [clinician.email])
    assert f"/clinic/alerts/{alert.pk}/" in message.body
    assert not any(data in text for data in ["190", "125", "PHQ", consenting.username, "pressure"])


def test_an_alert_task_run_twice_sends_one_email(alert, clinician):
    alerts.send_alert_email.enqueue(alert_id=alert.pk)
    alerts.send_alert_email.enqueue(alert_id=alert.pk)

    assert len(mail.outbox) == 1


def test_a_clinician_sees_the_open_alerts_of_their_clinic(client, alert, clinician):
    sign_in_staff(client, clinician)

    response = client.get("/clinic/alerts/")

    assert list(response.context["alerts"]) == [alert]


def test_the_alert_list_leaves_out_another_clinics_alerts(client, alert):
    other = clinician_of(Clinic.objects.create(name="Hillside", invitation_code="HILL2345"))
    sign_in_staff(client, other)

    response = client.get("/clinic/alerts/")

    assert list(response.context["alerts"]) == []


def test_a_clinician_acknowledges_an_alert_with_a_note(client, alert, clinician):
    sign_in_staff(client, clinician)

    client.post(f"/clinic/alerts/{alert.pk}/", {"note": "Called her; safety plan reviewed."})

    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.note) == (clinician, "Called her; safety plan reviewed.")


def test_an_acknowledgement_without_a_note_is_refused(client, alert, clinician):
    sign_in_staff(client, clinician)

    client.post(f"/clinic/alerts/{alert.pk}/", {"note": " "})

    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_refused_acknowledgement_answers_400_as_the_clinics_other_forms_do(
    client, alert, clinician
):
    sign_in_staff(client, clinician)
    assert client.post(f"/clinic/alerts/{alert.pk}/", {"note": " "}).status_code == 400


def test_another_clinics_clinician_gets_a_404_for_the_alert(client, alert):
    other = clinician_of(Clinic.objects.create(name="Hillside", invitation_code="HILL2345"))
    sign_in_staff(client, other)

    assert client.get(f"/clinic/alerts/{alert.pk}/").status_code == 404


def test_an_alert_answers_404_once_the_patient_withdraws(client, alert, clinician, consenting):
    care.withdraw(connection=consenting.care_connections.get())
    sign_in_staff(client, clinician)

    assert client.get(f"/clinic/alerts/{alert.pk}/").status_code == 404


def test_an_alert_answers_404_once_the_patient_stops_sharing_alerts(client, alert, clinician):
    care.change_consent(connection=alert.patient.care_connections.get(), scopes=["summary"])
    sign_in_staff(client, clinician)

    assert client.get(f"/clinic/alerts/{alert.pk}/").status_code == 404


def test_staff_outside_the_clinicians_group_get_a_404_for_the_alert_list(client, clinic):
    staff = UserFactory(is_staff=True)
    clinic.clinicians.add(staff)
    sign_in_staff(client, staff)

    assert client.get("/clinic/alerts/").status_code == 404


def test_opening_an_alert_is_in_the_patients_access_log(client, alert, clinician):
    sign_in_staff(client, clinician)

    client.get(f"/clinic/alerts/{alert.pk}/")

    assert CareAccess.objects.get(patient=alert.patient).what == "safety alert"


def test_an_alert_page_is_kept_by_no_browser_or_proxy(client, alert, clinician):
    sign_in_staff(client, clinician)

    response = client.get(f"/clinic/alerts/{alert.pk}/")

    assert {"private", "no-store"} <= cache_control(response)


def test_an_alert_page_shows_its_times_in_the_patients_zone(client, alert, clinician):
    AccountPreferences.objects.create(user=alert.patient, time_zone="Asia/Tokyo")
    SafetyAlert.objects.filter(pk=alert.pk).update(
        created=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    sign_in_staff(client, clinician)

    text = visible_text(client.get(f"/clinic/alerts/{alert.pk}/").content.decode())

    assert "2 March 2026, 08:30" in text
    assert "the patient's local ones (Asia/Tokyo)" in text


def test_the_alert_list_names_the_zone_of_its_times(client, alert, clinician):
    sign_in_staff(client, clinician)

    text = visible_text(client.get("/clinic/alerts/").content.decode())

    assert f"{timezone.localtime(alert.created):%H:%M} UTC" in text


def test_the_demo_patient_gets_an_open_alert_when_the_demo_clinic_sees_alerts(db):
    demo_clinic = Clinic.objects.create(name="Demo Clinic", invitation_code="DEMO2345")
    patient = UserFactory(username="patient")
    care.connect(user=patient, invitation_code=demo_clinic.invitation_code, scopes=["alerts"])

    call_command("create_demo_accounts", stdout=io.StringIO())

    assert SafetyAlert.objects.filter(clinic=demo_clinic, acknowledged_at=None).count() == 1


# The queue out of reach (Redis down): the patient's reading is answered, the e-mail goes later


def queue_out_of_reach(*args, **kwargs):
    raise ConnectionError("Redis is out of reach")


def test_an_urgent_reading_is_saved_and_answered_while_the_queue_is_out_of_reach(
    consenting, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(ImmediateBackend, "enqueue", queue_out_of_reach)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=consenting).key}")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/journal/blood-pressure/", {"systolic": 200, "diastolic": 125}, format="json"
        )

    assert response.status_code == 201
    assert SafetyAlert.objects.filter(patient=consenting, emailed_at__isnull=True).count() == 1


def test_the_scheduler_queues_again_an_alert_not_e_mailed_after_ten_minutes(
    alert, clinician, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_unsent_alerts(now=alert.created + datetime.timedelta(minutes=11))

    alert.refresh_from_db()
    assert alert.emailed_at is not None
    assert len(mail.outbox) == 1


def test_the_scheduler_leaves_a_fresh_alert_to_the_queue(
    alert, clinician, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_unsent_alerts(now=alert.created + datetime.timedelta(minutes=5))

    assert mail.outbox == []


def test_the_scheduler_gives_up_on_an_alert_after_a_day(
    alert, clinician, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_unsent_alerts(now=alert.created + datetime.timedelta(days=2))

    assert mail.outbox == []
