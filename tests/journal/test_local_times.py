"""Each patient has a time zone (chosen at sign-up, changed in account settings, the clinic's by
default) and sees and types readings, appointments and calendar files in it."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journal.accounts import account_time_zone_set, time_zone_choices
from journal.models import AccountPreferences, BloodPressureReading
from journal.prep import sharing
from lib.timezones import SESSION_KEY
from tests.factories import BloodPressureReadingFactory, ChecklistFactory, UserFactory
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

LOS_ANGELES = "America/Los_Angeles"
PASSWORD = "a-long-test-password"  # what UserFactory sets
# 06:30 UTC on 2 June is 23:30 on 1 June in Los Angeles (summer time, UTC-7).
LATE_EVENING_IN_LOS_ANGELES = datetime.datetime(2026, 6, 2, 6, 30, tzinfo=datetime.UTC)

# Serving a cached dashboard: the session, the patient, their journal revision.
CACHED_PAGE_QUERIES = 3


@pytest.fixture(autouse=True)
def clinic_in_utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def angeleno(db):
    """A patient who chose Los Angeles as their zone."""
    user = UserFactory()
    account_time_zone_set(user=user, time_zone=LOS_ANGELES)
    return user


@pytest.fixture
def signed_in(client, angeleno):
    client.force_login(angeleno)
    return client


def text_of(response):
    assert response.status_code == 200
    return visible_text(response.content.decode())


def selected_time_zone(response):
    return response.context["form"]["time_zone"].value()


# The preference


def test_a_patient_who_never_chose_has_the_clinics_time_zone(patient, settings):
    settings.TIME_ZONE = "Europe/Paris"

    assert AccountPreferences.time_zone_of(patient) == "Europe/Paris"


def test_a_time_zone_the_database_does_not_know_is_refused(patient):
    with pytest.raises(ValidationError):
        account_time_zone_set(user=patient, time_zone="Mars/Olympus_Mons")


def test_a_known_time_zone_is_saved(patient):
    account_time_zone_set(user=patient, time_zone="Asia/Tokyo")

    assert AccountPreferences.time_zone_of(patient) == "Asia/Tokyo"


def test_choosing_again_keeps_one_row_of_preferences(patient):
    account_time_zone_set(user=patient, time_zone="Asia/Tokyo")
    account_time_zone_set(user=patient, time_zone="Europe/Lisbon")

    assert AccountPreferences.objects.filter(user=patient).count() == 1


def test_the_list_of_zones_is_grouped_by_region_and_ordered_by_place():
    groups = dict(choice for choice in time_zone_choices() if isinstance(choice[1], list))

    europe = [value for value, _ in groups["Europe"]]
    assert europe.index("Europe/Amsterdam") < europe.index("Europe/Zurich")


def test_the_list_names_each_place_without_underscores():
    groups = dict(choice for choice in time_zone_choices() if isinstance(choice[1], list))

    assert ("America/New_York", "New York") in groups["America"]


def test_the_list_offers_the_clinics_zone_even_outside_the_regions(settings):
    settings.TIME_ZONE = "US/Eastern"

    assert ("US/Eastern", "US/Eastern") in time_zone_choices()


# Activation, per request


def test_a_reading_saved_at_2330_in_los_angeles_shows_that_local_time(signed_in, angeleno):
    reading = BloodPressureReadingFactory(user=angeleno, measured_at=LATE_EVENING_IN_LOS_ANGELES)

    text = text_of(signed_in.get(reading.get_absolute_url()))

    assert "01 Jun 2026 23:30" in text


def test_a_reading_shows_its_local_time_in_the_details_too(signed_in, angeleno):
    reading = BloodPressureReadingFactory(user=angeleno, measured_at=LATE_EVENING_IN_LOS_ANGELES)

    text = text_of(signed_in.get(reading.get_absolute_url()))

    assert "June 1, 2026, 11:30 p.m." in text


def test_the_reading_form_offers_its_local_time_for_editing(signed_in, angeleno):
    reading = BloodPressureReadingFactory(user=angeleno, measured_at=LATE_EVENING_IN_LOS_ANGELES)

    response = signed_in.get(f"/journal/blood-pressure/{reading.pk}/edit/")

    assert 'value="2026-06-01T23:30"' in response.content.decode()


def test_the_reading_form_says_which_zone_its_time_is_in(signed_in):
    text = text_of(signed_in.get("/journal/blood-pressure/new/"))

    assert f"Your local time ({LOS_ANGELES})" in text


def test_a_time_typed_in_the_form_is_read_in_the_patients_zone(signed_in, angeleno):
    signed_in.post(
        "/journal/blood-pressure/new/",
        {"measured_at": "2026-06-01T23:30", "systolic": 120, "diastolic": 80, "context": "home"},
    )

    reading = BloodPressureReading.objects.get(user=angeleno)
    assert reading.measured_at == LATE_EVENING_IN_LOS_ANGELES


def test_logging_in_puts_the_patients_zone_in_the_session(client, angeleno):
    client.post("/accounts/login/", {"username": angeleno.username, "password": PASSWORD})

    assert client.session[SESSION_KEY] == LOS_ANGELES


def test_the_zone_of_one_request_does_not_stay_active_after_it(signed_in):
    signed_in.get("/accounts/settings/")

    assert timezone.get_current_timezone_name() == "UTC"


def test_a_zone_the_database_no_longer_knows_falls_back_to_the_clinics(signed_in, angeleno):
    reading = BloodPressureReadingFactory(user=angeleno, measured_at=LATE_EVENING_IN_LOS_ANGELES)
    session = signed_in.session
    session[SESSION_KEY] = "Gone/Away"
    session.save()

    text = text_of(signed_in.get(reading.get_absolute_url()))

    assert "02 Jun 2026 06:30" in text


def test_an_api_client_with_a_token_gets_times_in_the_patients_zone(angeleno):
    BloodPressureReadingFactory(user=angeleno, measured_at=LATE_EVENING_IN_LOS_ANGELES)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=angeleno).key}")

    response = api.get("/api/v1/journal/blood-pressure/")

    assert response.json()["results"][0]["measured_at"] == "2026-06-01T23:30:00-07:00"


def post_reading_at(patient, measured_at):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=patient).key}")
    reading = {"measured_at": measured_at, "systolic": 120, "diastolic": 80, "context": "home"}
    return api.post("/api/v1/journal/blood-pressure/", reading, format="json")


def test_the_api_refuses_a_local_time_the_clocks_skipped_beside_the_field(angeleno):
    """Los Angeles went from 02:00 to 03:00 on 8 March 2026: 02:30 never happened there."""
    response = post_reading_at(angeleno, "2026-03-08T02:30:00")
    assert (response.status_code, "the clocks skipped it" in response.json()["measured_at"][0]) == (
        400,
        True,
    )


def test_the_api_takes_a_local_time_on_the_day_the_clocks_change(angeleno):
    response = post_reading_at(angeleno, "2026-03-08T03:30:00")
    assert response.json()["measured_at"] == "2026-03-08T03:30:00-07:00"


def test_the_api_schema_says_times_are_in_the_patients_zone(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    field = schema["components"]["schemas"]["BloodPressureReading"]["properties"]["measured_at"]
    assert "patient's time zone" in field["description"]


# The signed-in page cache


def test_a_cached_dashboard_is_rebuilt_at_the_patients_local_midnight(
    client, angeleno, time_machine
):
    time_machine.move_to(LATE_EVENING_IN_LOS_ANGELES, tick=False)
    client.force_login(angeleno)
    client.get("/journal/")
    time_machine.move_to(LATE_EVENING_IN_LOS_ANGELES + datetime.timedelta(hours=1), tick=False)

    with CaptureQueriesContext(connection) as queries:
        client.get("/journal/")

    assert len(queries) > CACHED_PAGE_QUERIES


def test_a_cached_dashboard_is_rebuilt_after_the_zone_changes(signed_in):
    signed_in.get("/journal/")
    signed_in.post("/accounts/settings/", {"email": "", "time_zone": "Asia/Tokyo"})

    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/journal/")

    assert len(queries) > CACHED_PAGE_QUERIES


# Sign-up


def sign_up(client, **fields):
    return client.post(
        "/accounts/signup/",
        {
            "username": "sam",
            "password1": "Sleepy-tortoise-42",
            "password2": "Sleepy-tortoise-42",
            **fields,
        },
    )


def test_sign_up_preselects_the_clinics_zone(client, settings):
    settings.TIME_ZONE = "Europe/Paris"

    assert selected_time_zone(client.get("/accounts/signup/")) == "Europe/Paris"


def test_sign_up_loads_the_zone_detection_script_deferred(client):
    html = client.get("/accounts/signup/").content.decode()

    assert '<script src="/static/js/timezone.js" defer></script>' in html


def test_sign_up_with_a_zone_saves_it(client):
    sign_up(client, time_zone="America/New_York")

    patient = AccountPreferences.objects.get().user
    assert AccountPreferences.time_zone_of(patient) == "America/New_York"


def test_sign_up_with_a_zone_shows_the_first_pages_in_it(client):
    sign_up(client, time_zone="America/New_York")

    assert client.session[SESSION_KEY] == "America/New_York"


def test_sign_up_without_a_zone_takes_the_clinics(client, settings):
    settings.TIME_ZONE = "Europe/Paris"

    sign_up(client)

    assert AccountPreferences.objects.get().time_zone == "Europe/Paris"


def test_sign_up_with_an_unknown_zone_is_refused_beside_the_field(client):
    response = sign_up(client, time_zone="Mars/Olympus_Mons")

    assert response.context["form"].errors["time_zone"]


def test_a_sign_up_form_sent_back_keeps_the_chosen_zone_without_detection(client):
    response = sign_up(client, time_zone="Asia/Tokyo", password2="something-else-entirely")

    assert "data-detect-time-zone" not in response.content.decode()


# Account settings


def test_account_settings_preselect_the_patients_zone(signed_in):
    assert selected_time_zone(signed_in.get("/accounts/settings/")) == LOS_ANGELES


def test_changing_the_zone_in_account_settings_saves_it(signed_in, angeleno):
    signed_in.post("/accounts/settings/", {"email": "", "time_zone": "Asia/Tokyo"})

    assert AccountPreferences.time_zone_of(angeleno) == "Asia/Tokyo"


def test_changing_the_zone_in_account_settings_shows_the_next_page_in_it(signed_in, angeleno):
    reading = BloodPressureReadingFactory(user=angeleno, measured_at=LATE_EVENING_IN_LOS_ANGELES)

    signed_in.post("/accounts/settings/", {"email": "", "time_zone": "Asia/Tokyo"})

    assert "02 Jun 2026 15:30" in text_of(signed_in.get(reading.get_absolute_url()))


def test_account_settings_sent_without_a_zone_keep_the_patients(signed_in, angeleno):
    signed_in.post("/accounts/settings/", {"email": "sam@example.org"})

    assert AccountPreferences.time_zone_of(angeleno) == LOS_ANGELES


# The calendar file


def appointment_calendar(client, checklist):
    response = client.get(f"/checklists/{checklist.pk}/appointment.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


@pytest.fixture
def timed_appointment(angeleno):
    return ChecklistFactory(
        user=angeleno,
        appointment_date=datetime.date(2026, 12, 3),
        appointment_time=datetime.time(9, 30),
    )


def test_the_calendar_starts_at_the_typed_time_in_the_patients_zone(signed_in, timed_appointment):
    event = appointment_calendar(signed_in, timed_appointment).walk("VEVENT")[0]

    assert event["DTSTART"].dt == datetime.datetime(
        2026, 12, 3, 9, 30, tzinfo=zoneinfo.ZoneInfo(LOS_ANGELES)
    )


def test_the_calendar_start_carries_the_patients_tzid(signed_in, timed_appointment):
    event = appointment_calendar(signed_in, timed_appointment).walk("VEVENT")[0]

    assert event["DTSTART"].params["TZID"] == LOS_ANGELES


def test_the_calendar_describes_the_patients_zone(signed_in, timed_appointment):
    calendar = appointment_calendar(signed_in, timed_appointment)

    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == [LOS_ANGELES]


def test_the_calendar_reminds_a_day_and_two_hours_before(signed_in, timed_appointment):
    event = appointment_calendar(signed_in, timed_appointment).walk("VEVENT")[0]

    triggers = [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")]
    assert triggers == [datetime.timedelta(days=-1), datetime.timedelta(hours=-2)]


def test_the_calendar_reminders_are_displayed(signed_in, timed_appointment):
    event = appointment_calendar(signed_in, timed_appointment).walk("VEVENT")[0]

    assert [str(alarm["ACTION"]) for alarm in event.walk("VALARM")] == ["DISPLAY", "DISPLAY"]


def test_an_appointment_without_a_time_is_an_all_day_event(signed_in, angeleno):
    checklist = ChecklistFactory(user=angeleno, appointment_date=datetime.date(2026, 12, 3))

    event = appointment_calendar(signed_in, checklist).walk("VEVENT")[0]

    assert event["DTSTART"].dt == datetime.date(2026, 12, 3)


def test_an_all_day_appointment_reminds_the_morning_before_and_the_morning_of(signed_in, angeleno):
    checklist = ChecklistFactory(user=angeleno, appointment_date=datetime.date(2026, 12, 3))

    event = appointment_calendar(signed_in, checklist).walk("VEVENT")[0]

    triggers = [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")]
    assert triggers == [datetime.timedelta(hours=-15), datetime.timedelta(hours=8)]


def test_the_calendar_of_a_patient_who_never_chose_is_in_the_clinics_zone(
    client, patient, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    checklist = ChecklistFactory(
        user=patient, appointment_date=datetime.date(2026, 12, 3), appointment_time=datetime.time(9)
    )
    client.force_login(patient)

    event = appointment_calendar(client, checklist).walk("VEVENT")[0]

    assert event["DTSTART"].params["TZID"] == "Europe/Paris"


def test_the_default_zone_is_read_from_the_settings_when_a_row_is_made(patient, settings):
    settings.TIME_ZONE = "Asia/Tokyo"

    assert AccountPreferences(user=patient).time_zone == "Asia/Tokyo"


def test_a_shared_sheet_shows_the_patients_local_times_to_a_reader_signed_out(client, angeleno):
    yesterday = timezone.now().date() - datetime.timedelta(days=1)
    measured = datetime.datetime.combine(yesterday, datetime.time(6, 30), tzinfo=datetime.UTC)
    BloodPressureReadingFactory(user=angeleno, measured_at=measured, systolic=190, diastolic=125)
    link = sharing.create_share_link(ChecklistFactory(user=angeleno))

    text = text_of(client.get(sharing.share_path(link)))

    local = measured.astimezone(zoneinfo.ZoneInfo(LOS_ANGELES))
    assert f"190/125 mmHg, {local:%d %b %Y %H:%M}" in text


def test_an_export_gives_times_in_the_patients_zone_with_its_offset(signed_in, angeleno):
    BloodPressureReadingFactory(user=angeleno, measured_at=LATE_EVENING_IN_LOS_ANGELES)

    response = signed_in.get("/journal/export/blood-pressure.csv")

    assert "2026-06-01T23:30:00-07:00" in response.content.decode("utf-8-sig")


def test_the_settings_page_says_appointments_keep_their_clock_time_when_the_zone_changes(
    signed_in,
):
    text = text_of(signed_in.get("/accounts/settings/"))

    assert "an appointment keeps the clock time you typed, so check it after a change" in text
