"""Every operation of /api/schema/ answers as the schema says: each documented answer, success and
error, is made with a real request and validated against the served schema with openapi-core."""

import json
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pytest
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from rest_framework.authtoken.models import Token

from tests.api.journal_bodies import PAST_MOMENT, VALID_BODIES
from tests.factories import (
    BloodPressureReadingFactory,
    CareConnectionFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    ClinicFactory,
    FAQFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    ProviderQuestionFactory,
    SideEffectFactory,
    SideEffectReportFactory,
    SourceFactory,
    UserFactory,
)

NO_SUCH_ID = 10**18 - 1  # a well-formed id that no record has
REMINDERS = {
    "check_in_enabled": True,
    "check_in_time": "19:30",
    "questionnaires_enabled": False,
    "questionnaires_time": "10:00",
    "visit_prep_enabled": True,
    "visit_prep_time": "10:00",
    "quiet_start": "21:00",
    "quiet_end": "08:00",
}


@dataclass(frozen=True)
class Exchange:
    """One request to an operation and the status it must get; path values name records of the
    `records` fixture."""

    operation: str  # its operationId
    status: int
    path: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: dict | None = None
    body_records: dict = field(default_factory=dict)  # body fields naming records of `records`
    credentials: str = "token"  # or "none", "wrong token", "session without CSRF token"
    throttled: bool = False
    oversized: bool = False  # the server takes only a few bytes
    accept: str = "application/json"
    content_type: str = "application/json"
    conditions: dict = field(default_factory=dict)  # request headers: If-Match and the like

    def __str__(self):
        return f"{self.operation}-{self.status}"


# operationId prefix: (the patient's record, a valid body, a body the API refuses)
PRIVATE = {
    "v1_journal_entries": ("entry", VALID_BODIES["entries"], {"focus": 11}),
    "v1_journal_side_effects": ("report", VALID_BODIES["side_effects"], {"severity": 0}),
    "v1_journal_blood_pressure": (
        "reading",
        VALID_BODIES["blood_pressure"],
        {"measured_at": PAST_MOMENT, "systolic": 281, "diastolic": 80},
    ),
    "v1_journal_infusions": ("infusion", VALID_BODIES["infusions"], {"date": "1899-12-31"}),
    "v1_journal_medications": ("medication", VALID_BODIES["medications"], {"name": ""}),
    "v1_checklists": (
        "checklist",
        {"appointment_date": "2030-01-15", "appointment_time": "14:30"},
        {"appointment_date": "2101-01-01"},
    ),
    "v1_checklists_items": ("item", {"text": "Can I drive home afterwards?"}, {"text": ""}),
}  # fmt: skip
# operationId prefix: (the lookup parameter, the record)
PUBLIC = {
    "v1_faqs": ("id", "faq"),
    "v1_articles": ("slug", "article"),
    "v1_questions": ("id", "question"),
    "v1_side_effects": ("id", "side_effect"),
}


def private_exchanges(prefix, record, valid, refused):
    checklist = {"checklist_pk": "checklist"} if prefix == "v1_checklists_items" else {}
    own, others = {**checklist, "id": record}, {**checklist, "id": f"others_{record}"}
    yield Exchange(f"{prefix}_list", 200, checklist)
    yield Exchange(f"{prefix}_list", 400, checklist, query={"page_size": "null"})
    yield Exchange(f"{prefix}_list", 404, checklist, query={"page": 2})
    yield Exchange(f"{prefix}_create", 201, checklist, body=valid)
    yield Exchange(f"{prefix}_create", 400, checklist, body=refused)
    if checklist:
        yield Exchange(f"{prefix}_list", 404, {"checklist_pk": "others_checklist"})
        yield Exchange(f"{prefix}_create", 404, {"checklist_pk": "others_checklist"}, body=valid)
    yield Exchange(f"{prefix}_retrieve", 200, own)
    yield Exchange(f"{prefix}_retrieve", 404, others)
    for change in ("update", "partial_update"):
        yield Exchange(f"{prefix}_{change}", 200, own, body=valid)
        yield Exchange(f"{prefix}_{change}", 400, own, body=refused)
        yield Exchange(f"{prefix}_{change}", 404, others, body=valid)
    yield Exchange(f"{prefix}_destroy", 204, own)
    yield Exchange(f"{prefix}_destroy", 404, others)


