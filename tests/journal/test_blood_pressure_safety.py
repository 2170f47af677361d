"""Blood-pressure safety messages: the thresholds, the page that shows them, and their wording."""

import datetime
import re

import pytest
from django.utils import timezone

from journal import safety
from journal.models import BloodPressureReading
from tests.factories import BloodPressureReadingFactory
from tests.helpers import alert_texts


def an_hour_ago():
    return timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


# --- The thresholds ---------------------------------------------------------------------------


@pytest.mark.django_db  # the thresholds are the clinic's settings (their defaults here)
@pytest.mark.parametrize(
    ("systolic", "diastolic", "before_infusion", "expected"),
    [
        pytest.param(179, 119, False, None, id="179/119 at home is just under urgent"),
        pytest.param(180, 80, False, safety.URGENT, id="a top number of 180 is urgent"),
        pytest.param(120, 120, False, safety.URGENT, id="a bottom number of 120 is urgent"),
        pytest.param(185, 122, False, safety.URGENT, id="185/122 is urgent"),
        pytest.param(150, 95, False, None, id="150/95 at home is not flagged"),
        pytest.param(141, 80, True, safety.FLAGGED_BEFORE_INFUSION, id="141/80 before infusion"),
        pytest.param(140, 90, True, None, id="exactly 140/90 before infusion is not above it"),
        pytest.param(120, 91, True, safety.FLAGGED_BEFORE_INFUSION, id="120/91 before infusion"),
        pytest.param(185, 122, True, safety.URGENT, id="urgent wins over flagged before infusion"),
        pytest.param(180, 80, True, safety.URGENT, id="180/80 before infusion is urgent"),
        pytest.param(70, 40, False, safety.LOW, id="70/40 is low"),
        pytest.param(89, 70, False, safety.LOW, id="a top number of 89 is low"),
        pytest.param(110, 59, False, safety.LOW, id="a bottom number of 59 is low"),
        pytest.param(90, 60, False, None, id="exactly 90/60 is not below it"),
        pytest.param(85, 55, True, safety.LOW, id="low before an infusion too"),
    ],
)
def test_a_reading_calls_for_the_message_of_its_threshold(
    systolic, diastolic, before_infusion, expected
):
    message = safety.assess(systolic=systolic, diastolic=diastolic, before_infusion=before_infusion)

    assert message == expected


# --- Through the site ---------------------------------------------------------------------------


def post_reading(client, systolic, diastolic, context="home"):
    return client.post(
        "/journal/blood-pressure/new/",
        {
            "measured_at": an_hour_ago(),
            "systolic": systolic,
            "diastolic": diastolic,
            "context": context,
        },
    )


def test_posting_a_very_high_reading_redirects_to_its_page(patient_client, patient):
    response = post_reading(patient_client, 185, 122)
    reading = BloodPressureReading.objects.get(user=patient)
    assert response.status_code == 302
    assert response["Location"] == reading.get_absolute_url()


@pytest.mark.parametrize(
    "advice",
    [
        "Sit quietly for 5 minutes, then measure again",
        "contact your provider now",
        "call your local emergency number",
    ],
)
def test_a_very_high_reading_page_gives_its_advice_in_an_alert(patient_client, advice):
    location = post_reading(patient_client, 185, 122)["Location"]
    alerts = alert_texts(patient_client.get(location).content.decode())
    assert any(advice.lower() in alert.lower() for alert in alerts)


def test_a_high_reading_before_an_infusion_page_says_it_is_above_140_90(patient_client, patient):
    reading = BloodPressureReadingFactory(
        user=patient, systolic=145, diastolic=85, context="before_infusion"
    )
    alerts = alert_texts(patient_client.get(reading.get_absolute_url()).content.decode())
    assert any("This reading before an infusion is above 140/90." in alert for alert in alerts)


@pytest.mark.parametrize(
    "advice",
    [
        "Sit or lie down, then measure again",
        "contact your clinic",
        "call your local emergency number if you faint or have chest pain",
    ],
)
def test_a_low_reading_page_gives_its_advice_in_an_alert(patient_client, advice):
    location = post_reading(patient_client, 70, 40)["Location"]
    alerts = alert_texts(patient_client.get(location).content.decode())
    assert any(advice.lower() in alert.lower() for alert in alerts)


def test_a_low_reading_is_marked_low_in_the_list(patient_client, patient):
    BloodPressureReadingFactory(user=patient, systolic=70, diastolic=40)

    html = patient_client.get("/journal/blood-pressure/").content.decode()

    assert '<span class="badge-flag">low</span>' in html


def test_a_normal_home_reading_page_shows_no_alert(patient_client, patient):
    reading = BloodPressureReadingFactory(user=patient, systolic=120, diastolic=80, context="home")
    html = patient_client.get(reading.get_absolute_url()).content.decode()
    assert 'role="alert"' not in html


# --- The wording never diagnoses ----------------------------------------------------------------


# "you have" is matched only where it is not the condition "if you have ...": the urgent advice
# says "call your local emergency number if you have chest pain", which asks about a symptom and
# diagnoses nothing. A statement such as "you have high blood pressure" is still caught.
DIAGNOSING = {
    "hypertensive crisis": re.compile(r"hypertensive crisis", re.IGNORECASE),
    "you have": re.compile(r"(?<!\bif )\byou have\b", re.IGNORECASE),
    "diagnos": re.compile(r"diagnos", re.IGNORECASE),
}


@pytest.mark.parametrize(
    "message",
    [safety.URGENT, safety.LOW, safety.FLAGGED_BEFORE_INFUSION],
    ids=["urgent", "low", "flagged"],
)
@pytest.mark.parametrize("words", DIAGNOSING)
def test_a_safety_message_does_not_diagnose(message, words):
    assert not DIAGNOSING[words].search(f"{message.title} {message.text}")


# --- Safety first on the page -------------------------------------------------------------------


def page_after_posting(client, systolic, diastolic):
    location = post_reading(client, systolic, diastolic)["Location"]
    return client.get(location).content.decode()


def test_a_very_high_reading_is_shown_before_the_saved_notice(patient_client):
    html = page_after_posting(patient_client, 185, 122)

    assert html.index('class="safety safety-urgent"') < html.index('class="messages"')


def test_a_very_high_reading_is_shown_before_the_journal_navigation(patient_client):
    html = page_after_posting(patient_client, 185, 122)

    assert html.index('class="safety safety-urgent"') < html.index('class="journal-nav"')


def test_a_very_high_reading_alert_takes_the_focus(patient_client):
    html = page_after_posting(patient_client, 185, 122)

    assert re.search(
        r'<div class="safety safety-urgent" role="alert" tabindex="-1" autofocus>', html
    )
