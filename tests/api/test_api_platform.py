"""The API as a platform: its OpenAPI schema and docs, throttling, and cross-origin access."""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import FAQFactory, JournalEntryFactory, SideEffectFactory, UserFactory

FAQS = "/api/v1/faqs/"
ENTRIES = "/api/v1/journal/entries/"
PARTNER = "https://partner.example"


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counts live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def patient_api(patient):
    api = APIClient()
    api.force_login(patient)
    return api


# The OpenAPI schema


@pytest.fixture
def schema(api, db):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_served_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")


def test_the_schema_is_served_as_yaml_by_default(api, db):
    response = api.get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def test_the_schema_documents_the_faq_list(schema):
    assert "get" in schema["paths"]["/api/v1/faqs/"]


def test_the_schema_documents_the_journal_entries(schema):
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/journal/entries/"])


def test_the_schema_documents_every_private_route(schema):
    expected = {
        "/api/v1/journal/entries/",
        "/api/v1/journal/side-effects/",
        "/api/v1/journal/blood-pressure/",
        "/api/v1/journal/infusions/",
        "/api/v1/journal/medications/",
        "/api/v1/checklists/",
        "/api/v1/checklists/{checklist_pk}/items/",
        "/api/v1/checklists/{id}/generate/",
        "/api/v1/care-team/",
        "/api/v1/care-team/connect/",
        "/api/v1/care-team/{id}/",
        "/api/v1/care-team/{id}/withdraw/",
    }

    assert expected <= set(schema["paths"])


def test_the_schema_describes_the_api(schema):
    assert schema["info"]["title"] == "Clinic patient portal API"
    assert "/accounts/api-token/" in schema["info"]["description"]


def test_the_schema_describes_the_faq_list_operation(schema):
    operation = schema["paths"]["/api/v1/faqs/"]["get"]

    assert operation["summary"] == "List published FAQs"
    assert "article slug" in operation["description"]


def test_the_schema_describes_the_journal_entries(schema):
    assert "journal entries" in schema["paths"]["/api/v1/journal/entries/"]["get"]["description"]


def test_every_schema_operation_has_a_description(schema):
    undescribed = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("description")
    ]

    assert undescribed == []


def test_the_schema_documents_token_authentication(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]

    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")


def test_the_schema_marks_the_faq_list_as_open_to_anonymous_clients(schema):
    assert {} in schema["paths"]["/api/v1/faqs/"]["get"]["security"]


def test_the_schema_marks_the_journal_entries_as_needing_authentication(schema):
    assert {} not in schema["paths"]["/api/v1/journal/entries/"]["get"]["security"]


# The API's front door


def test_the_api_root_answers_an_anonymous_client(api, db):
    assert api.get("/api/v1/").status_code == 200


def test_the_api_root_gives_the_address_of_each_collection_and_of_the_schema(api, db):
    links = api.get("/api/v1/").json()

    assert links["faqs"] == "http://testserver/api/v1/faqs/"
    assert links["journal/entries"] == "http://testserver/api/v1/journal/entries/"
    assert links["care-team"] == "http://testserver/api/v1/care-team/"
    assert links["schema"] == "http://testserver/api/schema/"
    assert links["docs"] == "http://testserver/api/docs/"


def test_every_address_the_api_root_gives_answers_a_signed_in_patient(api, patient_api, db):
    links = api.get("/api/v1/").json()

    statuses = {name: patient_api.get(url).status_code for name, url in links.items()}

    assert set(statuses.values()) == {200}, statuses


def test_the_schema_documents_the_api_root_as_open_to_anonymous_clients(schema):
    assert {} in schema["paths"]["/api/v1/"]["get"]["security"]


def test_the_schema_validates_without_warnings(settings):
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr


def component(schema, name):
    return schema["components"]["schemas"][name]


