"""Schemathesis over the whole OpenAPI schema: any request a client can make gets no 5xx, and
every response matches the schema."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.factories import (
    BloodPressureReadingFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    SideEffectReportFactory,
)


def served_schema():
    """The schema /api/schema/ serves, built without a request: modules load before the test
    database exists, and every request may read the database (scheduled publications)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()
    return loaded


schema = served_schema()


@pytest.fixture(autouse=True)
def test_database_connection_stays_open():
    """Calling the WSGI app directly would close the test's database connection after each
    request (Django's test client prevents this the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(seeded, patient, settings):
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}
    for factory in [
        JournalEntryFactory,
        InfusionSessionFactory,
        BloodPressureReadingFactory,
        SideEffectReportFactory,
        MedicationFactory,
    ]:
        factory(user=patient)
    return Token.objects.create(user=patient).key


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_api_operation_answers_without_a_server_error_and_as_documented(case, token):
    case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}
    response = case.call()
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
