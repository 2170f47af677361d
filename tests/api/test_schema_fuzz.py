"""Schemathesis, with all its checks, over every operation of the OpenAPI schema with token
authentication: no 5xx, every answer as documented, input the schema refuses is refused, and
input it allows is taken unless a rule the schema can't state refuses it (RULE_MESSAGES)."""

import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    positive_data_acceptance,
)

from journal.models import FIRST_YEAR, LAST_YEAR
from journal.prep.rules import NO_UPCOMING_CHECKLIST, PAST_DATE, TOO_MANY_TOP_QUESTIONS
from journal.reminders import QUIET_EMPTY, QUIET_PAIR
from tests.factories import (
    BloodPressureReadingFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    SideEffectReportFactory,
)

# What the rules the schema can't state (a record another refers to, one field against another,
# a date against today, text no database keeps) answer when they refuse input the schema allows.
RULE_MESSAGES = [
    re.escape(message)
    for message in [
        "Null characters are not allowed.",
        "This can't be in the future.",
        f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}.",
        "Fill in at least one rating, your sleep or a note.",
        "Enter both numbers of the reading, or neither.",
        "The bottom number must be lower than the top number.",
        "Choose a side effect from the list or name it.",
        "The stop date can't be before the start date.",
        TOO_MANY_TOP_QUESTIONS,
        "This question is already on your checklist.",
        PAST_DATE,
        NO_UPCOMING_CHECKLIST,
        QUIET_PAIR,
        QUIET_EMPTY,
    ]
] + [
    r"Object with slug=.* does not exist\.",
    r'Invalid pk ".*" - object does not exist\.',
    r"Surrogate characters are not allowed: U\+[0-9A-F]+\.",
    r"No clinic has this code\. Check it against the one you were given\.",
    r"You already have a check-in for .* \(entry \d+\)\. There is one check-in per date: .*",
]


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


def refused_only_by_rules(response):
    """Whether the answer is a 400 whose every message is a rule's (RULE_MESSAGES)."""
    if response.status_code != 400:
        return False
    body = json.loads(response.content)
    found = [message for each in body.values() if isinstance(each, list) for message in each]
    return bool(found) and all(
        any(re.fullmatch(rule, message) for rule in RULE_MESSAGES) for message in found
    )


def valid_input_is_taken_unless_a_rule_refuses_it(ctx, response, case):
    """Schemathesis's positive_data_acceptance, allowing for the 400 of a rule."""
    if refused_only_by_rules(response):
        return True
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_api_operation_answers_without_a_server_error_and_as_documented(case, token):
    headers = {"Authorization": f"Token {token}"}
    response = case.call(headers=headers)
    case.validate_response(
        response,
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_input_is_taken_unless_a_rule_refuses_it],
    )


def test_an_odd_path_value_gets_json(client, db):
    response = client.get("/api/v1/articles/%C2%84/")

    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_an_empty_category_is_refused(client, db):
    assert client.get("/api/v1/questions/", {"category": ""}).status_code == 400
