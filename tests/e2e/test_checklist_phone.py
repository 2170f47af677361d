"""Checklists in fewer clicks on a phone (issue 16, point 6): a question added from /questions/,
one moved to the top in one click, and the "three already" message beside its question, with
axe finding nothing serious on /questions/ signed in or on the checklist with top questions."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, screenshot
from tests.e2e.test_accessibility import PASSWORD, log_in, problems_on, watch_csp
from tests.factories import ChecklistFactory, ChecklistItemFactory, UserFactory


def item_button(page, action, question):
    """A question's own button, e.g. "Move to top: <question>" (Chromium names it
    "Move to top : <question>", the question being in a visually hidden span)."""
    return page.get_by_role("button", name=re.compile(rf"^{action}\s*:\s*{re.escape(question)}$"))


def question_texts(page):
    return [text.strip() for text in page.locator("ol.checklist .item-text").all_inner_texts()]


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def patient_with_a_checklist(seeded_live):
    """A patient with next week's appointment holding four questions of their own."""
    user = UserFactory()
    checklist = ChecklistFactory(
        user=user, appointment_date=timezone.localdate() + datetime.timedelta(days=7)
    )
    for number in range(1, 5):
        ChecklistItemFactory(checklist=checklist, text=f"My question {number}?")
    return user, checklist


def test_a_patient_adds_a_question_moves_it_to_the_top_and_sees_the_refusal_beside_it(
    seeded_live, phone, patient_with_a_checklist
):
    base = seeded_live
    user, checklist = patient_with_a_checklist
    csp_messages = watch_csp(phone)
    log_in(phone, base, user.username, PASSWORD)
    problems = []

    # /questions/, signed in: each question has its own "Add to my checklist" button.
    phone.goto(f"{base}/questions/")
    problems += problems_on(phone, "questions-signed-in", csp_messages)
    picked = phone.locator("ul.questions li p").first.inner_text().strip()
    item_button(phone, "Add to my checklist", picked).click()
    expect(phone).to_have_url(f"{base}/questions/")
    expect(phone.get_by_role("status")).to_contain_text(
        f"“{picked}” is now on your checklist for {checklist}."
    )
    screenshot(phone, "checklist-question-added")
    phone.set_viewport_size(PHONE)

    # On the checklist it is last; "Move to top" puts it first in one click.
    phone.get_by_role("status").get_by_role("link", name=str(checklist)).click()
    assert question_texts(phone)[-1] == picked
    item_button(phone, "Move to top", picked).click()
    expect(phone.locator("ol.checklist .item-text").first).to_have_text(picked)

    # Three top questions; a fourth is refused beside its own question, in view and focused.
    for text in question_texts(phone)[:3]:
        item_button(phone, "Mark top", text).click()
        expect(item_button(phone, "Unmark top", text)).to_be_visible()
    fourth = "My question 4?"
    item_button(phone, "Mark top", fourth).click()
    fourth_item = phone.locator("li.checklist-item", has_text=fourth)
    refusal = fourth_item.get_by_role("alert")
    expect(refusal).to_have_text(
        "You already have three top questions. Unmark one first, then try again."
    )
    expect(refusal).to_be_focused()
    expect(refusal).to_be_in_viewport(ratio=1)
    expect(item_button(phone, "Mark top", fourth)).to_have_accessible_description(
        re.compile("three top questions")
    )
    expect(phone.locator(".messages")).to_have_count(0)
    screenshot(phone, "checklist-three-already")
    phone.set_viewport_size(PHONE)

    # The checklist with its top questions (Up/Down on the top-priority background).
    phone.goto(f"{base}{checklist.get_absolute_url()}")
    csp_messages.clear()
    problems += problems_on(phone, "checklist-with-top-questions", csp_messages)
    assert not problems, "\n".join(problems)


def test_without_an_upcoming_appointment_the_question_goes_to_a_new_checklist(seeded_live, phone):
    base = seeded_live
    user = UserFactory()
    log_in(phone, base, user.username, PASSWORD)

    phone.goto(f"{base}/questions/")
    picked = phone.locator("ul.questions li p").first.inner_text().strip()
    item_button(phone, "Add to my checklist", picked).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Start a checklist")
    expect(phone.get_by_role("main")).to_contain_text(picked)
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    phone.get_by_label("Appointment date").fill(next_week.isoformat())
    phone.get_by_role("button", name="Build my checklist").click()

    expect(phone.get_by_role("status")).to_contain_text(f"“{picked}” is on it.")
    assert picked in question_texts(phone)


def test_a_checklist_dated_last_year_is_refused_beside_the_date_on_a_phone(seeded_live, phone):
    base = seeded_live
    user = UserFactory()
    log_in(phone, base, user.username, PASSWORD)
    last_year = timezone.localdate() - datetime.timedelta(days=365)

    phone.goto(f"{base}/checklists/new/")
    phone.get_by_label("Appointment date").fill(last_year.isoformat())
    phone.get_by_role("button", name="Build my checklist").click()

    expect(phone.get_by_label("Appointment date")).to_have_accessible_description(
        re.compile("This date is before today")
    )
    phone.get_by_label("This is a record of a past visit").check()
    phone.get_by_role("button", name="Build my checklist").click()
    expect(phone.get_by_role("status")).to_contain_text("Your checklist is ready")
