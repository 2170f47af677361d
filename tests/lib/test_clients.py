"""The client's address (lib/clients.py): sign-in lockouts and the API's rate limits count by
it; behind TRUSTED_PROXIES balancers it is the address the balancer saw, and never what a client
writes in X-Forwarded-For itself."""

import pytest
from axes.utils import reset as reset_axes
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # what UserFactory sets
BALANCER = "10.0.0.2"
FAQS = "/api/v1/faqs/"


@pytest.fixture(autouse=True)
def no_failed_logins(settings):
    settings.AXES_FAILURE_LIMIT = 5
    reset_axes()
    yield
    reset_axes()


@pytest.fixture
def behind_one_balancer(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


@pytest.fixture
def two_a_minute(settings):
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "100/minute"}


def through_the_balancer(forwarded_for):
    return Client(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded_for)


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def five_wrong_passwords(username, forwarded_for):
    for attempt in range(5):
        log_in(through_the_balancer(forwarded_for(attempt)), username, "wrong-guess")


def test_behind_a_balancer_one_clients_wrong_passwords_leave_another_client_free(
    behind_one_balancer,
):
    patient = UserFactory()
    five_wrong_passwords(patient.username, lambda attempt: "203.0.113.5")

    response = log_in(through_the_balancer("198.51.100.9"), patient.username, PASSWORD)

    assert response["Location"] == "/journal/"


def test_behind_a_balancer_a_client_writing_its_own_forwarded_for_is_still_locked_out(
    behind_one_balancer,
):
    patient = UserFactory()
    five_wrong_passwords(patient.username, lambda attempt: f"192.0.2.{attempt}, 203.0.113.5")

    response = log_in(through_the_balancer("192.0.2.99, 203.0.113.5"), patient.username, PASSWORD)

    assert "Too many login attempts" in response.content.decode()


def test_without_a_balancer_a_forwarded_for_header_does_not_dodge_the_lockout():
    patient = UserFactory()
    five_wrong_passwords(patient.username, lambda attempt: f"192.0.2.{attempt}")

    response = log_in(through_the_balancer("192.0.2.99"), patient.username, PASSWORD)

    assert "Too many login attempts" in response.content.decode()


def test_without_a_balancer_a_forwarded_for_header_does_not_dodge_the_api_rate(two_a_minute):
    statuses = [
        APIClient(HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").get(FAQS).status_code for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_behind_a_balancer_each_client_has_its_own_api_rate(behind_one_balancer, two_a_minute):
    first = APIClient(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(2):
        first.get(FAQS)

    response = APIClient(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.9").get(FAQS)

    assert response.status_code == 200
