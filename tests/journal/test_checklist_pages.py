"""Checklist pages as a patient and a clinician use them: private routes, building, editing and
reordering without JavaScript, the visit-prep sheet (page, PDF, calendar file) and share links.

The isolation tests walk the "checklists" namespace of the URLconf, so a new route can't be missed.
"""

import datetime
import io
import re
import secrets
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from education.models import ProviderQuestion, QuestionCategory
from journal.models import (
    Checklist,
    ChecklistItem,
    ItemOrigin,
    ShareLink,
    ShareView,
    VisitPlan,
)
from journal.prep import rules as checklist_rules
from journal.prep import sharing
from journal.prep.rules import TOO_MANY_TOP_QUESTIONS
from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    MedicationFactory,
    ProviderQuestionFactory,
    QuestionnaireResponseFactory,
    SideEffectReportFactory,
    UserFactory,
)
from tests.helpers import VOID_TAGS, cache_control, named_routes, visible_text

UNAVAILABLE = "This link is not available"


# --- Local factories ---------------------------------------------------------------------------


def next_week():
    return timezone.localdate() + datetime.timedelta(days=7)


class _Page(HTMLParser):
    """Text of every element with an id, the attributes of every input, and every link."""

    def __init__(self):
        super().__init__()
        self.open = []  # (tag, id or None)
        self.text_by_id = {}
        self.inputs = []
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.append(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag in VOID_TAGS:
            return
        if attrs.get("id"):
            self.text_by_id[attrs["id"]] = ""
        self.open.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        while self.open:
            open_tag, _ = self.open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, element_id in self.open:
            if element_id:
                self.text_by_id[element_id] += data


def parse(response):
    page = _Page()
    page.feed(response.content.decode())
    return page


def field_input(response, name):
    return next(attrs for attrs in parse(response).inputs if attrs.get("name") == name)


def message_next_to(response, name):
    """The text of the element the field's aria-describedby points at: its error message."""
    page = parse(response)
    attrs = next(attrs for attrs in page.inputs if attrs.get("name") == name)
    return " ".join(
        " ".join(page.text_by_id[ref].split()) for ref in attrs["aria-describedby"].split()
    )


def item_order(response):
    return [int(pk) for pk in re.findall(r'id="item-(\d+)"', response.content.decode())]


def share_url_from_page(response):
    """The address in the share page's read-only "copy it" box (the newest link comes first)."""
    box = next(attrs for attrs in parse(response).inputs if "readonly" in attrs)
    return urlsplit(box["value"]).path


def print_blocks(css):
    """The bodies of the stylesheet's @media print blocks."""
    blocks = []
    for match in re.finditer(r"@media\s+print\s*\{", css):
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        blocks.append(css[match.end() : index - 1])
    return blocks


# --- The route walker (as in test_privacy.py) ----------------------------------------------------

EXPECTED_ROUTE_NAMES = {
    f"checklists:{name}"
    for name in [
        "list",
        "create",
        "add_question",
        "detail",
        "update",
        "delete",
        "rebuild",
        "carry_over",
        "teach_back",
        "item_create",
        "item_update",
        "item_move",
        "item_top",
        "item_delete",
        "sheet",
        "sheet_name",
        "sheet_pdf",
        "ics",
        "share",
        "share_revoke",
    ]
}
# Function views don't say which methods they take: these answer POST only (405 to a GET).
POST_ONLY_ROUTE_NAMES = {
    f"checklists:{name}"
    for name in [
        "add_question",
        "rebuild",
        "carry_over",
        "teach_back",
        "item_create",
        "item_move",
        "item_top",
        "item_delete",
        "sheet_name",
        "share_revoke",
    ]
}
# Routes that also take a POST from their form page.
FORM_POST_ROUTE_NAMES = {
    f"checklists:{name}" for name in ["update", "delete", "item_update", "share"]
}


@dataclass(frozen=True)
class Route:
    name: str
    params: frozenset

    @property
    def post_only(self):
        return self.name in POST_ONLY_ROUTE_NAMES

    @property
    def takes_post(self):
        return self.post_only or self.name in FORM_POST_ROUTE_NAMES

    def url(self, data):
        kwargs = {}
        for param in self.params:
            if param == "pk":
                kwargs["pk"] = data.checklist.pk
            elif param == "item_pk":
                kwargs["item_pk"] = data.item.pk
            elif param == "link_pk":
                kwargs["link_pk"] = data.link.pk
            else:
                raise AssertionError(f"{self.name}: no test value for <{param}>")
        return reverse(self.name, kwargs=kwargs)


def checklist_routes():
    routes = {
        f"checklists:{name}": Route(f"checklists:{name}", params)
        for namespace, name, params, _ in named_routes()
        if namespace == "checklists"
    }
    return sorted(routes.values(), key=lambda route: route.name)


ROUTES = checklist_routes()
PK_ROUTES = [route for route in ROUTES if "pk" in route.params]
OTHER_ROUTES = [route for route in ROUTES if "pk" not in route.params]


def _ids(routes):
    return [pytest.param(route, id=route.name) for route in routes]


ALL_CASES = _ids(ROUTES)
GET_CASES = _ids(route for route in ROUTES if not route.post_only)
POST_CASES = _ids(route for route in ROUTES if route.takes_post)
POST_ONLY_CASES = _ids(route for route in ROUTES if route.post_only)
PK_GET_CASES = _ids(route for route in PK_ROUTES if not route.post_only)
PK_CASES = _ids(PK_ROUTES)
OTHER_GET_CASES = _ids(route for route in OTHER_ROUTES if not route.post_only)


def post_data(route, data):
    """Valid data for the route, so only the ownership check can stop the change."""
    later = (next_week() + datetime.timedelta(days=7)).isoformat()
    return {
        "checklists:add_question": {"question": data.question.pk},
        "checklists:update": {"appointment_date": later, "clinician": "CHANGED"},
        "checklists:item_create": {"text": "CHANGED: a question added by someone else?"},
        "checklists:item_update": {"text": "CHANGED?", "asked": "on", "answer_notes": "CHANGED"},
        "checklists:item_move": {"direction": "down"},
        "checklists:sheet_name": {"patient_name": "CHANGED name"},
        "checklists:teach_back": {"teach_back": "CHANGED: what I understood"},
    }.get(route.name, {})


@dataclass
class OwnerData:
    owner: object
    checklist: Checklist
    item: ChecklistItem
    link: ShareLink
    marker: str
    question: ProviderQuestion


@pytest.fixture
def owned(db):
    """A patient's checklist with two questions, a share link, an earlier appointment with an
    unasked question, a medication and a published question not yet on the list: every POST
    route has work to do."""
    marker = f"OWNER-SECRET-{uuid.uuid4().hex}"
    owner = UserFactory()
    earlier = ChecklistFactory(
        user=owner, appointment_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    ChecklistItemFactory(checklist=earlier, text=f"Not asked last time? {marker}")
    checklist = ChecklistFactory(user=owner, clinic=marker)
    item = ChecklistItemFactory(checklist=checklist, text=f"First question? {marker}")
    ChecklistItemFactory(checklist=checklist, text=f"Second question? {marker}")
    MedicationFactory(user=owner, name=f"Medication {marker}")
    link = sharing.create_share_link(checklist)
    VisitPlan.objects.create(checklist=checklist, plan="Rest.", written_by_name="Dr Vega")
    return OwnerData(owner, checklist, item, link, marker, ProviderQuestionFactory())


@pytest.fixture
def other_patient(db):
    return UserFactory()


def snapshot(owner):
    """Everything the owner has in checklists, as plain values."""
    checklists = Checklist.objects.filter(user=owner)
    return {
        "checklists": list(checklists.order_by("pk").values()),
        "items": list(
            ChecklistItem.objects.filter(checklist__in=checklists).order_by("pk").values()
        ),
        "links": list(ShareLink.objects.filter(checklist__in=checklists).order_by("pk").values()),
        "views": ShareView.objects.filter(link__checklist__in=checklists).count(),
        "plans": list(VisitPlan.objects.filter(checklist__in=checklists).values()),
    }


def test_walker_finds_every_expected_checklist_route():
    assert {route.name for route in ROUTES} >= EXPECTED_ROUTE_NAMES


def test_walker_finds_the_routes_without_a_checklist_in_their_address():
    assert {route.name for route in OTHER_ROUTES} >= {"checklists:list", "checklists:create"}


def test_walker_finds_the_post_only_routes():
    assert {route.name for route in ROUTES if route.post_only} == POST_ONLY_ROUTE_NAMES


@pytest.mark.parametrize("route", GET_CASES)
def test_owner_can_open_every_page(client, owned, route):
    client.force_login(owned.owner)

    response = client.get(route.url(owned))

    assert response.status_code == 200


@pytest.mark.parametrize("route", GET_CASES)
def test_no_browser_or_proxy_may_keep_a_page_of_the_owners(client, owned, route):
    client.force_login(owned.owner)

    response = client.get(route.url(owned))

    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize("route", POST_ONLY_CASES)
def test_post_only_routes_refuse_a_get_from_the_owner(client, owned, route):
    client.force_login(owned.owner)

    response = client.get(route.url(owned))

    assert response.status_code == 405


@pytest.mark.parametrize("route", POST_CASES)
def test_owners_post_redirects(client, owned, route):
    client.force_login(owned.owner)

    response = client.post(route.url(owned), post_data(route, owned))

    assert response.status_code == 302


@pytest.mark.parametrize("route", POST_CASES)
def test_owners_post_with_the_same_data_does_change_their_checklists(client, owned, route):
    """Shows the data used below is good enough to change things, so only ownership stops it."""
    before = snapshot(owned.owner)
    client.force_login(owned.owner)

    client.post(route.url(owned), post_data(route, owned))

    assert snapshot(owned.owner) != before


@pytest.mark.parametrize("route", PK_GET_CASES)
def test_another_patient_gets_404_on_the_owners_pages(client, owned, other_patient, route):
    client.force_login(other_patient)

    response = client.get(route.url(owned))

    assert response.status_code == 404


@pytest.mark.parametrize("route", PK_CASES)
def test_another_patients_post_to_the_owners_checklist_gets_404(
    client, owned, other_patient, route
):
    client.force_login(other_patient)

    response = client.post(route.url(owned), post_data(route, owned))

    assert response.status_code == 404


@pytest.mark.parametrize("route", PK_CASES)
def test_another_patients_post_leaves_the_owners_data_unchanged(
    client, owned, other_patient, route
):
    before = snapshot(owned.owner)
    client.force_login(other_patient)

    client.post(route.url(owned), post_data(route, owned))

    assert snapshot(owned.owner) == before


@pytest.mark.parametrize("route", OTHER_GET_CASES)
def test_another_patient_does_not_see_the_owners_checklists_on_their_own_pages(
    client, owned, other_patient, route
):
    client.force_login(other_patient)

    response = client.get(route.url(owned))

    assert response.status_code == 200
    assert owned.marker not in response.content.decode()
    assert owned.checklist.get_absolute_url() not in response.content.decode()


@pytest.mark.parametrize("route", ALL_CASES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, owned, route):
    url = route.url(owned)

    response = client.get(url)

    assert response.status_code == 302
    redirect = urlsplit(response.url)
    assert redirect.path == "/accounts/login/"
    assert parse_qs(redirect.query) == {"next": [url]}


@pytest.mark.parametrize("route", POST_CASES)
def test_anonymous_post_is_sent_to_the_login_page_and_changes_nothing(client, owned, route):
    before = snapshot(owned.owner)
    url = route.url(owned)

    response = client.post(url, post_data(route, owned))

    assert response.status_code == 302
    assert urlsplit(response.url).path == "/accounts/login/"
    assert snapshot(owned.owner) == before


# --- Creating a checklist ------------------------------------------------------------------------


@pytest.fixture
def journal(patient):
    """A few weeks of journal data, each kind giving a personalised question."""
    now = timezone.now()
    SideEffectReportFactory(
        user=patient, other_name="Dizziness", severity=4, occurred_at=now - datetime.timedelta(3)
    )
    SideEffectReportFactory(
        user=patient, other_name="Dizziness", severity=6, occurred_at=now - datetime.timedelta(2)
    )
    BloodPressureReadingFactory(
        user=patient, systolic=120, diastolic=80, measured_at=now - datetime.timedelta(5)
    )
    BloodPressureReadingFactory(
        user=patient, systolic=185, diastolic=95, measured_at=now - datetime.timedelta(4)
    )
    MedicationFactory(user=patient, name="Methylphenidate", dose="20 mg", frequency="every morning")
    QuestionnaireResponseFactory(
        user=patient, answers=[1, 1, 1, 1, 1, 0, 0, 0, 0], taken_at=now - datetime.timedelta(1)
    )
    return patient


def create_checklist(client, **changes):
    data = {
        "appointment_date": next_week().isoformat(),
        "clinician": "Dr Rivera",
        "clinic": "Harbour Street Clinic",
        "reason": "Three-month review",
        **changes,
    }
    return client.post(reverse("checklists:create"), data)


def test_creating_a_checklist_redirects_to_its_page(client, seeded, journal):
    client.force_login(journal)

    response = create_checklist(client)

    checklist = Checklist.objects.get(user=journal)
    assert response.status_code == 302
    assert response.url == checklist.get_absolute_url()


def test_creating_a_checklist_saves_the_appointment(client, seeded, journal):
    client.force_login(journal)

    create_checklist(client)

    checklist = Checklist.objects.get(user=journal)
    assert (
        checklist.appointment_date,
        checklist.clinician,
        checklist.clinic,
        checklist.reason,
    ) == (
        next_week(),
        "Dr Rivera",
        "Harbour Street Clinic",
        "Three-month review",
    )


def test_new_checklist_page_shows_the_five_catalogue_questions(client, seeded, journal):
    client.force_login(journal)

    response = client.get(create_checklist(client).url)

    catalogue = [question.text for question in ProviderQuestion.objects.public()]
    assert len(catalogue) == 5
    assert [text for text in catalogue if text not in visible_text(response.content.decode())] == []


def test_new_checklist_page_shows_personalised_questions_with_why_notes(client, seeded, journal):
    client.force_login(journal)

    response = client.get(create_checklist(client).url)

    text = visible_text(response.content.decode())
    assert "Could ketamine interact with Methylphenidate?" in text
    assert "Why: You take Methylphenidate 20 mg every morning." in text
    assert "What can I do about dizziness, and should it change my treatment?" in text
    assert "Why: You reported dizziness 2 times since" in text
    assert "My blood pressure was high." in text
    assert "Why: 1 reading was flagged since" in text


@pytest.mark.parametrize(
    ("typed_date", "message"),
    [("", "This field is required."), ("2025-02-31", "Enter a valid date.")],
    ids=["no date", "bad date"],
)
def test_invalid_date_shows_the_message_next_to_the_date_field(
    client, patient, typed_date, message
):
    client.force_login(patient)

    response = create_checklist(client, appointment_date=typed_date)

    assert response.status_code == 200
    assert message_next_to(response, "appointment_date") == message


@pytest.mark.parametrize("typed_date", ["", "not-a-date"], ids=["no date", "bad date"])
def test_invalid_date_keeps_the_typed_clinician_and_clinic(client, patient, typed_date):
    client.force_login(patient)

    response = create_checklist(client, appointment_date=typed_date)

    assert field_input(response, "clinician")["value"] == "Dr Rivera"
    assert field_input(response, "clinic")["value"] == "Harbour Street Clinic"


def test_invalid_date_saves_no_checklist(client, patient):
    client.force_login(patient)

    create_checklist(client, appointment_date="")

    assert not Checklist.objects.filter(user=patient).exists()


# --- Editing without JavaScript ------------------------------------------------------------------


@pytest.fixture
def checklist(patient):
    return ChecklistFactory(user=patient)


@pytest.fixture
def four_items(checklist):
    return [
        ChecklistItemFactory(checklist=checklist, text=f"Question {letter}?") for letter in "ABCD"
    ]


def item_url(name, item):
    return reverse(f"checklists:{name}", kwargs={"pk": item.checklist_id, "item_pk": item.pk})


def test_moving_an_item_down_changes_the_order_on_the_page(client, patient, four_items):
    a, b, c, d = four_items
    client.force_login(patient)

    response = client.post(item_url("item_move", a), {"direction": "down"}, follow=True)

    assert item_order(response) == [b.pk, a.pk, c.pk, d.pk]


def test_moving_an_item_up_changes_the_order_on_the_page(client, patient, four_items):
    a, b, c, d = four_items
    client.force_login(patient)

    response = client.post(item_url("item_move", d), {"direction": "up"}, follow=True)

    assert item_order(response) == [a.pk, b.pk, d.pk, c.pk]


def test_moving_returns_to_the_moved_item_on_the_page(client, patient, four_items):
    client.force_login(patient)

    response = client.post(item_url("item_move", four_items[1]), {"direction": "up"})

    assert response.url == f"{four_items[1].checklist.get_absolute_url()}#item-{four_items[1].pk}"


def test_marking_three_top_questions_marks_all_three(client, patient, four_items):
    client.force_login(patient)

    for item in four_items[:3]:
        response = client.post(item_url("item_top", item), follow=True)

    assert response.content.decode().count("Top priority</span>") == 3
    assert ChecklistItem.objects.filter(is_top_priority=True).count() == 3


def test_marking_a_fourth_top_question_is_refused_with_a_message(client, patient, four_items):
    client.force_login(patient)
    for item in four_items[:3]:
        client.post(item_url("item_top", item))

    response = client.post(item_url("item_top", four_items[3]), follow=True)

    assert TOO_MANY_TOP_QUESTIONS in visible_text(response.content.decode())


def test_a_refused_fourth_top_question_stays_unmarked(client, patient, four_items):
    client.force_login(patient)
    for item in four_items[:3]:
        client.post(item_url("item_top", item))

    client.post(item_url("item_top", four_items[3]))

    four_items[3].refresh_from_db()
    assert not four_items[3].is_top_priority


def test_marking_a_top_question_again_unmarks_it(client, patient, four_items):
    client.force_login(patient)
    client.post(item_url("item_top", four_items[0]))

    client.post(item_url("item_top", four_items[0]))

    four_items[0].refresh_from_db()
    assert not four_items[0].is_top_priority


def test_editing_an_item_shows_the_answer_on_the_page(client, patient, four_items):
    client.force_login(patient)

    response = client.post(
        item_url("item_update", four_items[0]),
        {"text": "Can I drive home after?", "asked": "on", "answer_notes": "No, bring a driver."},
        follow=True,
    )

    text = visible_text(response.content.decode())
    assert "Asked Can I drive home after?" in text
    assert "Answer: No, bring a driver." in text


def test_an_item_edited_to_another_questions_words_is_refused_beside_its_field(
    client, patient, four_items
):
    client.force_login(patient)

    response = client.post(item_url("item_update", four_items[0]), {"text": "question b?"})

    assert message_next_to(response, "text") == "This question is already on your checklist."


def test_an_item_edited_to_another_questions_words_keeps_its_own(client, patient, four_items):
    client.force_login(patient)

    client.post(item_url("item_update", four_items[0]), {"text": "question b?"})

    four_items[0].refresh_from_db()
    assert four_items[0].text == "Question A?"


def test_empty_own_question_is_refused_with_an_error(client, patient, checklist, four_items):
    client.force_login(patient)

    response = client.post(reverse("checklists:item_create", args=[checklist.pk]), {"text": ""})

    assert response.status_code == 400
    assert message_next_to(response, "text") == "This field is required."


def test_empty_own_question_adds_nothing(client, patient, checklist, four_items):
    client.force_login(patient)

    client.post(reverse("checklists:item_create", args=[checklist.pk]), {"text": "   "})

    assert checklist.items.count() == 4


def test_the_same_own_question_sent_twice_is_added_once(client, patient, checklist, four_items):
    client.force_login(patient)
    url = reverse("checklists:item_create", args=[checklist.pk])

    client.post(url, {"text": "Can I drive home after? 🚗"})
    client.post(url, {"text": "can I drive  home after? 🚗"})

    assert checklist.items.filter(text__icontains="drive home").count() == 1


def test_an_own_question_already_on_the_checklist_is_refused_beside_its_field(
    client, patient, checklist, four_items
):
    client.force_login(patient)

    response = client.post(
        reverse("checklists:item_create", args=[checklist.pk]), {"text": four_items[0].text}
    )

    assert response.status_code == 400
    assert message_next_to(response, "text") == "This question is already on your checklist."


def test_own_question_is_added_at_the_end(client, patient, checklist, four_items):
    client.force_login(patient)

    response = client.post(
        reverse("checklists:item_create", args=[checklist.pk]),
        {"text": "How long does each infusion take?"},
        follow=True,
    )

    added = checklist.items.get(text="How long does each infusion take?")
    assert item_order(response)[-1] == added.pk


def test_removing_an_item_removes_it_from_the_page(client, patient, four_items):
    client.force_login(patient)

    response = client.post(item_url("item_delete", four_items[1]), follow=True)

    page = parse(response)
    listed = [text for key, text in page.text_by_id.items() if key.startswith("item-")]
    assert item_order(response) == [four_items[0].pk, four_items[2].pk, four_items[3].pk]
    assert [text for text in listed if "Question B?" in text] == []


# --- The visit-prep sheet, PDF and calendar file -------------------------------------------------


@pytest.fixture
def sheet_checklist(journal):
    """The patient's checklist: three top questions, others by category, own ones last."""
    checklist = ChecklistFactory(user=journal)
    ChecklistItemFactory(
        checklist=checklist,
        text="Is the dizziness a reason to change the dose?",
        category=QuestionCategory.SAFETY,
        origin=ItemOrigin.PERSONALISED,
    )
    ChecklistItemFactory(checklist=checklist, text="Can I bring my partner to the infusion?")
    for text in [
        "Is my blood pressure safe for the next infusion?",
        "Should I keep taking methylphenidate?",
        "When will we know whether it works?",
    ]:
        ChecklistItemFactory(
            checklist=checklist,
            text=text,
            category=QuestionCategory.PROGRESS,
            is_top_priority=True,
        )
    return checklist


TOP_QUESTIONS = [
    "Is my blood pressure safe for the next infusion?",
    "Should I keep taking methylphenidate?",
    "When will we know whether it works?",
]


def sheet_text(client, checklist):
    client.force_login(checklist.user)
    response = client.get(reverse("checklists:sheet", args=[checklist.pk]))
    return visible_text(response.content.decode())


def test_sheet_lists_top_questions_then_the_journal_then_categories_then_own_questions(
    client, sheet_checklist
):
    text = sheet_text(client, sheet_checklist)

    order = [
        "My top questions",
        *TOP_QUESTIONS,
        "My journal since",
        "Side effects and safety",
        "Is the dizziness a reason to change the dose?",
        "My own questions",
        "Can I bring my partner to the infusion?",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_sheet_summary_shows_side_effects_with_count_and_worst(client, sheet_checklist):
    assert "Dizziness: 2×, worst 6/10" in sheet_text(client, sheet_checklist)


def test_sheet_summary_shows_the_blood_pressure_range(client, sheet_checklist):
    text = sheet_text(client, sheet_checklist)

    assert "2 readings: systolic 120–185, diastolic 80–95 mmHg." in text


def test_sheet_summary_shows_flagged_readings(client, sheet_checklist):
    assert "Flagged: 185/95 mmHg" in sheet_text(client, sheet_checklist)


def test_sheet_summary_shows_medications(client, sheet_checklist):
    assert "Methylphenidate 20 mg, every morning" in sheet_text(client, sheet_checklist)


def test_sheet_summary_shows_questionnaire_scores(client, sheet_checklist):
    assert "PHQ-9: 5/27 (mild)" in sheet_text(client, sheet_checklist)


def test_sheet_page_uses_the_site_stylesheet_and_hides_its_buttons_in_print(
    client, sheet_checklist
):
    client.force_login(sheet_checklist.user)

    response = client.get(reverse("checklists:sheet", args=[sheet_checklist.pk]))

    html = response.content.decode()
    assert "css/portal.css" in html
    assert 'class="sheet-actions action-links no-print"' in html


def test_site_stylesheet_has_print_rules_for_the_visit_sheet():
    with open(finders.find("css/portal.css"), encoding="utf-8") as stylesheet:
        blocks = print_blocks(stylesheet.read())

    in_print = "\n".join(blocks)
    assert ".visit-sheet" in in_print
    assert re.search(r"\.no-print[^{]*\{[^}]*display:\s*none", in_print)


@pytest.fixture
def typical_checklist(seeded, journal):
    """Built as a patient builds it: the catalogue plus personalised questions, three on top."""
    checklist = ChecklistFactory(user=journal)
    checklist_rules.build_checklist(user=journal, checklist=checklist)
    for text in ["Can I drive home after an infusion?", "How long does each infusion take?"]:
        checklist_rules.add_own_question(checklist=checklist, text=text)
    for item in checklist.items.filter(origin=ItemOrigin.PERSONALISED)[:3]:
        checklist_rules.toggle_top_priority(item)
    return checklist


def pdf_response(client, checklist):
    client.force_login(checklist.user)
    return client.get(reverse("checklists:sheet_pdf", args=[checklist.pk]))


def test_typical_checklist_has_catalogue_and_personalised_questions(typical_checklist):
    origins = list(typical_checklist.items.values_list("origin", flat=True))

    assert origins.count(ItemOrigin.CATALOGUE) == 5
    assert 3 <= origins.count(ItemOrigin.PERSONALISED) <= 6
    assert typical_checklist.items.filter(is_top_priority=True).count() == 3


def test_pdf_is_a_pdf(client, typical_checklist):
    response = pdf_response(client, typical_checklist)

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_contains_each_top_question(client, typical_checklist):
    reader = PdfReader(io.BytesIO(pdf_response(client, typical_checklist).content))

    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    top = typical_checklist.items.filter(is_top_priority=True).values_list("text", flat=True)
    assert [question for question in top if question not in text] == []


def test_pdf_of_a_typical_checklist_is_one_page(client, typical_checklist):
    reader = PdfReader(io.BytesIO(pdf_response(client, typical_checklist).content))

    assert len(reader.pages) == 1


def calendar_event(client, checklist):
    client.force_login(checklist.user)
    response = client.get(reverse("checklists:ics", args=[checklist.pk]))
    return response, Calendar.from_ical(response.content)


def test_calendar_file_is_text_calendar(client, sheet_checklist):
    response, _ = calendar_event(client, sheet_checklist)

    assert response["Content-Type"].split(";")[0] == "text/calendar"


def test_calendar_file_has_one_event(client, sheet_checklist):
    _, calendar = calendar_event(client, sheet_checklist)

    assert len(calendar.walk("VEVENT")) == 1


def test_calendar_event_starts_on_the_appointment_date(client, sheet_checklist):
    _, calendar = calendar_event(client, sheet_checklist)

    assert calendar.walk("VEVENT")[0]["DTSTART"].dt == sheet_checklist.appointment_date


def test_calendar_event_is_at_the_clinic(client, sheet_checklist):
    _, calendar = calendar_event(client, sheet_checklist)

    assert str(calendar.walk("VEVENT")[0]["LOCATION"]) == "Harbour Street Clinic"


def test_calendar_event_links_to_the_checklist(client, sheet_checklist):
    _, calendar = calendar_event(client, sheet_checklist)

    event = calendar.walk("VEVENT")[0]
    address = f"http://127.0.0.1:8000/checklists/{sheet_checklist.pk}/"
    assert str(event["URL"]) == address
    assert address in str(event["DESCRIPTION"])


def test_calendar_event_shows_none_of_the_questions(client, sheet_checklist):
    _, calendar = calendar_event(client, sheet_checklist)

    description = str(calendar.walk("VEVENT")[0]["DESCRIPTION"])
    assert [question for question in TOP_QUESTIONS if question in description] == []


# --- Sharing with the clinician ------------------------------------------------------------------


def share_page(client, checklist):
    return client.get(reverse("checklists:share", args=[checklist.pk]))


def new_share_url(client, checklist):
    """As the patient does it: create a link, then copy it from the share page."""
    client.force_login(checklist.user)
    client.post(reverse("checklists:share", args=[checklist.pk]))
    return share_url_from_page(share_page(client, checklist))


def test_creating_a_share_link_makes_one_link(client, sheet_checklist):
    client.force_login(sheet_checklist.user)

    response = client.post(reverse("checklists:share", args=[sheet_checklist.pk]))

    link = sheet_checklist.share_links.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#link-{link.pk}")


def test_share_token_has_at_least_128_bits(client, sheet_checklist):
    client.force_login(sheet_checklist.user)

    client.post(reverse("checklists:share", args=[sheet_checklist.pk]))

    # secrets.token_urlsafe(32): 32 random bytes, 43 base64 characters of 6 bits each.
    token = sheet_checklist.share_links.get().token
    assert len(token) >= 43
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_share_page_shows_the_link_to_copy(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    assert url == sharing.share_path(sheet_checklist.share_links.get())


def test_shared_sheet_opens_without_logging_in(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    response = Client().get(url)

    assert response.status_code == 200


def test_shared_sheet_shows_the_questions_and_summary(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    text = visible_text(Client().get(url).content.decode())

    questions = sheet_checklist.items.values_list("text", flat=True)
    assert [question for question in questions if question not in text] == []
    assert "Dizziness: 2×, worst 6/10" in text
    assert "PHQ-9: 5/27 (mild)" in text


def test_shared_sheet_asks_search_engines_not_to_index_it(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    response = Client().get(url)

    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_shared_sheet_has_no_link_to_the_patients_other_pages(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    page = parse(Client().get(url))

    private = [href for href in page.hrefs if href.startswith(("/journal/", "/checklists/"))]
    assert private == []


def test_shared_sheet_does_not_show_another_checklists_questions(client, sheet_checklist):
    other = ChecklistFactory(user=sheet_checklist.user, appointment_date=next_week())
    ChecklistItemFactory(checklist=other, text="A question only for the other appointment?")
    url = new_share_url(client, sheet_checklist)

    response = Client().get(url)

    assert "A question only for the other appointment?" not in response.content.decode()


def test_share_link_of_one_checklist_never_shows_the_other_checklists_items(client, patient):
    first = ChecklistFactory(user=patient)
    second = ChecklistFactory(user=patient, appointment_date=next_week())
    ChecklistItemFactory(checklist=first, text="Only on the first checklist?")
    ChecklistItemFactory(checklist=second, text="Only on the second checklist?")
    first_url = new_share_url(client, first)
    second_url = new_share_url(client, second)

    first_text = visible_text(Client().get(first_url).content.decode())
    second_text = visible_text(Client().get(second_url).content.decode())

    assert ("Only on the second checklist?" in first_text) is False
    assert ("Only on the first checklist?" in second_text) is False
    assert "Only on the first checklist?" in first_text
    assert "Only on the second checklist?" in second_text


def test_each_view_of_the_shared_sheet_is_logged(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    Client().get(url)

    assert ShareView.objects.filter(link__checklist=sheet_checklist).count() == 1


def test_a_head_request_to_a_share_link_is_not_counted_as_an_opening(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    Client().head(url)

    assert ShareView.objects.count() == 0


def test_an_options_request_to_a_share_link_is_not_counted_as_an_opening(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    Client().options(url)

    assert ShareView.objects.count() == 0


def test_an_options_request_to_a_share_link_gets_no_page(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    response = Client().options(url)

    assert response.content == b""


def test_an_options_request_to_a_share_link_is_told_only_get_and_head_are_allowed(
    client, sheet_checklist
):
    url = new_share_url(client, sheet_checklist)

    response = Client().options(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_post_to_a_share_link_is_told_only_get_and_head_are_allowed(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)

    response = Client(enforce_csrf_checks=True).post(url)

    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")


def test_patients_share_page_shows_how_often_the_link_was_opened(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)
    Client().get(url)
    Client().get(url)

    response = share_page(client, sheet_checklist)

    assert "Opened 2 times" in visible_text(response.content.decode())


def assert_unavailable(response):
    assert response.status_code == 404
    assert UNAVAILABLE in visible_text(response.content.decode())


def test_expired_link_is_not_available(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)
    sheet_checklist.share_links.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert_unavailable(Client().get(url))


def test_revoked_link_is_not_available(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)
    link = sheet_checklist.share_links.get()

    client.post(reverse("checklists:share_revoke", args=[sheet_checklist.pk, link.pk]))

    assert_unavailable(Client().get(url))


def test_unavailable_link_logs_no_view(client, sheet_checklist):
    url = new_share_url(client, sheet_checklist)
    sheet_checklist.share_links.update(revoked_at=timezone.now())

    Client().get(url)

    assert ShareView.objects.count() == 0


def _tamper(signed):
    """Change the last character of the signature."""
    return signed[:-1] + ("A" if signed[-1] != "A" else "B")


TOKEN_VARIANTS = {
    "tampered signature": lambda token: _tamper(sharing.SIGNER.sign(token)),
    "tampered token": lambda token: sharing.SIGNER.sign(token).replace(token, _tamper(token), 1),
    "signed with another salt": lambda token: signing.Signer(salt="another-salt").sign(token),
    "signed with another key": lambda token: signing.Signer(
        key="another-secret-key", salt="journal.share-link"
    ).sign(token),
    "not signed": lambda token: token,
    "unknown token": lambda token: sharing.SIGNER.sign(secrets.token_urlsafe(32)),
}


@pytest.mark.parametrize("variant", TOKEN_VARIANTS)
def test_wrong_token_is_not_available(client, sheet_checklist, variant):
    link = sharing.create_share_link(sheet_checklist)
    url = reverse("share", kwargs={"token": TOKEN_VARIANTS[variant](link.token)})

    assert_unavailable(Client().get(url))


def test_wrong_token_variants_really_differ_from_the_real_link(sheet_checklist):
    link = sharing.create_share_link(sheet_checklist)
    real = sharing.SIGNER.sign(link.token)

    assert all(make(link.token) != real for make in TOKEN_VARIANTS.values())


def test_another_patient_cannot_revoke_the_link(client, sheet_checklist, other_patient):
    link = sharing.create_share_link(sheet_checklist)
    client.force_login(other_patient)

    response = client.post(reverse("checklists:share_revoke", args=[sheet_checklist.pk, link.pk]))

    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_share_token_does_not_reach_the_logs(client, sheet_checklist, request_logs):
    link = sharing.create_share_link(sheet_checklist)
    link.revoked_at = timezone.now()
    link.save()
    signed = sharing.SIGNER.sign(link.token)

    Client().get(reverse("share", kwargs={"token": signed}))

    messages = [record.getMessage() for record in request_logs.records]
    assert [message for message in messages if link.token in message] == []


def test_not_found_warning_shows_the_share_path_hidden(client, sheet_checklist, request_logs):
    link = sharing.create_share_link(sheet_checklist)
    link.revoked_at = timezone.now()
    link.save()

    Client().get(sharing.share_path(link))

    not_found = [
        record.getMessage()
        for record in request_logs.records
        if record.name == "django.request" and record.getMessage().startswith("Not Found")
    ]
    assert not_found == ["Not Found: /share/[hidden]/"]
