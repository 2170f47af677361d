"""The dashboard on a phone (390 x 844): the answer to "how am I doing" on the first screen, the
journal menu collapsed with the current page marked, and no serious accessibility violation."""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.conftest import PHONE, SCREENSHOTS, serious_accessibility_violations
from tests.e2e.test_accessibility import log_in
from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    UserFactory,
)

PASSWORD = "a-long-test-password"  # what UserFactory sets


def patient_with_data():
    """Twelve check-ins in the last 30 days (today's included), an infusion ten days ago, a very
    high reading yesterday and an appointment in five days with two top questions."""
    user = UserFactory()
    today = timezone.localdate()
    for days_ago in range(0, 24, 2):
        JournalEntryFactory(user=user, date=today - datetime.timedelta(days=days_ago))
    InfusionSessionFactory(user=user, date=today - datetime.timedelta(days=10))
    BloodPressureReadingFactory(
        user=user,
        systolic=185,
        diastolic=122,
        measured_at=timezone.now() - datetime.timedelta(days=1),
    )
    checklist = ChecklistFactory(user=user, appointment_date=today + datetime.timedelta(days=5))
    ChecklistItemFactory(checklist=checklist, is_top_priority=True, text="Is my dose right?")
    ChecklistItemFactory(checklist=checklist, is_top_priority=True, text="Why is my BP high?")
    ChecklistItemFactory(checklist=checklist)
    return user


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def dashboard_on_phone(transactional_db, live_server, phone):
    user = patient_with_data()
    log_in(phone, live_server.url, user.username, PASSWORD)
    return phone


def bottom(locator):
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_the_glance_is_on_the_phones_first_screen(dashboard_on_phone):
    page = dashboard_on_phone
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-390.png"))

    for selector in ("#latest-safety-flag", "#days-logged", "#next-appointment"):
        assert bottom(page.locator(selector)) <= PHONE["height"], selector
    assert bottom(page.get_by_role("heading", name="Today's check-in")) <= PHONE["height"]


def test_the_glance_says_how_the_patient_is_doing(dashboard_on_phone):
    page = dashboard_on_phone

    assert "185/122 mmHg" in page.locator("#latest-safety-flag").inner_text()
    assert page.locator("#days-logged").inner_text() == "You logged 12 of the last 30 days."
    assert "Is my dose right?" in page.locator("#next-appointment").inner_text()


def test_the_check_in_form_edits_todays_check_in(dashboard_on_phone):
    page = dashboard_on_phone

    assert page.get_by_role("textbox", name="Notes").input_value() == "A day like any other."


def test_the_journal_menu_is_collapsed_on_the_phone(dashboard_on_phone):
    page = dashboard_on_phone
    menu = page.get_by_role("navigation", name="Journal")

    assert menu.get_by_role("link", name="Entries").is_hidden()
    menu.get_by_text("Journal menu").click()
    assert menu.get_by_role("link", name="Entries").is_visible()


def test_the_journal_menu_marks_the_current_page(dashboard_on_phone):
    menu = dashboard_on_phone.get_by_role("navigation", name="Journal")

    assert menu.locator('[aria-current="page"]').all_text_contents() == ["Dashboard"]


def test_the_dashboard_on_a_phone_has_no_serious_accessibility_violation(dashboard_on_phone):
    page = dashboard_on_phone
    page.get_by_role("navigation", name="Journal").get_by_text("Journal menu").click()

    assert serious_accessibility_violations(page) == []
