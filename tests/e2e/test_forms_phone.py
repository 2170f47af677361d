"""Forms on a phone (390 px, touch): an entry sent with a problem opens on the error summary, whose
links lead to the fields, with everything typed kept; ratings are chosen with one tap; every
control is at least 44 px; axe finds nothing serious."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import JournalEntry
from tests.e2e.conftest import PHONE, SCREENSHOTS, serious_accessibility_violations
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"  # UserFactory's password
NOTES = "Slept badly, long day at work."
# What a patient taps or types into on the entry form (the native radio buttons sit under their
# labels, which are the targets).
CONTROLS = (
    "form.record-form :is(button, .btn, select, textarea, .rating-choice,"
    " input:not([type=hidden]):not([type=radio]):not([type=checkbox]))"
)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def patient_on_phone(seeded_live, phone):
    user = UserFactory()
    phone.goto(f"{seeded_live}/accounts/login/")
    phone.get_by_label("Username").fill(user.username)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("main").get_by_role("button", name="Log in").click()
    phone.wait_for_url(f"{seeded_live}/journal/")
    return user, phone, seeded_live


def rating(page, name, number):
    group = page.get_by_role("group", name=name, exact=True)
    return group.get_by_label(str(number), exact=True)


def send_an_entry_dated_tomorrow(page, base):
    """An entry with a mood tapped and notes typed, but tomorrow's date."""
    page.goto(f"{base}/journal/entries/new/")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Date").fill(tomorrow.isoformat())
    rating(page, "Mood", 3).tap()
    page.get_by_label("Notes").fill(NOTES)
    page.get_by_role("button", name="Save").tap()
    page.get_by_role("alert").wait_for()


def test_an_entry_sent_with_a_problem_opens_with_the_focus_on_the_error_summary(
    patient_on_phone,
):
    _, page, base = patient_on_phone
    send_an_entry_dated_tomorrow(page, base)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is 1 problem with what you entered")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "form-error-summary-phone.png"))


def test_the_error_summarys_link_takes_the_focus_to_the_field(patient_on_phone):
    _, page, base = patient_on_phone
    send_an_entry_dated_tomorrow(page, base)
    page.get_by_role("alert").get_by_role("link", name="Date: This can't be in the future.").tap()
    expect(page.get_by_label("Date")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "id_date"


def test_an_entry_sent_with_a_problem_keeps_what_was_typed_and_tapped(patient_on_phone):
    _, page, base = patient_on_phone
    send_an_entry_dated_tomorrow(page, base)
    expect(page.get_by_label("Notes")).to_have_value(NOTES)
    expect(rating(page, "Mood", 3)).to_be_checked()


def test_a_rating_is_chosen_with_one_tap_and_saved(patient_on_phone):
    user, page, base = patient_on_phone
    page.goto(f"{base}/journal/entries/new/")
    rating(page, "Focus", 8).tap()
    expect(rating(page, "Focus", 8)).to_be_checked()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "form-ratings-phone.png"), full_page=True)
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("status")).to_contain_text("Saved for")
    assert JournalEntry.objects.get(user=user).focus == 8


def test_the_ratings_fit_the_phone_without_sideways_scrolling(patient_on_phone):
    _, page, base = patient_on_phone
    page.goto(f"{base}/journal/entries/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_every_control_of_the_entry_form_is_at_least_44_px(patient_on_phone):
    _, page, base = patient_on_phone
    send_an_entry_dated_tomorrow(page, base)
    controls = page.locator(f"{CONTROLS}, .error-summary a")
    sizes = {
        control.evaluate("el => el.id || el.htmlFor || el.textContent.trim()"): (
            control.bounding_box()
        )
        for control in controls.all()
    }
    assert len(sizes) > 20
    too_small = {
        name: (round(box["width"]), round(box["height"]))
        for name, box in sizes.items()
        if box["width"] < 44 or box["height"] < 44
    }
    assert too_small == {}


def test_the_entry_form_with_its_error_summary_has_no_serious_accessibility_violation(
    patient_on_phone,
):
    _, page, base = patient_on_phone
    send_an_entry_dated_tomorrow(page, base)
    assert serious_accessibility_violations(page) == []


def test_the_quick_entry_has_no_serious_accessibility_violation(patient_on_phone):
    _, page, base = patient_on_phone
    page.goto(f"{base}/journal/")
    assert serious_accessibility_violations(page) == []


def test_article_feedback_without_an_answer_opens_at_the_form_with_the_comment_kept(
    seeded_live, phone
):
    phone.goto(f"{seeded_live}/learn/iv-ketamine-for-adhd/")
    phone.get_by_label("What could be better?").fill("More on costs, please.")
    phone.get_by_role("button", name="Send").tap()
    expect(phone.get_by_role("alert")).to_be_focused()
    expect(phone.get_by_role("alert")).to_contain_text("Choose Yes or No.")
    expect(phone.get_by_label("What could be better?")).to_have_value("More on costs, please.")
    assert phone.evaluate("window.scrollY") < PHONE["height"]
    assert serious_accessibility_violations(phone) == []