def test_the_error_schema_has_an_optional_detail_and_a_message_list_per_field(schema):
    error = component(schema, "Error")

    assert error["properties"] == {"detail": {"type": "string"}}
    assert error["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    assert "required" not in error


def test_a_private_change_documents_its_errors_with_the_error_schema(schema):
    responses = schema["paths"]["/api/v1/journal/entries/{id}/"]["patch"]["responses"]
    errors = {status: response for status, response in responses.items() if status >= "400"}

    assert set(errors) == {"400", "401", "403", "404", "406", "413", "415", "429"}
    assert all(
        response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        for response in errors.values()
    )


def test_a_public_item_documents_no_400_as_it_takes_no_input(schema):
    responses = schema["paths"]["/api/v1/faqs/{id}/"]["get"]["responses"]

    assert set(responses) == {"200", "304", "401", "404", "406", "412", "429"}


def test_a_throttled_answer_documents_its_retry_after_header(schema):
    response = schema["paths"]["/api/v1/faqs/"]["get"]["responses"]["429"]

    assert response["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def bounds(schema, name):
    """(minimum, maximum) of each integer property of a component."""
    return {
        field: (property.get("minimum"), property.get("maximum"))
        for field, property in component(schema, name)["properties"].items()
        if property.get("type") == "integer"
    }


def test_the_schema_gives_the_real_bounds_of_a_blood_pressure_reading(schema):
    reading = bounds(schema, "BloodPressureReadingRequest")

    assert (reading["systolic"], reading["diastolic"]) == ((60, 280), (30, 180))


def test_the_schema_gives_the_real_bounds_of_an_infusions_readings(schema):
    infusion = bounds(schema, "InfusionSessionRequest")

    assert (infusion["systolic_after"], infusion["diastolic_before"]) == ((60, 280), (30, 180))


def test_the_schema_describes_the_date_rules_of_a_journal_entry(schema):
    description = component(schema, "JournalEntryRequest")["properties"]["date"]["description"]

    assert "From 1900 to 2100." in description
    assert "Not in the future" in description


def test_the_schema_describes_only_the_year_rule_of_an_appointment_date(schema):
    description = component(schema, "ChecklistRequest")["properties"]["appointment_date"]

    assert description["description"] == "From 1900 to 2100."


def test_the_schema_lets_an_own_questions_category_be_blank(schema):
    category = component(schema, "ChecklistItem")["properties"]["category"]

    assert {"$ref": "#/components/schemas/BlankEnum"} in category["oneOf"]


def test_the_schema_lets_a_readings_safety_be_null_for_openapi_3_0_validators(schema):
    safety = component(schema, "BloodPressureReading")["properties"]["safety"]

    assert (safety["type"], safety["nullable"]) == ("object", True)
    assert "allOf" not in safety


# JSON only: chosen by Accept, never by the address or ?format=


def test_a_format_suffix_is_no_address_of_a_list(api, db):
    response = api.get("/api/v1/faqs.json", follow=True)

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_format_suffix_is_no_address_of_an_item(api, db):
    faq = FAQFactory()

    assert api.get(f"/api/v1/faqs/{faq.pk}.json", follow=True).status_code == 404


@pytest.mark.parametrize("format", ["xml", "api", "json"])
def test_a_format_parameter_is_ignored(api, db, format):
    FAQFactory()

    response = api.get(FAQS, {"format": format})

    assert (response.status_code, response.json()) == (200, api.get(FAQS).json())


def test_the_schema_still_comes_as_json_on_request_by_format_parameter(api, db):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.json()["openapi"].startswith("3.")


# Pagination


@pytest.mark.parametrize("accept", ["application/json;q=0", "*/*, application/json;q=0", "*/*;q=0"])
def test_a_client_refusing_json_with_q_0_gets_406(api, db, accept):
    assert api.get(FAQS, HTTP_ACCEPT=accept).status_code == 406


@pytest.mark.parametrize("accept", ["text/html;q=0, application/json", "application/json;q=0.5"])
def test_a_client_accepting_json_with_some_q_gets_json(api, db, accept):
    response = api.get(FAQS, HTTP_ACCEPT=accept)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


def test_a_page_size_of_null_is_a_400_naming_page_size(api, db):
    response = api.get(FAQS, {"page_size": "null"})

    assert response.status_code == 400
    assert response.json() == {"page_size": ["Enter a whole number from 1 to 100."]}


def test_a_page_size_over_100_is_a_400(api, db):
    assert api.get(FAQS, {"page_size": 101}).status_code == 400


def test_an_empty_page_size_is_a_400(api, db):
    assert api.get(FAQS, {"page_size": ""}).status_code == 400


def test_a_page_number_of_zero_is_a_400_naming_page(api, db):
    response = api.get(FAQS, {"page": 0})

    assert response.status_code == 400
    assert list(response.json()) == ["page"]


def test_the_last_page_is_not_reached_by_the_word_last(api, db):
    assert api.get(FAQS, {"page": "last"}).status_code == 400


def test_the_schema_gives_the_bounds_of_the_page_size(schema):
    parameters = schema["paths"]["/api/v1/faqs/"]["get"]["parameters"]
    page_size = next(each for each in parameters if each["name"] == "page_size")

    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


# Input of the type the schema gives


def test_a_number_for_a_text_field_is_a_400_naming_it(patient_api):
    response = patient_api.post(ENTRIES, {"focus": 5, "notes": 0}, format="json")

    assert response.status_code == 400
    assert response.json() == {"notes": ["Must be a string."]}


def test_a_string_for_a_rating_is_a_400(patient_api):
    response = patient_api.post(ENTRIES, {"focus": "5"}, format="json")

    assert response.json() == {"focus": ["Must be a whole number."]}


def test_a_number_for_sleep_hours_is_a_400_as_the_schema_gives_them_as_a_string(patient_api):
    response = patient_api.post(ENTRIES, {"sleep_hours": 7.5}, format="json")

    assert response.json() == {"sleep_hours": ["Must be a string."]}


def test_the_schema_gives_sleep_hours_the_pattern_of_0_to_24_with_one_decimal(schema):
    pattern = component(schema, "JournalEntryRequest")["properties"]["sleep_hours"]["pattern"]

    matches = {hours: bool(re.fullmatch(pattern, hours)) for hours in ["0", "7.5", "24.0", "24.5"]}

    assert matches == {"0": True, "7.5": True, "24.0": True, "24.5": False}


def test_sleep_hours_the_pattern_refuses_are_a_400(patient_api):
    response = patient_api.post(ENTRIES, {"sleep_hours": "+7"}, format="json")

    assert list(response.json()) == ["sleep_hours"]


def test_null_for_a_rating_is_taken(patient_api):
    response = patient_api.post(ENTRIES, {"focus": None, "notes": "A calm day."}, format="json")

    assert response.status_code == 201


def test_a_value_for_a_read_only_field_is_ignored_whatever_its_type(patient_api):
    response = patient_api.post(ENTRIES, {"focus": 5, "created": 0}, format="json")

    assert response.status_code == 201


def test_an_odd_value_of_a_boolean_filter_is_a_400(api, db):
    response = api.get("/api/v1/side-effects/", {"trackable": "null"})

    assert response.status_code == 400
    assert list(response.json()) == ["trackable"]


def test_a_boolean_filter_takes_false(api, db):
    SideEffectFactory(trackable=False)
    SideEffectFactory(trackable=True)

    body = api.get("/api/v1/side-effects/", {"trackable": "false"}).json()

    assert [each["trackable"] for each in body["results"]] == [False]


# Swagger UI


class _AssetUrls(HTMLParser):
    """The URLs a page loads scripts, styles and icons from."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def asset_urls(html):
    parser = _AssetUrls()
    parser.feed(html)
    return parser.urls


@pytest.fixture
def docs(api, db):
    return api.get("/api/docs/")


def test_the_api_docs_page_is_html(docs):
    assert docs.status_code == 200
    assert docs["Content-Type"].startswith("text/html")


def test_the_api_docs_load_swagger_ui_from_the_sidecar_static_files(docs):
    urls = asset_urls(docs.content.decode())

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in urls
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in urls


def test_the_swagger_ui_bundle_is_among_the_static_files_to_collect():
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_api_docs_load_nothing_from_a_cdn(docs):
    urls = asset_urls(docs.content.decode())

    assert urls
    assert [url for url in urls if re.match(r"(https?:)?//", url)] == []


def swagger_start_up_code(api, docs):
    """The page itself and any start-up script it loads from this site outside /static/."""
    html = docs.content.decode()
    own_scripts = [
        api.get(url).content.decode()
        for url in asset_urls(html)
        if url.startswith("/") and not url.startswith(("//", "/static/"))
    ]
    return "\n".join([html, *own_scripts])


def test_the_api_docs_point_swagger_ui_at_the_schema(api, docs):
    assert '"/api/schema/"' in swagger_start_up_code(api, docs)


# Throttling


@pytest.fixture
def anonymous_limit(settings):
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "600/minute"}


@pytest.fixture
def user_limit(settings):
    settings.API_THROTTLE_RATES = {"anon": "120/minute", "user": "2/minute"}


def third_response(api, url):
    for _ in range(2):
        assert api.get(url).status_code == 200
    return api.get(url)


def test_an_anonymous_client_within_the_rate_is_served(api, db, anonymous_limit):
    assert [api.get(FAQS).status_code for _ in range(2)] == [200, 200]


def test_an_anonymous_clients_third_request_a_minute_is_429(api, db, anonymous_limit):
    assert third_response(api, FAQS).status_code == 429


def test_a_throttled_anonymous_client_is_told_when_to_retry(api, db, anonymous_limit):
    retry_after = third_response(api, FAQS)["Retry-After"]

    assert 0 < int(retry_after) <= 60


def test_a_throttled_anonymous_client_gets_a_json_message(api, db, anonymous_limit):
    response = third_response(api, FAQS)

    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]


def test_a_throttled_response_is_not_marked_cacheable(api, db, anonymous_limit):
    response = third_response(api, FAQS)

    assert "public" not in response.get("Cache-Control", "")


def test_the_anonymous_rate_does_not_hold_back_a_signed_in_patient(
    patient_api, db, anonymous_limit
):
    assert [patient_api.get(FAQS).status_code for _ in range(3)] == [200, 200, 200]


def test_a_patients_third_request_a_minute_is_429(patient_api, user_limit):
    assert third_response(patient_api, ENTRIES).status_code == 429


def test_a_throttled_patient_is_told_when_to_retry(patient_api, user_limit):
    retry_after = third_response(patient_api, ENTRIES)["Retry-After"]

    assert 0 < int(retry_after) <= 60


def test_a_throttled_patient_gets_a_json_message(patient_api, user_limit):
    response = third_response(patient_api, ENTRIES)

    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]


def test_a_patients_rate_counts_their_token_requests_too(patient, user_limit):
    key = Token.objects.create(user=patient).key
    session_api, token_api = APIClient(), APIClient()
    session_api.force_login(patient)
    token_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    session_api.get(ENTRIES)
    token_api.get(ENTRIES)

    assert token_api.get(ENTRIES).status_code == 429


def test_one_patients_requests_do_not_use_up_anothers_rate(patient_api, user_limit):
    for _ in range(3):
        patient_api.get(ENTRIES)
    other_api = APIClient()
    other_api.force_login(UserFactory())

    assert other_api.get(ENTRIES).status_code == 200


def test_a_throttled_request_changes_nothing(patient, patient_api, user_limit):
    JournalEntryFactory(user=patient)
    for _ in range(2):
        patient_api.get(ENTRIES)

    response = patient_api.post(ENTRIES, {"focus": 5}, format="json")

    assert response.status_code == 429
    assert patient.journalentry_set.count() == 1


# Cross-origin requests


@pytest.fixture
def partner_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]


@pytest.fixture
def faq(db):
    return FAQFactory()


def test_the_allowed_origin_may_read_the_faqs(api, faq, partner_allowed):
    response = api.get(FAQS, HTTP_ORIGIN=PARTNER)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_the_allowed_origin_may_read_an_article(api, faq, partner_allowed):
    response = api.get(f"/api/v1/articles/{faq.section.article.slug}/", HTTP_ORIGIN=PARTNER)

    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_a_412_to_the_allowed_origin_may_be_read_by_it(api, faq, partner_allowed):
    response = api.get(FAQS, HTTP_ORIGIN=PARTNER, HTTP_IF_MATCH='"no-such-version"')

    assert response.status_code == 412
    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_a_public_content_response_varies_on_origin(api, faq, partner_allowed):
    vary = {part.strip().lower() for part in api.get(FAQS, HTTP_ORIGIN=PARTNER)["Vary"].split(",")}

    assert "origin" in vary


def test_a_preflight_from_the_allowed_origin_is_answered(api, db, partner_allowed):
    response = api.options(FAQS, HTTP_ORIGIN=PARTNER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_a_preflight_allows_only_reading_methods(api, db, partner_allowed):
    response = api.options(FAQS, HTTP_ORIGIN=PARTNER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")

    methods = {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}


def test_an_unknown_origin_gets_no_cors_header(api, faq, partner_allowed):
    response = api.get(FAQS, HTTP_ORIGIN="https://stranger.example")

    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


def test_a_preflight_from_an_unknown_origin_gets_no_cors_header(api, db, partner_allowed):
    response = api.options(
        FAQS, HTTP_ORIGIN="https://stranger.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert not response.has_header("Access-Control-Allow-Origin")


def test_a_look_alike_origin_gets_no_cors_header(api, faq, partner_allowed):
    response = api.get(FAQS, HTTP_ORIGIN="https://partner.example.evil.test")

    assert not response.has_header("Access-Control-Allow-Origin")


def test_the_journal_never_answers_the_allowed_origin(patient, patient_api, partner_allowed):
    JournalEntryFactory(user=patient)

    response = patient_api.get(ENTRIES, HTTP_ORIGIN=PARTNER)

    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


def test_the_journal_never_answers_a_preflight_from_the_allowed_origin(api, db, partner_allowed):
    response = api.options(
        ENTRIES,
        HTTP_ORIGIN=PARTNER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )

    assert not response.has_header("Access-Control-Allow-Origin")


def test_the_journal_side_effects_never_answer_the_allowed_origin(patient_api, partner_allowed):
    response = patient_api.get("/api/v1/journal/side-effects/", HTTP_ORIGIN=PARTNER)

    assert not response.has_header("Access-Control-Allow-Origin")


def test_cross_origin_reads_do_not_share_credentials(api, faq, partner_allowed):
    response = api.get(FAQS, HTTP_ORIGIN=PARTNER)

    assert not response.has_header("Access-Control-Allow-Credentials")


def test_an_empty_string_for_a_related_record_is_refused_not_read_as_null(db, patient):
    client = APIClient()
    client.force_authenticate(patient)

    response = client.post(
        "/api/v1/journal/side-effects/",
        {
            "side_effect": "",
            "other_name": "Dizzy",
            "severity": 2,
            "occurred_at": "2025-01-01T09:00Z",
        },
        format="json",
    )

    assert response.json() == {"side_effect": ["Give a value, or null for none."]}
