"""The error summary at the top of every form a patient or visitor sends: what is wrong, each
problem a link to its field, and the focus on it when the page opens."""

from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.factories import ChecklistFactory
from tests.helpers import visible_text


class _Summary(HTMLParser):
    """The error summary of a page: its attributes, its text and the links in it."""

    def __init__(self):
        super().__init__()
        self.summaries = []  # attributes of each summary on the page
        self.links = []
        self.parts = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag not in {"br", "input", "img"}
            if tag == "a":
                self.links.append(attrs["href"])
            self.parts.append(self.get_starttag_text())
        elif "error-summary" in (attrs.get("class") or "").split():
            self.summaries.append(attrs)
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def summary_of(response):
    parser = _Summary()
    parser.feed(response.content.decode())
    parser.text = visible_text("".join(parser.parts))
    return parser


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def tomorrow():
    return (timezone.localdate() + timezone.timedelta(days=1)).isoformat()


def invalid_entry(client):
    return client.post(
        "/journal/entries/new/", {"date": tomorrow(), "focus": "11", "notes": "keep me"}
    )


def test_an_invalid_journal_entry_shows_one_error_summary(patient_client):
    assert len(summary_of(invalid_entry(patient_client)).summaries) == 1


def test_the_error_summary_is_an_alert(patient_client):
    assert summary_of(invalid_entry(patient_client)).summaries[0]["role"] == "alert"


def test_the_error_summary_takes_the_focus_without_javascript(patient_client):
    attrs = summary_of(invalid_entry(patient_client)).summaries[0]
    assert "autofocus" in attrs
    assert attrs["tabindex"] == "-1"


def test_the_error_summary_says_how_many_problems_there_are(patient_client):
    text = summary_of(invalid_entry(patient_client)).text
    assert text.startswith("There are 2 problems with what you entered")


def test_the_error_summary_says_one_problem_in_the_singular(patient_client):
    response = patient_client.post("/journal/entries/new/", {"date": tomorrow(), "focus": "6"})
    assert summary_of(response).text.startswith("There is 1 problem with what you entered")


def test_the_error_summary_links_to_each_field_with_a_problem(patient_client):
    assert summary_of(invalid_entry(patient_client)).links == ["#id_date", "#id_focus_0"]


def test_the_error_summary_names_the_field_and_its_problem(patient_client):
    text = summary_of(invalid_entry(patient_client)).text
    assert "Date: This can't be in the future." in text


def test_the_error_summary_lists_a_problem_of_the_whole_form(patient_client):
    response = patient_client.post("/journal/entries/new/", {"date": timezone.localdate()})
    assert "Fill in at least one rating, your sleep or a note." in summary_of(response).text


def test_a_problem_of_the_whole_form_is_shown_once(patient_client):
    response = patient_client.post("/journal/entries/new/", {"date": timezone.localdate()})
    assert response.content.decode().count("Fill in at least one rating") == 1


def test_a_refused_sleep_value_is_not_also_called_nothing_filled_in(patient_client):
    response = patient_client.post(
        "/journal/entries/new/", {"date": timezone.localdate(), "sleep_hours": "7,5"}
    )

    assert summary_of(response).text.startswith("There is 1 problem with what you entered")
    assert "Fill in at least one rating" not in response.content.decode()


def test_a_refused_sleep_value_keeps_its_own_message(patient_client):
    response = patient_client.post(
        "/journal/entries/new/", {"date": timezone.localdate(), "sleep_hours": "7,5"}
    )

    assert "Sleep (hours): Enter a number." in summary_of(response).text


def test_each_field_error_stays_beside_its_field_too(patient_client):
    html = invalid_entry(patient_client).content.decode()
    assert 'id="id_focus_error"' in html


def test_a_form_without_problems_has_no_error_summary(patient_client):
    assert summary_of(patient_client.get("/journal/entries/new/")).summaries == []


def test_a_question_left_unanswered_links_to_its_first_answer(patient_client):
    response = patient_client.post("/journal/questionnaires/new/phq9/", {"item_1": "0"})
    assert summary_of(response).links[0] == "#id_item_2_0"


def test_the_quick_entry_shows_the_error_summary(patient_client):
    response = patient_client.post("/journal/", {"date": tomorrow(), "notes": "keep me"})
    assert summary_of(response).links == ["#id_date"]


def test_adding_an_empty_own_question_shows_the_error_summary(patient_client, patient):
    checklist = ChecklistFactory(user=patient)
    response = patient_client.post(f"/checklists/{checklist.pk}/questions/new/", {"text": ""})
    assert summary_of(response).links == ["#id_text"]


def test_a_checklist_without_a_date_shows_the_error_summary(patient_client):
    response = patient_client.post("/checklists/new/", {"clinician": "Dr Rivera"})
    assert "#id_appointment_date" in summary_of(response).links


@pytest.mark.parametrize(
    ("path", "data", "anchor"),
    [
        ("/accounts/signup/", {"username": "", "password1": "x", "password2": "y"}, "#id_username"),
        ("/accounts/password_reset/", {"email": "not an address"}, "#id_email"),
    ],
    ids=["sign-up", "password reset"],
)
def test_a_visitors_form_shows_the_error_summary(client, db, path, data, anchor):
    assert anchor in summary_of(client.post(path, data)).links


def test_a_failed_login_shows_the_error_summary(client, patient):
    response = client.post("/accounts/login/", {"username": patient.username, "password": "no"})
    assert "Please enter a correct username and password" in summary_of(response).text


@pytest.mark.parametrize(
    ("path", "data", "anchor"),
    [
        ("/accounts/password_change/", {"old_password": "wrong"}, "#id_old_password"),
        ("/accounts/settings/", {"email": "not an address"}, "#id_email"),
        ("/accounts/delete/", {"password": "wrong"}, "#id_password"),
    ],
    ids=["password change", "account settings", "delete account"],
)
def test_a_patients_account_form_shows_the_error_summary(patient_client, path, data, anchor):
    assert anchor in summary_of(patient_client.post(path, data)).links
