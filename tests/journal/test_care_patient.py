"""The patient's consent page: connect to a clinic by code or link, choose what its care team
sees, change it, withdraw, and read the consent history and the access log."""

import datetime

import pytest
from django.urls import reverse

from journal.accounts import account_time_zone_set
from journal.care import rules as care
from journal.models import CareAccess, CareConnection, ConsentChange
from tests.factories import ClinicFactory, UserFactory
from tests.helpers import field_html, form_data, visible_text

PASSWORD = "a-long-test-password"  # what UserFactory sets
PAGE = "/journal/care-team/"
# 16:45 UTC on 3 March 2026 is 08:45 in Los Angeles (winter time, UTC-8).
MORNING_IN_LOS_ANGELES = datetime.datetime(2026, 3, 3, 16, 45, tzinfo=datetime.UTC)


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Riverside Clinic", invitation_code="RIVR2345")


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def connection(patient, clinic):
    return care.connect(user=patient, invitation_code=clinic.invitation_code, scopes=["summary"])


def text_of(response):
    assert response.status_code == 200
    return visible_text(response.content.decode())


def connect(client, code, *scopes):
    return client.post(PAGE, {"invitation_code": code, "scopes": list(scopes)})


def test_without_a_connection_the_page_says_no_one_at_a_clinic_sees_anything(signed_in):
    assert "No one at a clinic sees anything you record here." in text_of(signed_in.get(PAGE))


def test_a_patient_connects_with_the_code_from_their_clinic(signed_in, patient, clinic):
    connect(signed_in, "rivr-2345", "summary", "alerts")

    connection = CareConnection.objects.get(user=patient)
    assert (connection.clinic, connection.scopes) == (clinic, ["summary", "alerts"])


def test_nothing_is_ticked_on_the_connect_form(signed_in):
    data = form_data(signed_in.get(PAGE).content.decode(), "connect-form")

    assert "scopes" not in data


def test_each_scope_is_explained_in_plain_language(signed_in):
    text = text_of(signed_in.get(PAGE))

    assert "Your PHQ-9 and GAD-7 answers and scores." in text


def test_a_code_no_clinic_has_is_refused_beside_the_field(signed_in, clinic):
    html = connect(signed_in, "NOPE2345").content.decode()

    assert "No clinic has this code." in visible_text(field_html(html, "invitation_code"))


def test_a_refused_code_is_listed_in_the_error_summary(signed_in, clinic):
    html = connect(signed_in, "NOPE2345").content.decode()

    assert 'href="#id_invitation_code"' in html


def test_a_refused_code_keeps_what_was_typed(signed_in, clinic):
    html = connect(signed_in, "NOPE2345", "journal").content.decode()

    assert form_data(html, "connect-form")["invitation_code"] == "NOPE2345"


def test_a_refused_code_connects_nobody(signed_in, clinic):
    connect(signed_in, "NOPE2345")

    assert not CareConnection.objects.exists()


def test_the_clinics_link_fills_in_its_code(signed_in, clinic):
    html = signed_in.get(f"{PAGE}connect/RIVR2345/").content.decode()

    assert form_data(html, "connect-form")["invitation_code"] == "RIVR2345"


def test_opening_the_clinics_link_does_not_connect(signed_in, clinic):
    signed_in.get(f"{PAGE}connect/RIVR2345/")

    assert not CareConnection.objects.exists()


def test_confirming_the_clinics_link_connects(signed_in, patient, clinic):
    url = f"{PAGE}connect/RIVR2345/"
    data = {**form_data(signed_in.get(url).content.decode(), "connect-form"), "scopes": "alerts"}

    signed_in.post(url, data)

    assert CareConnection.objects.get(user=patient).scopes == ["alerts"]


def test_the_page_lists_what_the_connected_clinic_may_see(signed_in, connection):
    text = text_of(signed_in.get(PAGE))

    assert "Its care team may see: Visit summary and checklists" in text


