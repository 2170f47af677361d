"""Schemathesis over the whole OpenAPI schema: any request a client can make gets no 5xx, and
every response matches the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


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
