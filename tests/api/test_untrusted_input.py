"""Whatever a client sends, the API answers with JSON and a 4xx, never a 500: positions are the
server's to give, bodies too big or nested too deep are refused, and every error under /api/ is
JSON, also for addresses no route matches."""

import importlib
import json

import pytest
from django.apps import apps
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journal.models import ChecklistItem
from tests.factories import ChecklistFactory, ChecklistItemFactory

API = "/api/v1"
LARGEST_POSTGRESQL_INTEGER = 2_147_483_647
LARGEST_SQLITE_INTEGER = 9_223_372_036_854_775_807


@pytest.fixture
def api(patient):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=patient).key}")
    return client


@pytest.fixture
def checklist(patient):
    return ChecklistFactory(user=patient)


def items_url(checklist):
    return f"{API}/checklists/{checklist.pk}/items/"


def nested(depth):
    return "[" * depth + "]" * depth


def is_json(response):
    return response["Content-Type"].startswith("application/json") and json.loads(response.content)


# Positions are the server's to give


@pytest.mark.parametrize("position", [LARGEST_POSTGRESQL_INTEGER, LARGEST_SQLITE_INTEGER])
def test_a_question_posted_with_a_huge_position_is_refused(api, checklist, position):
    response = api.post(items_url(checklist), {"text": "Why?", "position": position}, "json")

    assert response.status_code == 400
    assert "position" in response.json()


def test_a_question_posted_with_the_largest_position_allowed_goes_last(api, checklist):
    ChecklistItemFactory(checklist=checklist, position=1)

    response = api.post(
        items_url(checklist), {"text": "Why?", "position": ChecklistItem.MAX_POSITION}, "json"
    )

    assert response.json()["position"] == 2


def test_the_documented_position_bounds_are_the_validated_ones(db, client):
    schema = client.get("/api/schema/?format=json").json()
    position = schema["components"]["schemas"]["ChecklistItem"]["properties"]["position"]

    assert (position["minimum"], position["maximum"]) == (1, ChecklistItem.MAX_POSITION)


def test_building_a_checklist_works_after_a_question_was_posted_far_past_the_end(api, checklist):
    url = items_url(checklist)
    api.post(url, {"text": "Why?", "position": ChecklistItem.MAX_POSITION}, "json")

    response = api.post(f"{API}/checklists/{checklist.pk}/generate/")

    assert response.status_code == 200


def repair_positions():
    migration = importlib.import_module("journal.migrations.0007_number_checklist_items_in_order")
    migration.number_items_in_order(apps, schema_editor=None)


def test_the_data_migration_numbers_stored_out_of_range_positions_in_order(checklist):
    last = ChecklistItemFactory(checklist=checklist, position=LARGEST_POSTGRESQL_INTEGER)
    first = ChecklistItemFactory(checklist=checklist, position=3)

    repair_positions()

    assert list(checklist.items.values_list("pk", "position")) == [(first.pk, 1), (last.pk, 2)]


def test_a_question_can_be_added_on_the_page_after_the_positions_are_repaired(
    client, patient, checklist
):
    ChecklistItemFactory(checklist=checklist, position=LARGEST_POSTGRESQL_INTEGER)
    repair_positions()
    client.force_login(patient)

    client.post(f"/checklists/{checklist.pk}/questions/new/", {"text": "Will it help my focus?"})

    assert checklist.items.filter(text="Will it help my focus?", position=2).exists()


# Bodies too deep or too big


def test_a_body_nested_a_thousand_levels_deep_is_a_400(api, checklist):
    response = api.generic("POST", items_url(checklist), nested(1000), "application/json")

    assert response.status_code == 400


def test_a_body_nested_too_deep_is_answered_with_a_json_message(api, checklist):
    response = api.generic("POST", items_url(checklist), nested(1000), "application/json")

    assert "nested" in response.json()["detail"]


