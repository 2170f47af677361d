"""The patient's own data over the API: every private route serves its owner, hides the owner's
records from everyone else, and turns anonymous requests away; validation errors are JSON."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from education.api import PublicContentMixin
from journal.models import ChecklistItem, ItemOrigin, JournalEntry
from journal.prep.rules import TOO_MANY_TOP_QUESTIONS
from tests.factories import (
    ArticleFactory,
    BloodPressureReadingFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    SectionFactory,
    SideEffectFactory,
    SideEffectReportFactory,
    UserFactory,
)
from tests.helpers import cache_control, named_routes

API = "/api/v1"
ONE_DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate().isoformat()


def now():
    return timezone.now().isoformat()


@dataclass(frozen=True)
class Route:
    """One private resource: how to make the owner's record, its URLs, and valid payloads."""

    name: str
    make: Any  # owner -> record
    collection: str  # URL of the list, "{checklist}" standing for the checklist's id
    create: Any  # () -> valid payload for POST and PUT
    change: dict  # a valid PATCH, and what it sets

    def __str__(self):
        return self.name

    def list_url(self, record):
        checklist = getattr(record, "checklist_id", None)
        return f"{API}/{self.collection.format(checklist=checklist)}"

    def detail_url(self, record):
        return f"{self.list_url(record)}{record.pk}/"

    def own_list_url(self, user):
        """The URL where this user lists their own records of this kind."""
        if "{checklist}" in self.collection:
            return self.list_url(ChecklistItemFactory(checklist__user=user))
        return f"{API}/{self.collection}"


