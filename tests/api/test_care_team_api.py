"""The care team over the API: the consent page's rules for the authenticated patient's own
connections; another patient's connection does not exist for them."""

import pytest
from rest_framework.test import APIClient

from journal.care import rules as care
from journal.models import CareConnection, ConsentChange
from tests.factories import ClinicFactory, UserFactory
from tests.helpers import cache_control

API = "/api/v1/care-team"


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Riverside Clinic", invitation_code="RIVR2345")


@pytest.fixture
def api(patient):
    client = APIClient()
    client.force_login(patient)
    return client


@pytest.fixture
def other_api(db):
    client = APIClient()
    client.force_login(UserFactory())
    return client


@pytest.fixture
def connection(patient, clinic):
    return care.connect(user=patient, invitation_code="RIVR2345", scopes=["summary"])


def test_a_patient_connects_with_the_code_from_their_clinic(api, patient, clinic):
    response = api.post(
        f"{API}/connect/", {"invitation_code": "RIVR2345", "scopes": ["alerts"]}, format="json"
    )

    assert response.status_code == 201
    assert CareConnection.objects.get(user=patient).scopes == ["alerts"]


def test_a_connection_without_scopes_shares_nothing(api, patient, clinic):
    api.post(f"{API}/connect/", {"invitation_code": "RIVR2345"}, format="json")

    assert CareConnection.objects.get(user=patient).scopes == []


def test_a_code_no_clinic_has_is_refused_at_its_field(api, clinic):
    response = api.post(f"{API}/connect/", {"invitation_code": "NOPE2345"}, format="json")

    assert (response.status_code, list(response.json())) == (400, ["invitation_code"])


def test_the_care_team_lists_what_each_clinic_may_see(api, connection):
    connections = api.get(f"{API}/").json()["connections"]

    assert [(each["clinic"], each["scopes"]) for each in connections] == [
        ("Riverside Clinic", ["summary"])
    ]


def test_a_change_of_scopes_takes_effect_at_once(api, connection):
    api.put(f"{API}/{connection.pk}/", {"scopes": ["journal"]}, format="json")

    connection.refresh_from_db()
    assert connection.scopes == ["journal"]


def test_a_change_is_listed_in_the_consent_history(api, connection):
    api.put(f"{API}/{connection.pk}/", {"scopes": ["journal"]}, format="json")

    history = api.get(f"{API}/").json()["consent_history"]
    assert [each["scopes"] for each in history] == [["journal"], ["summary"]]


def test_withdrawing_stops_the_sharing_at_once(api, connection):
    api.post(f"{API}/{connection.pk}/withdraw/")

    connection.refresh_from_db()
    assert (connection.withdrawn_at is not None, connection.scopes) == (True, [])


def test_a_withdrawal_is_listed_in_the_consent_history(api, connection):
    api.post(f"{API}/{connection.pk}/withdraw/")

    assert api.get(f"{API}/").json()["consent_history"][0]["withdrawn"] is True


def test_the_access_log_lists_who_saw_what(api, patient, connection):
    staff = UserFactory(first_name="Rita", last_name="Vega", is_staff=True)
    care.record_access(staff=staff, patient=patient, clinic=connection.clinic, what="Journal")

    log = api.get(f"{API}/").json()["access_log"]

    assert [(each["staff_name"], each["what"]) for each in log] == [("Rita Vega", "Journal")]


def test_another_patients_connection_is_not_found_for_a_change(other_api, connection):
    response = other_api.put(f"{API}/{connection.pk}/", {"scopes": ["journal"]}, format="json")

    assert response.status_code == 404


def test_another_patient_cannot_withdraw_the_owners_connection(other_api, connection):
    assert other_api.post(f"{API}/{connection.pk}/withdraw/").status_code == 404


def test_another_patient_sees_nothing_of_the_owners_care_team(other_api, connection):
    assert other_api.get(f"{API}/").json() == {
        "connections": [],
        "consent_history": [],
        "access_log": [],
    }


def test_a_withdrawn_connection_is_not_found_for_a_change(api, connection):
    care.withdraw(connection=connection)

    response = api.put(f"{API}/{connection.pk}/", {"scopes": ["journal"]}, format="json")

    assert (response.status_code, ConsentChange.objects.count()) == (404, 2)


def test_an_anonymous_client_must_authenticate(db):
    assert APIClient().get(f"{API}/").status_code == 401


def test_no_browser_or_proxy_may_keep_the_care_team_answer(api, connection):
    assert {"private", "no-store"} <= cache_control(api.get(f"{API}/"))
