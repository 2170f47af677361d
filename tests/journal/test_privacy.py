"""Every journal page is private: the walker below finds the routes, so a new one can't be missed.

The routes are read from the URLconf at import time (no database needed), then each is tried as
its owner, as another patient, as a staff member and as an anonymous visitor.
"""

import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from journal.exports import MODELS_BY_KIND
from tests.factories import (
    BloodPressureReadingFactory,
    CareConnectionFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    QuestionnaireResponseFactory,
    SideEffectReportFactory,
    UserFactory,
)
from tests.helpers import cache_control, named_routes, sign_in_staff

# Routes outside the "journal" namespace that show or change a patient's own data.
EXTRA_ROUTE_NAMES = {"delete_account"}

RECORD_KINDS = ["entries", "side-effects", "infusions", "blood-pressure", "medications"]
EXPECTED_ROUTE_NAMES = {
    "journal:dashboard",
    "journal:before_after",
    "journal:questionnaires_list",
    "journal:questionnaires_create",
    "journal:questionnaires_detail",
    "journal:questionnaires_delete",
    "journal:export",
    "journal:export_csv",
    "journal:export_json",
    "journal:export_fhir",
    "journal:reminders",
    "journal:care-team",
    "journal:care-team_connect",
    "journal:care-team_update",
    "journal:care-team_withdraw",
    *(
        f"journal:{kind}_{page}"
        for kind in RECORD_KINDS
        for page in ("list", "create", "detail", "update", "delete")
    ),
    "delete_account",
}

FACTORY_BY_KIND = {
    factory._meta.model.kind: factory
    for factory in [
        JournalEntryFactory,
        SideEffectReportFactory,
        InfusionSessionFactory,
        BloodPressureReadingFactory,
        MedicationFactory,
        QuestionnaireResponseFactory,
    ]
}
FACTORY_BY_KIND["care-team"] = CareConnectionFactory  # the connection to a clinic
# The free-text field of each kind that holds the owner's secret marker (questionnaires have none).
MARKER_FIELDS = {
    "entries": ["notes"],
    "side-effects": ["other_name", "notes"],
    "infusions": ["clinic", "notes"],
    "blood-pressure": ["notes"],
    "medications": ["name"],
    "questionnaires": [],
    "care-team": [],
}


def _now_for_form():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _today_for_form():
    return timezone.localdate().isoformat()


# Valid edit-form data for each kind, so only the ownership check can stop an edit.
UPDATE_DATA = {
    "entries": lambda: {"date": _today_for_form(), "focus": "1", "notes": "CHANGED"},
    "side-effects": lambda: {
        "other_name": "CHANGED",
        "severity": "2",
        "occurred_at": _now_for_form(),
    },
    "infusions": lambda: {"date": _today_for_form(), "clinic": "CHANGED"},
    "blood-pressure": lambda: {
        "measured_at": _now_for_form(),
        "systolic": "111",
        "diastolic": "71",
        "context": "home",
        "notes": "CHANGED",
    },
    "medications": lambda: {"name": "CHANGED"},
    "care-team": lambda: {"scopes": ["journal"]},
}


@dataclass(frozen=True)
class Route:
    name: str  # qualified, e.g. "journal:entries_detail"
    params: frozenset
    accepts_post: bool

    @property
    def kind(self):
        """The record kind of a per-record route, e.g. "side-effects" for side-effects_detail."""
        return self.name.split(":")[-1].rsplit("_", 1)[0]


def _accepts_post(callback):
    view_class = getattr(callback, "view_class", None)
    # A function view may answer any method; a class-based view only those it defines.
    return view_class is None or hasattr(view_class, "post")


def patient_routes():
    """Every route in the "journal" namespace, plus the account routes that touch patient data."""
    routes = {}
    for namespace, name, params, callback in named_routes():
        if namespace == "journal":
            qualified = f"journal:{name}"
        elif not namespace and name in EXTRA_ROUTE_NAMES:
            qualified = name
        else:
            continue
        routes[qualified] = Route(qualified, params, _accepts_post(callback))
    return sorted(routes.values(), key=lambda route: route.name)


ROUTES = patient_routes()
PK_ROUTES = [route for route in ROUTES if "pk" in route.params]
OTHER_ROUTES = [route for route in ROUTES if "pk" not in route.params]
POST_PK_ROUTES = [route for route in PK_ROUTES if route.accepts_post]


@dataclass(frozen=True)
class Case:
    route: Route
    export_kind: str | None = None

    @property
    def id(self):
        return self.route.name + (f"[{self.export_kind}]" if self.export_kind else "")

    def url(self, records):
        kwargs = {}
        for param in self.route.params:
            if param == "pk":
                kwargs["pk"] = records[self.route.kind].pk
            elif param == "code":
                kwargs["code"] = "phq9"
            elif param == "kind":
                kwargs["kind"] = self.export_kind
            else:
                raise AssertionError(f"{self.route.name}: no test value for <{param}>")
        return reverse(self.route.name, kwargs=kwargs)


def _cases(routes):
    cases = []
    for route in routes:
        if "kind" in route.params:
            cases.extend(Case(route, export_kind) for export_kind in MODELS_BY_KIND)
        else:
            cases.append(Case(route))
    return cases


def _params_for(cases):
    return [pytest.param(case, id=case.id) for case in cases]


ALL_CASES = _params_for(_cases(ROUTES))
PK_CASES = _params_for(_cases(PK_ROUTES))
OTHER_CASES = _params_for(_cases(OTHER_ROUTES))
POST_PK_CASES = _params_for(_cases(POST_PK_ROUTES))