def public_exchanges(prefix, lookup, record):
    yield Exchange(f"{prefix}_list", 200)
    yield Exchange(f"{prefix}_list", 400, query={"page_size": 0})
    yield Exchange(f"{prefix}_list", 404, query={"page": 2})
    yield Exchange(f"{prefix}_retrieve", 200, {lookup: record})
    yield Exchange(f"{prefix}_retrieve", 404, {lookup: "missing"})
    for operation, path in ((f"{prefix}_list", {}), (f"{prefix}_retrieve", {lookup: record})):
        yield Exchange(operation, 304, path, conditions={"If-None-Match": "*"})
        yield Exchange(operation, 412, path, conditions={"If-Match": '"no-such-version"'})


def answers_to_any_request(success):
    """The errors a request to any operation can get, from its successful request: 401 without
    (valid) credentials, 429 when throttled, 406 for an answer in anything but JSON, 413 for a
    body larger than the server takes, 415 for a body that is not JSON, and 403 without the
    CSRF token on a private write."""
    public = success.operation == "v1_root" or success.operation.startswith(tuple(PUBLIC))
    yield replace(success, status=401, credentials="wrong token" if public else "none")
    yield replace(success, status=429, throttled=True)
    yield replace(success, status=406, accept="text/html")
    if success.body is not None:
        yield replace(success, status=413, oversized=True)
        yield replace(success, status=415, content_type="text/plain")
    if not public and success.operation.endswith(("_create", "_update", "_destroy")):
        yield replace(success, status=403, credentials="session without CSRF token")


def all_exchanges():
    exchanges = [
        Exchange("v1_root", 200),
        *(each for args in PRIVATE.items() for each in private_exchanges(args[0], *args[1])),
        *(each for args in PUBLIC.items() for each in public_exchanges(args[0], *args[1])),
        Exchange("v1_checklists_generate_create", 200, {"id": "checklist"}),
        Exchange("v1_checklists_generate_create", 404, {"id": "others_checklist"}),
        Exchange(
            "v1_checklists_add_question_create", 200, body={}, body_records={"question": "question"}
        ),
        Exchange("v1_checklists_add_question_create", 400, body={"question": NO_SUCH_ID}),
        Exchange("v1_reminders_retrieve", 200),
        Exchange("v1_reminders_update", 200, body=REMINDERS),
        Exchange("v1_reminders_update", 400, body={**REMINDERS, "quiet_end": None}),
        Exchange("v1_care_team_retrieve", 200),
        Exchange(
            "v1_care_team_connect_create",
            201,
            body={"scopes": ["alerts"]},
            body_records={"invitation_code": "clinic_code"},
        ),
        Exchange("v1_care_team_connect_create", 400, body={"invitation_code": "NOPE2345"}),
        Exchange("v1_care_team_update", 200, {"id": "connection"}, body={"scopes": ["journal"]}),
        Exchange("v1_care_team_update", 400, {"id": "connection"}, body={"scopes": ["all"]}),
        Exchange("v1_care_team_update", 404, {"id": "others_connection"}, body={"scopes": []}),
        Exchange("v1_care_team_withdraw_create", 200, {"id": "connection"}),
        Exchange("v1_care_team_withdraw_create", 404, {"id": "others_connection"}),
    ]
    successes = [each for each in exchanges if each.status < 300]
    return exchanges + [error for each in successes for error in answers_to_any_request(each)]


EXCHANGES = all_exchanges()