def test_a_body_nested_too_deep_is_a_json_400_under_production_settings(settings, api):
    settings.DEBUG = False

    response = api.generic("POST", f"{API}/journal/entries/", nested(100_000), "application/json")

    assert (response.status_code, is_json(response)["detail"][:4]) == (400, "JSON")


def test_a_body_nested_within_the_limit_gets_the_usual_field_errors(api, checklist):
    body = json.dumps({"text": json.loads(nested(10))})

    response = api.generic("POST", items_url(checklist), body, "application/json")

    assert "text" in response.json()


def test_a_body_larger_than_the_upload_limit_is_a_413(settings, api, checklist):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"text": "x" * 2000})

    response = api.generic("POST", items_url(checklist), body, "application/json")

    assert (response.status_code, "detail" in response.json()) == (413, True)


# Every answer under /api/ is JSON


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/checklists/1234567890123456789/",
        f"{API}/journal/entries/99999999999999999999999/",
        f"{API}/articles/caf\u00e9-n\u00famero/",
        f"{API}/articles/a%00b/",
        f"{API}/no-such-thing/",
        "/api/v2/faqs/",
    ],
)
def test_an_address_no_route_matches_under_the_api_is_a_json_404(api, path):
    response = api.get(path)

    assert (response.status_code, is_json(response)["detail"]) == (404, "Not found.")


def test_an_address_no_route_matches_outside_the_api_stays_a_page(db):
    response = Client().get("/no-such-page/")

    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_route_does_not_allow_is_a_json_405(api):
    response = api.delete(f"{API}/faqs/")

    assert (response.status_code, "detail" in is_json(response)) == (405, True)


def test_an_unknown_host_under_the_api_is_a_json_400(db):
    response = Client().get(f"{API}/faqs/", HTTP_HOST="evil.example")

    assert (response.status_code, "detail" in is_json(response)) == (400, True)


def test_a_server_error_under_the_api_is_a_json_500(settings, api, monkeypatch):
    from journal import api as journal_api

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(journal_api.JournalEntryViewSet, "list", broken)
    api.raise_request_exception = False

    response = api.get(f"{API}/journal/entries/")

    assert (response.status_code, "detail" in is_json(response)) == (500, True)


def test_a_post_to_an_address_no_route_matches_is_a_json_404_without_a_csrf_token(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)

    response = client.post(
        f"{API}/checklists/caf\u00e9/items/", {}, content_type="application/json"
    )

    assert (response.status_code, is_json(response)["detail"]) == (404, "Not found.")


def test_an_address_no_route_matches_under_the_api_is_json_with_debug_on(settings, api):
    settings.DEBUG = True

    response = api.get(f"{API}/journal/entries/caf\u00e9%0A/")

    assert (response.status_code, is_json(response)["detail"]) == (404, "Not found.")


# An address missing only its final slash


def test_a_post_to_an_api_address_without_its_final_slash_is_a_json_404_naming_it(api):
    response = api.post(f"{API}/journal/entries", {"focus": 3}, format="json")

    assert response.status_code == 404
    assert is_json(response)["detail"] == (
        f"Not found. API addresses end with a slash: {API}/journal/entries/"
    )


def test_a_post_to_an_api_address_without_its_final_slash_stores_nothing(api, patient):
    api.post(f"{API}/journal/entries", {"focus": 3}, format="json")

    assert not patient.journalentry_set.exists()


def test_a_post_without_the_final_slash_is_json_with_debug_on(settings, api):
    settings.DEBUG = True

    response = api.post(f"{API}/journal/entries", {"focus": 3}, format="json")

    assert (response.status_code, "slash" in is_json(response)["detail"]) == (404, True)


def test_a_get_without_the_final_slash_is_sent_to_the_address_with_it(api):
    response = api.get(f"{API}/faqs", {"page": 2})

    assert (response.status_code, response["Location"]) == (301, f"{API}/faqs/?page=2")