@pytest.fixture
def marker():
    return f"OWNER-SECRET-{uuid.uuid4().hex}"


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def records(owner, marker):
    """One record of every kind for the owner, each carrying the marker in its free text."""
    created = {}
    for kind, factory in FACTORY_BY_KIND.items():
        created[kind] = factory(user=owner, **dict.fromkeys(MARKER_FIELDS[kind], marker))
    return created


@pytest.fixture
def other_patient(db):
    return UserFactory()


def _snapshot(record):
    return type(record).objects.filter(pk=record.pk).values().first()


def test_walker_finds_every_expected_patient_route():
    assert {route.name for route in ROUTES} >= EXPECTED_ROUTE_NAMES


def test_walker_finds_edit_and_delete_routes_as_taking_post():
    edit_and_delete = {
        name for name in EXPECTED_ROUTE_NAMES if name.endswith(("_update", "_delete"))
    }
    assert {route.name for route in POST_PK_ROUTES} >= edit_and_delete


def test_every_per_record_route_has_a_factory_for_its_kind():
    assert {route.kind for route in PK_ROUTES} <= set(FACTORY_BY_KIND)


def test_owner_marker_is_really_stored_in_the_owner_records(client, owner, records, marker):
    client.force_login(owner)

    response = client.get(reverse("journal:export_json"))

    assert response.content.decode().count(marker) == sum(map(len, MARKER_FIELDS.values()))


@pytest.mark.parametrize("case", ALL_CASES)
def test_owner_can_open_the_page(client, owner, records, case):
    client.force_login(owner)

    response = client.get(case.url(records))

    assert response.status_code == 200


@pytest.mark.parametrize("case", ALL_CASES)
def test_no_browser_or_proxy_may_keep_the_owners_page(client, owner, records, case):
    client.force_login(owner)

    response = client.get(case.url(records))

    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize("case", PK_CASES)
def test_another_patient_gets_404_on_the_owners_record(client, records, other_patient, case):
    client.force_login(other_patient)

    response = client.get(case.url(records))

    assert response.status_code == 404


@pytest.mark.parametrize("case", OTHER_CASES)
def test_another_patient_can_open_their_own_version_of_the_page(
    client, records, other_patient, case
):
    client.force_login(other_patient)

    response = client.get(case.url(records))

    assert response.status_code == 200


@pytest.mark.parametrize("case", OTHER_CASES)
def test_another_patient_does_not_see_the_owners_secret_text(
    client, records, other_patient, marker, case
):
    client.force_login(other_patient)

    response = client.get(case.url(records))

    assert marker not in response.content.decode()


@pytest.mark.parametrize("case", OTHER_CASES)
def test_another_patient_does_not_see_links_to_the_owners_records(
    client, records, other_patient, case
):
    """Catches leaks of records with no free text to mark, such as questionnaires."""
    client.force_login(other_patient)

    response = client.get(case.url(records))

    owner_links = [record.get_absolute_url() for record in records.values()]
    body = response.content.decode()
    assert [link for link in owner_links if link in body] == []


@pytest.mark.parametrize("case", ALL_CASES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, records, case):
    url = case.url(records)

    response = client.get(url)

    assert response.status_code == 302
    redirect = urlsplit(response.url)
    assert redirect.path == "/accounts/login/"
    assert parse_qs(redirect.query) == {"next": [url]}


def _post_data(case):
    if case.route.name.endswith("_update"):
        return UPDATE_DATA[case.route.kind]()
    return {}


@pytest.mark.parametrize("case", POST_PK_CASES)
def test_another_patients_post_to_the_owners_record_gets_404(client, records, other_patient, case):
    client.force_login(other_patient)

    response = client.post(case.url(records), _post_data(case))

    assert response.status_code == 404


@pytest.mark.parametrize("case", POST_PK_CASES)
def test_another_patients_post_leaves_the_owners_record_unchanged(
    client, records, other_patient, case
):
    record = records[case.route.kind]
    before = _snapshot(record)
    client.force_login(other_patient)

    client.post(case.url(records), _post_data(case))

    assert _snapshot(record) == before


EDIT_AND_DELETE_CASES = _params_for(
    _cases(route for route in POST_PK_ROUTES if route.name.endswith(("_update", "_delete")))
)


@pytest.mark.parametrize("case", EDIT_AND_DELETE_CASES)
def test_owners_own_post_with_the_same_data_does_change_the_record(client, owner, records, case):
    """Shows the data above is good enough to edit or delete, so only ownership stopped it."""
    record = records[case.route.kind]
    before = _snapshot(record)
    client.force_login(owner)

    response = client.post(case.url(records), _post_data(case))

    assert response.status_code == 302
    assert _snapshot(record) != before


def test_no_journal_model_holding_a_patients_data_is_registered_in_the_admin():
    """The clinic's own settings may be; nothing that belongs to a user (a ForeignKey to one):
    patient data reaches staff only through the clinician pages, which check consent."""
    registered = [
        model
        for model in admin.site._registry
        if model._meta.app_label == "journal"
        and any(
            field.many_to_one and field.related_model is get_user_model()
            for field in model._meta.fields
        )
    ]

    assert registered == []


@pytest.mark.parametrize("case", PK_CASES)
def test_staff_member_gets_404_on_a_patients_record(client, records, case):
    staff = UserFactory(is_staff=True, is_superuser=False)
    sign_in_staff(client, staff)

    response = client.get(case.url(records))

    assert response.status_code == 404
