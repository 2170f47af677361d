"""Safety first on a phone (390 x 844): a crisis-range or a low reading's message comes before
the saved notice and the journal menu, on the first screen, and takes the focus."""

import pytest

from tests.e2e.conftest import PHONE, serious_accessibility_violations
from tests.e2e.test_accessibility import log_in
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"  # what UserFactory sets


@pytest.fixture
def phone(browser, transactional_db, live_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, UserFactory().username, PASSWORD)
    yield page, live_server.url
    context.close()


def save_reading(page, base, systolic, diastolic):
    page.goto(f"{base}/journal/blood-pressure/new/")
    page.get_by_label("Systolic").fill(str(systolic))
    page.get_by_label("Diastolic").fill(str(diastolic))
    page.get_by_role("button", name="Save", exact=True).click()


def top(locator):
    return locator.bounding_box()["y"]


def test_a_crisis_reading_message_comes_first_and_takes_the_focus(phone):
    page, base = phone
    save_reading(page, base, 185, 122)

    alert = page.locator(".safety")
    assert "This reading is very high" in alert.inner_text()
    assert top(alert) < top(page.get_by_role("status")) < PHONE["height"]
    assert top(alert) < top(page.locator(".journal-nav"))
    assert page.evaluate("document.activeElement.classList.contains('safety')")


def test_a_low_reading_has_its_own_message_first_with_the_focus(phone):
    page, base = phone
    save_reading(page, base, 70, 40)

    alert = page.locator(".safety")
    assert "This reading is low. Sit or lie down" in alert.inner_text()
    assert top(alert) < top(page.get_by_role("status"))
    assert page.evaluate("document.activeElement.classList.contains('safety')")


def test_the_safety_message_page_has_no_serious_accessibility_violation(phone):
    page, base = phone
    save_reading(page, base, 185, 122)

    assert serious_accessibility_violations(page) == []