ROUTES = [
    Route(
        "journal-entries",
        # Yesterday's: the new one sent for today is the patient's only check-in on that date.
        lambda owner: JournalEntryFactory(user=owner, date=timezone.localdate() - ONE_DAY),
        "journal/entries/",
        lambda: {"date": today(), "focus": 6, "mood": 7, "sleep_hours": "7.5"},
        {"focus": 9},
    ),
    Route(
        "journal-side-effects",
        lambda owner: SideEffectReportFactory(user=owner),
        "journal/side-effects/",
        lambda: {"other_name": "Headache", "severity": 3, "occurred_at": now()},
        {"severity": 8},
    ),
    Route(
        "journal-blood-pressure",
        lambda owner: BloodPressureReadingFactory(user=owner),
        "journal/blood-pressure/",
        lambda: {"measured_at": now(), "systolic": 121, "diastolic": 79, "pulse": 66},
        {"notes": "After a walk."},
    ),
    Route(
        "journal-infusions",
        lambda owner: InfusionSessionFactory(user=owner),
        "journal/infusions/",
        lambda: {"date": today(), "clinic": "North clinic", "duration_minutes": 40},
        {"clinic": "South clinic"},
    ),
    Route(
        "journal-medications",
        lambda owner: MedicationFactory(user=owner),
        "journal/medications/",
        lambda: {"name": "Atomoxetine", "dose": "40 mg"},
        {"dose": "60 mg"},
    ),
    Route(
        "checklists",
        lambda owner: ChecklistFactory(user=owner),
        "checklists/",
        lambda: {
            "appointment_date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        },
        {"clinician": "Dr Other"},
    ),
    Route(
        "checklist-items",
        lambda owner: ChecklistItemFactory(checklist__user=owner),
        "checklists/{checklist}/items/",
        lambda: {"text": "Can I drive home afterwards?"},
        {"asked": True},
    ),
]
ITEMS_ROUTE = ROUTES[-1]


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(patient):
    return patient


@pytest.fixture
def owner_api(owner):
    api = APIClient()
    api.force_login(owner)
    return api


@pytest.fixture
def other_patient(db):
    return UserFactory()


@pytest.fixture
def other_api(other_patient):
    api = APIClient()
    api.force_login(other_patient)
    return api


@pytest.fixture
def anonymous_api():
    return APIClient()


def stored(record):
    return type(record).objects.filter(pk=record.pk).first()


def ids_in(response):
    return [row["id"] for row in response.json()["results"]]


def patch_item(api, item, data):
    """PATCH one checklist item, as a client changing a field of it would."""
    return api.patch(ITEMS_ROUTE.detail_url(item), data, format="json")


# The owner


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_owner_lists_their_own_records(route, owner, owner_api):
    record = route.make(owner)

    response = owner_api.get(route.list_url(record))

    assert response.status_code == 200
    assert ids_in(response) == [record.pk]


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_owner_reads_their_own_record(route, owner, owner_api):
    record = route.make(owner)

    response = owner_api.get(route.detail_url(record))

    assert response.status_code == 200
    assert response.json()["id"] == record.pk


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_owner_creates_a_record_that_belongs_to_them(route, owner, owner_api):
    existing = route.make(owner)

    response = owner_api.post(route.list_url(existing), route.create(), format="json")

    assert response.status_code == 201
    created = type(existing).objects.get(pk=response.json()["id"])
    assert (created.checklist.user if route is ITEMS_ROUTE else created.user) == owner


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_owner_changes_their_own_record_with_patch(route, owner, owner_api):
    record = route.make(owner)

    response = owner_api.patch(route.detail_url(record), route.change, format="json")

    assert response.status_code == 200
    for name, value in route.change.items():
        assert response.json()[name] == value
        assert getattr(stored(record), name) == value


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_owner_replaces_their_own_record_with_put(route, owner, owner_api):
    record = route.make(owner)

    response = owner_api.put(route.detail_url(record), route.create(), format="json")

    assert response.status_code == 200
    assert response.json()["id"] == record.pk


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_owner_deletes_their_own_record(route, owner, owner_api):
    record = route.make(owner)

    response = owner_api.delete(route.detail_url(record))

    assert response.status_code == 204
    assert stored(record) is None


# Another patient


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_another_patient_gets_404_reading_the_owners_record(route, owner, other_api):
    record = route.make(owner)

    assert other_api.get(route.detail_url(record)).status_code == 404


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_another_patient_gets_404_patching_the_owners_record(route, owner, other_api):
    record = route.make(owner)

    response = other_api.patch(route.detail_url(record), route.change, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_another_patients_patch_leaves_the_owners_record_unchanged(route, owner, other_api):
    record = route.make(owner)
    before = {name: getattr(record, name) for name in route.change}

    other_api.patch(route.detail_url(record), route.change, format="json")

    assert {name: getattr(stored(record), name) for name in route.change} == before


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_another_patient_gets_404_replacing_the_owners_record(route, owner, other_api):
    record = route.make(owner)

    response = other_api.put(route.detail_url(record), route.create(), format="json")

    assert response.status_code == 404


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_another_patient_gets_404_deleting_the_owners_record(route, owner, other_api):
    record = route.make(owner)

    response = other_api.delete(route.detail_url(record))

    assert response.status_code == 404
    assert stored(record) is not None


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_another_patients_own_list_never_includes_the_owners_records(
    route, owner, other_patient, other_api
):
    record = route.make(owner)

    response = other_api.get(route.own_list_url(other_patient))

    assert response.status_code == 200
    assert record.pk not in ids_in(response)


def test_another_patient_gets_404_listing_the_items_of_the_owners_checklist(owner, other_api):
    item = ChecklistItemFactory(checklist__user=owner)

    assert other_api.get(ITEMS_ROUTE.list_url(item)).status_code == 404


def test_another_patient_gets_404_adding_an_item_to_the_owners_checklist(owner, other_api):
    checklist = ChecklistFactory(user=owner)

    response = other_api.post(
        f"{API}/checklists/{checklist.pk}/items/", {"text": "Sneaky?"}, format="json"
    )

    assert response.status_code == 404
    assert not checklist.items.exists()


def test_another_patient_gets_404_generating_the_owners_checklist(owner, other_api):
    checklist = ChecklistFactory(user=owner)

    response = other_api.post(f"{API}/checklists/{checklist.pk}/generate/")

    assert response.status_code == 404
    assert not checklist.items.exists()


def test_an_item_is_not_found_under_another_of_the_owners_checklists(owner, owner_api):
    item = ChecklistItemFactory(checklist__user=owner)
    other_checklist = ChecklistFactory(user=owner)

    response = owner_api.get(f"{API}/checklists/{other_checklist.pk}/items/{item.pk}/")

    assert response.status_code == 404


# Anonymous visitors

ANONYMOUS_REQUESTS = [
    (route, method, target)
    for route in ROUTES
    for method, target in [
        ("get", "list"),
        ("post", "list"),
        ("get", "detail"),
        ("put", "detail"),
        ("patch", "detail"),
        ("delete", "detail"),
    ]
]


def anonymous_request(route, method, target, owner, anonymous_api):
    record = route.make(owner)
    url = route.list_url(record) if target == "list" else route.detail_url(record)
    return getattr(anonymous_api, method)(url, route.create(), format="json")


@pytest.mark.parametrize(
    "route, method, target",
    ANONYMOUS_REQUESTS,
    ids=[f"{route}-{method}-{target}" for route, method, target in ANONYMOUS_REQUESTS],
)
def test_an_anonymous_request_to_a_private_route_gets_401(
    route, method, target, owner, anonymous_api
):
    response = anonymous_request(route, method, target, owner, anonymous_api)

    assert response.status_code == 401


@pytest.mark.parametrize(
    "route, method, target",
    ANONYMOUS_REQUESTS,
    ids=[f"{route}-{method}-{target}" for route, method, target in ANONYMOUS_REQUESTS],
)
def test_a_401_says_how_to_authenticate_in_www_authenticate(
    route, method, target, owner, anonymous_api
):
    response = anonymous_request(route, method, target, owner, anonymous_api)

    assert response["WWW-Authenticate"] == "Token"


def test_an_anonymous_request_to_generate_a_checklist_gets_401(owner, anonymous_api):
    checklist = ChecklistFactory(user=owner)

    response = anonymous_api.post(f"{API}/checklists/{checklist.pk}/generate/")

    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")
    assert not checklist.items.exists()


def test_an_anonymous_request_leaves_the_owners_record_in_place(owner, anonymous_api):
    entry = JournalEntryFactory(user=owner)

    anonymous_api.delete(f"{API}/journal/entries/{entry.pk}/")

    assert stored(entry) is not None


def test_a_401_is_json_with_a_detail_message(anonymous_api, db):
    response = anonymous_api.get(f"{API}/journal/entries/")

    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json()["detail"], str)


# Token and session authentication


def test_a_valid_token_authenticates_the_patient(owner):
    entry = JournalEntryFactory(user=owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")

    response = api.get(f"{API}/journal/entries/")

    assert response.status_code == 200
    assert ids_in(response) == [entry.pk]


def test_a_token_request_needs_no_csrf_token(owner):
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")

    response = api.post(f"{API}/journal/entries/", {"focus": 5}, format="json")

    assert response.status_code == 201


def test_a_wrong_token_gets_401(owner):
    Token.objects.create(user=owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = api.get(f"{API}/journal/entries/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_gets_401_even_on_public_content(db):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api.get(f"{API}/faqs/").status_code == 401


def test_a_session_authenticates_the_patient(owner):
    entry = JournalEntryFactory(user=owner)
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(owner)

    response = api.get(f"{API}/journal/entries/")

    assert response.status_code == 200
    assert ids_in(response) == [entry.pk]


def test_a_session_post_without_a_csrf_token_gets_403(owner):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(owner)

    response = api.post(f"{API}/journal/entries/", {"focus": 5}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not JournalEntry.objects.exists()


def test_a_session_delete_without_a_csrf_token_gets_403(owner):
    entry = JournalEntryFactory(user=owner)
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(owner)

    response = api.delete(f"{API}/journal/entries/{entry.pk}/")

    assert response.status_code == 403
    assert stored(entry) is not None


def test_a_session_post_with_the_csrf_token_is_accepted(owner):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(owner)
    api.get("/accounts/api-token/")  # any page with a form sets the CSRF cookie

    response = api.post(
        f"{API}/journal/entries/",
        {"focus": 5},
        format="json",
        HTTP_X_CSRFTOKEN=api.cookies["csrftoken"].value,
    )

    assert response.status_code == 201


def test_a_form_encoded_request_is_refused_with_415(owner_api):
    response = owner_api.post(f"{API}/journal/entries/", {"focus": "5"})

    assert response.status_code == 415


# Validation errors


def test_a_reading_with_the_bottom_number_above_the_top_is_a_400_on_diastolic(owner_api):
    response = owner_api.post(
        f"{API}/journal/blood-pressure/",
        {"measured_at": now(), "systolic": 80, "diastolic": 122},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["diastolic"]
    assert all(isinstance(message, str) for message in response.json()["diastolic"])


def test_an_entry_dated_in_the_future_with_focus_11_gets_a_message_for_each_field(owner_api):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = owner_api.post(
        f"{API}/journal/entries/", {"date": tomorrow, "focus": 11}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"date", "focus"}
    assert response.json()["date"] == ["This can't be in the future."]


def test_an_entry_with_nothing_in_it_gets_a_non_field_message(owner_api):
    response = owner_api.post(f"{API}/journal/entries/", {"date": today()}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_a_side_effect_report_naming_another_patients_infusion_is_a_400_on_infusion(
    owner_api, other_patient
):
    infusion = InfusionSessionFactory(user=other_patient)

    response = owner_api.post(
        f"{API}/journal/side-effects/",
        {"other_name": "Nausea", "severity": 3, "occurred_at": now(), "infusion": infusion.pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["infusion"]


def test_a_side_effect_report_may_name_the_patients_own_infusion(owner, owner_api):
    infusion = InfusionSessionFactory(user=owner)

    response = owner_api.post(
        f"{API}/journal/side-effects/",
        {"other_name": "Nausea", "severity": 3, "occurred_at": now(), "infusion": infusion.pk},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["infusion"] == infusion.pk


def test_a_side_effect_report_may_name_a_published_side_effect_by_slug(owner_api, db):
    SideEffectFactory(slug="nausea", name="Nausea")

    response = owner_api.post(
        f"{API}/journal/side-effects/",
        {"side_effect": "nausea", "severity": 3, "occurred_at": now()},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["name"] == "Nausea"


def test_a_side_effect_report_naming_one_and_another_is_a_400_on_other_name(owner_api, db):
    SideEffectFactory(slug="nausea", name="Nausea")

    response = owner_api.post(
        f"{API}/journal/side-effects/",
        {"side_effect": "nausea", "other_name": "Migraine", "severity": 3, "occurred_at": now()},
        format="json",
    )

    assert (response.status_code, list(response.json())) == (400, ["other_name"])


def test_a_side_effect_report_naming_a_draft_articles_side_effect_is_a_400(owner_api, db):
    draft = SectionFactory(article=ArticleFactory(is_live=False))
    SideEffectFactory(section=draft, slug="unpublished-effect", name="Unpublished effect")

    response = owner_api.post(
        f"{API}/journal/side-effects/",
        {"side_effect": "unpublished-effect", "severity": 3, "occurred_at": now()},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["side_effect"]


def test_a_medication_stopped_before_it_started_is_a_400_on_stopped(owner_api):
    response = owner_api.post(
        f"{API}/journal/medications/",
        {"name": "Guanfacine", "started": "2025-05-01", "stopped": "2025-04-01"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["stopped"]


def test_malformed_json_is_a_400_with_a_json_message(owner_api):
    response = owner_api.post(
        f"{API}/journal/entries/", '{"focus": 5,', content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "JSON parse error" in response.json()["detail"]


def test_a_patch_that_would_make_a_reading_impossible_is_a_400(owner, owner_api):
    reading = BloodPressureReadingFactory(user=owner, systolic=120, diastolic=80)

    response = owner_api.patch(
        f"{API}/journal/blood-pressure/{reading.pk}/", {"diastolic": 130}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["diastolic"]
    assert stored(reading).diastolic == 80


def post_checklist_at(api, appointment_time):
    in_three_days = timezone.localdate() + datetime.timedelta(days=3)
    return api.post(
        f"{API}/checklists/",
        {"appointment_date": in_three_days.isoformat(), "appointment_time": appointment_time},
        format="json",
    )


@pytest.mark.parametrize("appointment_time", ["14:30+02:00", "14:30Z", "2:30", "14:30\n", "24:00"])
def test_an_appointment_time_outside_the_documented_pattern_is_a_400_on_it(
    owner_api, appointment_time
):
    response = post_checklist_at(owner_api, appointment_time)

    assert response.status_code == 400
    assert list(response.json()) == ["appointment_time"]


def test_an_appointment_time_with_an_offset_stores_no_checklist(owner, owner_api):
    post_checklist_at(owner_api, "14:30+02:00")

    assert not owner.checklist_set.exists()


def test_an_appointment_time_with_seconds_is_kept_to_the_minute(owner, owner_api):
    response = post_checklist_at(owner_api, "14:30:45.5")

    assert response.json()["appointment_time"] == "14:30"
    assert owner.checklist_set.get().appointment_time == datetime.time(14, 30)


REMINDERS = {
    "check_in_enabled": True,
    "check_in_time": "07:00",
    "questionnaires_enabled": False,
    "questionnaires_time": "10:00",
    "visit_prep_enabled": False,
    "visit_prep_time": "10:00",
    "quiet_start": None,
    "quiet_end": None,
}


@pytest.mark.parametrize("time", ["07:00\n", " 07:00 ", "\t07:00"])
def test_a_reminder_time_with_whitespace_around_it_is_a_400_on_that_time(owner_api, time):
    response = owner_api.put(
        f"{API}/reminders/", {**REMINDERS, "check_in_time": time}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"check_in_time": ['Enter a time as "HH:MM", such as "19:30".']}


# Blood-pressure safety


def test_a_very_high_reading_comes_back_with_an_urgent_safety_message(owner_api):
    response = owner_api.post(
        f"{API}/journal/blood-pressure/",
        {"measured_at": now(), "systolic": 185, "diastolic": 122},
        format="json",
    )

    assert response.status_code == 201
    safety = response.json()["safety"]
    assert safety["level"] == "urgent"
    assert safety["title"]
    assert safety["text"]


def test_a_normal_reading_comes_back_with_null_safety(owner_api):
    response = owner_api.post(
        f"{API}/journal/blood-pressure/",
        {"measured_at": now(), "systolic": 120, "diastolic": 80},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["safety"] is None


def test_a_high_reading_before_an_infusion_comes_back_flagged(owner_api):
    response = owner_api.post(
        f"{API}/journal/blood-pressure/",
        {"measured_at": now(), "systolic": 150, "diastolic": 85, "context": "before_infusion"},
        format="json",
    )

    assert response.json()["safety"]["level"] == "flagged"


def test_a_listed_very_high_reading_carries_its_urgent_safety_message(owner, owner_api):
    BloodPressureReadingFactory(user=owner, systolic=185, diastolic=122)

    results = owner_api.get(f"{API}/journal/blood-pressure/").json()["results"]

    assert results[0]["safety"]["level"] == "urgent"


# Checklists: generating questions and top priorities


@pytest.fixture
def checklist(seeded, owner):
    MedicationFactory(user=owner, name="Methylphenidate")
    return ChecklistFactory(user=owner)


def generate(api, checklist):
    return api.post(f"{API}/checklists/{checklist.pk}/generate/")


def test_generating_a_checklist_returns_it_with_its_questions(owner_api, checklist):
    response = generate(owner_api, checklist)

    assert response.status_code == 200
    assert response.json()["id"] == checklist.pk
    assert len(response.json()["items"]) == checklist.items.count() > 0


def test_generating_a_checklist_adds_the_catalogue_questions(owner_api, checklist):
    generate(owner_api, checklist)

    assert checklist.items.filter(origin=ItemOrigin.CATALOGUE).exists()


def test_generating_a_checklist_adds_questions_from_the_patients_journal(owner_api, checklist):
    response = generate(owner_api, checklist)

    personalised = [item for item in response.json()["items"] if item["origin"] == "personalised"]
    assert [item["text"] for item in personalised] == [
        "Could ketamine interact with Methylphenidate?"
    ]
    assert personalised[0]["data_note"] == "You take Methylphenidate 20 mg every morning."


def test_generating_a_checklist_twice_adds_nothing_the_second_time(owner_api, checklist):
    first = generate(owner_api, checklist).json()["items"]

    second = generate(owner_api, checklist).json()["items"]

    assert second == first


def test_generating_a_checklist_keeps_the_patients_own_questions(owner, owner_api, checklist):
    own = ChecklistItemFactory(checklist=checklist, text="Can I bring my partner?")

    generate(owner_api, checklist)

    assert stored(own).text == "Can I bring my partner?"


def test_a_removed_generated_question_does_not_come_back(owner_api, checklist):
    items = generate(owner_api, checklist).json()["items"]
    removed = items[0]
    owner_api.delete(f"{API}/checklists/{checklist.pk}/items/{removed['id']}/")

    texts = [item["text"] for item in generate(owner_api, checklist).json()["items"]]

    assert removed["text"] not in texts


def test_a_new_item_goes_to_the_end_of_the_checklist(owner_api, checklist):
    generate(owner_api, checklist)
    last = checklist.items.order_by("position").last().position

    response = owner_api.post(
        f"{API}/checklists/{checklist.pk}/items/", {"text": "One more?"}, format="json"
    )

    assert response.json()["position"] == last + 1
    assert response.json()["origin"] == "own"


def test_an_own_question_already_on_the_checklist_is_a_400_on_its_text(owner_api, checklist):
    url = f"{API}/checklists/{checklist.pk}/items/"
    owner_api.post(url, {"text": "Can I drive home?"}, format="json")

    response = owner_api.post(url, {"text": "Can I drive home?"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"text": ["This question is already on your checklist."]}


@pytest.fixture
def two_questions(owner):
    checklist = ChecklistFactory(user=owner)
    return [
        ChecklistItemFactory(checklist=checklist, text=text) for text in ["Second q", "Third q"]
    ]


def test_an_item_edited_to_another_questions_words_is_a_400_on_its_text(owner_api, two_questions):
    second, _third = two_questions

    response = patch_item(owner_api, second, {"text": "third q"})

    assert response.status_code == 400
    assert response.json() == {"text": ["This question is already on your checklist."]}


def test_an_item_edited_to_another_questions_words_keeps_its_own(owner_api, two_questions):
    second, _third = two_questions

    patch_item(owner_api, second, {"text": "third q"})

    assert stored(second).text == "Second q"


def test_an_item_replaced_with_another_questions_words_is_a_400(owner_api, two_questions):
    second, _third = two_questions

    response = owner_api.put(
        ITEMS_ROUTE.detail_url(second), {"text": "THIRD  Q", "asked": True}, format="json"
    )

    assert (response.status_code, list(response.json())) == (400, ["text"])


def test_a_fourth_top_priority_item_is_a_400(owner, owner_api):
    checklist = ChecklistFactory(user=owner)
    ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)

    response = owner_api.post(
        f"{API}/checklists/{checklist.pk}/items/",
        {"text": "And this one too?", "is_top_priority": True},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["is_top_priority"]
    assert checklist.items.count() == 3


def test_marking_a_fourth_item_top_priority_is_a_400(owner, owner_api):
    checklist = ChecklistFactory(user=owner)
    ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)
    fourth = ChecklistItemFactory(checklist=checklist)

    response = patch_item(owner_api, fourth, {"is_top_priority": True})

    assert response.status_code == 400
    assert stored(fourth).is_top_priority is False


def test_a_third_top_priority_item_is_accepted(owner, owner_api):
    checklist = ChecklistFactory(user=owner)
    ChecklistItemFactory.create_batch(2, checklist=checklist, is_top_priority=True)
    third = ChecklistItemFactory(checklist=checklist)

    response = patch_item(owner_api, third, {"is_top_priority": True})

    assert response.status_code == 200


def test_a_top_priority_item_can_be_saved_again_when_three_are_marked(owner, owner_api):
    checklist = ChecklistFactory(user=owner)
    items = ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)

    response = patch_item(owner_api, items[0], {"is_top_priority": True, "asked": True})

    assert response.status_code == 200


def test_the_api_refuses_a_fourth_top_question_with_the_same_message_as_the_web(owner, owner_api):
    checklist = ChecklistFactory(user=owner)
    ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)
    fourth = ChecklistItemFactory(checklist=checklist)

    response = patch_item(owner_api, fourth, {"is_top_priority": True})

    assert response.json() == {"is_top_priority": [TOO_MANY_TOP_QUESTIONS]}


def test_adding_a_fourth_top_question_through_the_api_gives_the_same_message_as_the_web(
    owner, owner_api
):
    checklist = ChecklistFactory(user=owner)
    ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)

    response = owner_api.post(
        f"{API}/checklists/{checklist.pk}/items/",
        {"text": "And this one too?", "is_top_priority": True},
        format="json",
    )

    assert response.json() == {"is_top_priority": [TOO_MANY_TOP_QUESTIONS]}


def test_a_refused_top_question_saves_nothing_else_of_the_request(owner, owner_api):
    checklist = ChecklistFactory(user=owner)
    ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)
    fourth = ChecklistItemFactory(checklist=checklist)

    patch_item(owner_api, fourth, {"is_top_priority": True, "asked": True, "answer_notes": "Yes."})

    assert (stored(fourth).asked, stored(fourth).answer_notes) == (False, "")


def test_unmarking_a_top_question_through_the_api_frees_a_slot(owner, owner_api):
    checklist = ChecklistFactory(user=owner)
    top = ChecklistItemFactory.create_batch(3, checklist=checklist, is_top_priority=True)
    fourth = ChecklistItemFactory(checklist=checklist)
    url = f"{API}/checklists/{checklist.pk}/items/"
    owner_api.patch(f"{url}{top[0].pk}/", {"is_top_priority": False}, format="json")

    response = owner_api.patch(f"{url}{fourth.pk}/", {"is_top_priority": True}, format="json")

    assert response.status_code == 200
    assert stored(fourth).is_top_priority is True


# Moving questions: the position field goes through the rule the page's Up and Down buttons use


def positions(checklist):
    return list(checklist.items.values_list("text", "position"))


@pytest.fixture
def abcd(owner):
    """A checklist of questions A, B, C and D, numbered as the factory numbers them (not 1 to 4)."""
    checklist = ChecklistFactory(user=owner)
    for letter in "ABCD":
        ChecklistItemFactory(checklist=checklist, text=letter)
    return checklist


def move_through_the_api(api, checklist, text, position):
    return patch_item(api, checklist.items.get(text=text), {"position": position})


def test_moving_an_item_through_the_api_renumbers_the_others_as_the_web_does(
    owner, owner_api, client, abcd
):
    on_the_web = ChecklistFactory(user=owner)
    for letter in "ABCD":
        ChecklistItemFactory(checklist=on_the_web, text=letter)
    client.force_login(owner)
    d = on_the_web.items.get(text="D")
    client.post(
        reverse("checklists:item_move", kwargs={"pk": on_the_web.pk, "item_pk": d.pk}),
        {"direction": "up"},
    )

    move_through_the_api(owner_api, abcd, "D", 3)

    assert positions(abcd) == positions(on_the_web) == [("A", 1), ("B", 2), ("D", 3), ("C", 4)]


def test_the_api_answers_with_the_moved_items_new_position(owner_api, abcd):
    response = move_through_the_api(owner_api, abcd, "A", 99)

    assert response.json()["position"] == 4


def test_a_position_below_one_is_a_400_on_the_position_field(owner_api, abcd):
    response = move_through_the_api(owner_api, abcd, "A", 0)

    assert response.status_code == 400
    assert list(response.json()) == ["position"]


def test_an_item_added_through_the_api_at_a_position_pushes_the_others_down(owner_api, abcd):
    owner_api.post(
        f"{API}/checklists/{abcd.pk}/items/", {"text": "E", "position": 2}, format="json"
    )

    assert positions(abcd) == [("A", 1), ("E", 2), ("B", 3), ("C", 4), ("D", 5)]


def test_removing_an_item_through_the_api_closes_the_gap_in_the_numbering(owner_api, abcd):
    move_through_the_api(owner_api, abcd, "A", 1)  # numbers the list 1 to 4
    b = abcd.items.get(text="B")

    owner_api.delete(f"{API}/checklists/{abcd.pk}/items/{b.pk}/")

    assert positions(abcd) == [("A", 1), ("C", 2), ("D", 3)]


def test_an_items_origin_cannot_be_set_by_the_client(owner, owner_api):
    checklist = ChecklistFactory(user=owner)

    response = owner_api.post(
        f"{API}/checklists/{checklist.pk}/items/",
        {"text": "Mine?", "origin": "catalogue", "data_note": "forged"},
        format="json",
    )

    assert response.json()["origin"] == "own"
    assert response.json()["data_note"] == ""


# Tokens from the account page


def token_page_action(client, action):
    return client.post("/accounts/api-token/", {"action": action}, follow=True)


def test_the_api_token_page_needs_a_login(client, db):
    response = client.get("/accounts/api-token/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_creating_a_token_shows_its_key_on_the_page(client, owner):
    client.force_login(owner)

    response = token_page_action(client, "create")

    assert response.status_code == 200
    assert Token.objects.get(user=owner).key in response.content.decode()


def test_the_token_created_on_the_page_opens_the_api(client, owner):
    client.force_login(owner)
    token_page_action(client, "create")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=owner).key}")

    assert api.get(f"{API}/journal/entries/").status_code == 200


def test_a_revoked_token_gets_401(client, owner):
    client.force_login(owner)
    token_page_action(client, "create")
    key = Token.objects.get(user=owner).key
    token_page_action(client, "revoke")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get(f"{API}/journal/entries/").status_code == 401


def test_revoking_the_token_removes_its_key_from_the_page(client, owner):
    client.force_login(owner)
    token_page_action(client, "create")
    key = Token.objects.get(user=owner).key

    response = token_page_action(client, "revoke")

    assert key not in response.content.decode()
    assert "You have no token." in response.content.decode()


def test_replacing_the_token_cuts_off_the_old_key(client, owner):
    client.force_login(owner)
    token_page_action(client, "create")
    old_key = Token.objects.get(user=owner).key
    token_page_action(client, "create")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old_key}")

    assert api.get(f"{API}/journal/entries/").status_code == 401


# What browsers and proxies may keep of a private answer: nothing. The walk finds every API route
# that is not public content, so a route added later can't be missed.

OWNED_FACTORIES = {
    factory._meta.model: factory
    for factory in [
        JournalEntryFactory,
        SideEffectReportFactory,
        BloodPressureReadingFactory,
        InfusionSessionFactory,
        MedicationFactory,
        ChecklistFactory,
    ]
}


def private_api_reads():
    """(route name, model, URL parameters) of every private API route answering GET."""
    for namespace, name, params, callback in named_routes():
        view = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", {})
        if namespace != "api" or "get" not in actions:
            continue
        if not issubclass(view, PublicContentMixin):
            yield pytest.param(name, view.serializer_class.Meta.model, params, id=name)


PRIVATE_API_READS = list(private_api_reads())


def owned_record(model, owner):
    if model is ChecklistItem:
        return ChecklistItemFactory(checklist__user=owner)
    return OWNED_FACTORIES[model](user=owner)


def test_the_walk_finds_every_private_api_read():
    assert len(PRIVATE_API_READS) == 2 * len(ROUTES)  # a list and a detail each


@pytest.mark.parametrize("name, model, params", PRIVATE_API_READS)
def test_no_browser_or_proxy_may_keep_a_private_api_answer(name, model, params, owner, owner_api):
    record = owned_record(model, owner)
    kwargs = {"pk": record.pk} if "pk" in params else {}
    if "checklist_pk" in params:
        kwargs["checklist_pk"] = record.checklist_id

    response = owner_api.get(reverse(f"api:{name}", kwargs=kwargs))

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_no_browser_or_proxy_may_keep_the_api_token_page(owner, client):
    Token.objects.create(user=owner)
    client.force_login(owner)

    response = client.get(reverse("api_token"))

    assert {"private", "no-store"} <= cache_control(response)


def test_the_schema_says_a_journal_entry_needs_a_rating_the_sleep_or_a_note(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    description = schema["components"]["schemas"]["JournalEntryRequest"]["description"]
    assert "At least one rating, the sleep or a note is needed" in " ".join(description.split())