@pytest.fixture(scope="module")
def served_schema(django_db_setup, django_db_blocker):
    """Fetched once for the module (the request reads the content schedule, so the database)."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture(scope="module")
def openapi(served_schema):
    return OpenAPI.from_dict(served_schema)


def patients_records(user, prefix):
    """One record of each kind for the user (a reading that needs a safety message and one that
    does not; an own question and a catalogue one), named with the prefix."""
    checklist = ChecklistFactory(user=user)
    BloodPressureReadingFactory(user=user)
    ChecklistItemFactory(checklist=checklist, origin="catalogue", category="outcomes")
    return {
        f"{prefix}entry": JournalEntryFactory(user=user).pk,
        f"{prefix}report": SideEffectReportFactory(user=user).pk,
        f"{prefix}reading": BloodPressureReadingFactory(user=user, systolic=185, diastolic=122).pk,
        f"{prefix}infusion": InfusionSessionFactory(user=user).pk,
        f"{prefix}medication": MedicationFactory(user=user).pk,
        f"{prefix}checklist": checklist.pk,
        f"{prefix}item": ChecklistItemFactory(checklist=checklist).pk,
        f"{prefix}connection": CareConnectionFactory(user=user).pk,
    }


@pytest.fixture
def records(patient):
    faq = FAQFactory(sources=[SourceFactory()])
    return {
        **patients_records(patient, ""),
        **patients_records(UserFactory(), "others_"),
        "faq": faq.pk,
        "article": faq.section.article.slug,
        "question": ProviderQuestionFactory(section=faq.section).pk,
        "side_effect": SideEffectFactory(section=faq.section).pk,
        "missing": NO_SUCH_ID,
        "clinic_code": ClinicFactory().invitation_code,
    }


def operation_with_id(schema, operation_id):
    """(method, path template) of the operation."""
    return next(
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation["operationId"] == operation_id
    )


def client_for(exchange, patient):
    if exchange.credentials == "session without CSRF token":
        client = Client(enforce_csrf_checks=True)
        client.force_login(patient)
        return client, {}
    key = Token.objects.create(user=patient).key
    authorization = {"token": f"Token {key}", "wrong token": "Token " + "0" * 40}
    if exchange.credentials in authorization:
        return Client(), {"Authorization": authorization[exchange.credentials]}
    return Client(), {}


def test_every_documented_answer_of_every_operation_is_exercised(served_schema):
    documented = {
        (operation["operationId"], int(status))
        for operations in served_schema["paths"].values()
        for operation in operations.values()
        for status in operation["responses"]
    }

    assert {(each.operation, each.status) for each in EXCHANGES} == documented


@pytest.mark.parametrize("exchange", EXCHANGES, ids=str)
def test_the_answer_matches_the_served_schema(
    exchange, served_schema, openapi, records, patient, settings
):
    if exchange.throttled:
        settings.API_THROTTLE_RATES = {"anon": "0/minute", "user": "0/minute"}
    if exchange.oversized:
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    method, template = operation_with_id(served_schema, exchange.operation)
    path_values = {name: str(records[key]) for name, key in exchange.path.items()}
    path = template.format(**path_values)
    if exchange.body is None:
        body = b""
    else:
        values = {name: records[key] for name, key in exchange.body_records.items()}
        body = json.dumps({**exchange.body, **values}).encode()
    client, headers = client_for(exchange, patient)

    headers = {**headers, **exchange.conditions, "Accept": exchange.accept}
    response = client.generic(
        method.upper(),
        f"{path}?{urlencode(exchange.query)}" if exchange.query else path,
        body,
        content_type=exchange.content_type,
        headers=headers,
    )

    assert response.status_code == exchange.status, response.content
    request = MockRequest(
        "http://testserver",
        method,
        path,
        path_pattern=template,
        args={name: str(value) for name, value in exchange.query.items()},
        view_args=path_values,
        headers=headers,
        data=body,
    )
    if response.status_code < 300:
        openapi.validate_request(request)
    openapi.validate_response(
        request,
        MockResponse(
            response.content,
            status_code=response.status_code,
            headers=dict(response.headers),
            content_type=response.get("Content-Type", ""),
        ),
    )
