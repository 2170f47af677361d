"""The load balancer's health check tells a working database from a broken one."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().strip() == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_response_is_not_cacheable(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert any(directive in cache_control for directive in ("no-cache", "no-store", "max-age=0"))