def test_a_change_of_what_the_clinic_sees_takes_effect_at_once(signed_in, connection):
    signed_in.post(connection.get_absolute_url(), {"scopes": ["journal", "alerts"]})

    connection.refresh_from_db()
    assert connection.scopes == ["journal", "alerts"]


def test_the_change_page_ticks_what_the_clinic_sees_now(signed_in, connection):
    data = form_data(signed_in.get(connection.get_absolute_url()).content.decode(), "scopes-form")

    assert data["scopes"] == "summary"


def test_a_change_is_listed_in_the_consent_history(signed_in, connection):
    signed_in.post(connection.get_absolute_url(), {"scopes": ["questionnaires"]})

    history = text_of(signed_in.get(PAGE)).split("What you shared and when")[1]
    assert "Riverside Clinic Questionnaires (PHQ-9 and GAD-7)" in history


def test_the_withdrawal_page_asks_before_it_stops_the_sharing(signed_in, connection):
    signed_in.get(reverse("journal:care-team_withdraw", args=[connection.pk]))

    connection.refresh_from_db()
    assert connection.withdrawn_at is None


def test_withdrawing_stops_the_sharing_at_once(signed_in, connection):
    signed_in.post(reverse("journal:care-team_withdraw", args=[connection.pk]))

    connection.refresh_from_db()
    assert (connection.withdrawn_at is not None, connection.scopes) == (True, [])


def test_a_withdrawal_is_listed_in_the_consent_history(signed_in, connection):
    signed_in.post(reverse("journal:care-team_withdraw", args=[connection.pk]))

    assert "You stopped sharing: nothing" in text_of(signed_in.get(PAGE))


def test_a_withdrawn_clinic_is_no_longer_listed_as_seeing_anything(signed_in, connection):
    signed_in.post(reverse("journal:care-team_withdraw", args=[connection.pk]))

    assert "No one at a clinic sees anything you record here." in text_of(signed_in.get(PAGE))


def test_the_access_log_lists_who_saw_what_in_the_patients_time_zone(
    client, patient, connection, time_machine
):
    account_time_zone_set(user=patient, time_zone="America/Los_Angeles")
    client.force_login(patient)
    time_machine.move_to(MORNING_IN_LOS_ANGELES, tick=False)
    staff = UserFactory(first_name="Rita", last_name="Vega", is_staff=True)
    care.record_access(staff=staff, patient=patient, clinic=connection.clinic, what="Visit summary")

    text = text_of(client.get(PAGE))

    assert "3 Mar 2026, 08:45 Rita Vega Riverside Clinic Visit summary" in text


def test_another_patients_connection_is_not_found_on_the_change_page(client, connection):
    client.force_login(UserFactory())

    assert client.get(connection.get_absolute_url()).status_code == 404


def test_another_patient_cannot_withdraw_the_owners_connection(client, connection):
    client.force_login(UserFactory())

    client.post(reverse("journal:care-team_withdraw", args=[connection.pk]))

    connection.refresh_from_db()
    assert connection.withdrawn_at is None


def test_another_patient_does_not_see_the_owners_clinic(client, connection):
    client.force_login(UserFactory())

    assert "Riverside Clinic" not in text_of(client.get(PAGE))


def test_the_journal_menu_links_to_the_care_team_page(signed_in):
    assert f'href="{PAGE}"' in signed_in.get("/journal/").content.decode()


def test_my_account_links_to_the_care_team_page(signed_in):
    assert f'href="{PAGE}"' in signed_in.get("/accounts/settings/").content.decode()


@pytest.mark.parametrize("model", [CareConnection, ConsentChange, CareAccess])
def test_deleting_the_account_deletes_its_care_team_records(signed_in, patient, connection, model):
    care.record_access(staff=UserFactory(is_staff=True), patient=patient, clinic=None, what="x")

    signed_in.post("/accounts/delete/", {"password": PASSWORD})

    assert not model.objects.exists()
