"""Local times on a phone: sign-up preselects the browser's own time zone, works without
JavaScript (the clinic's zone), and My account changes it; both pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, SCREENSHOTS, serious_accessibility_violations

PASSWORD = "Sleepy-tortoise-42"
NEW_YORK = "America/New_York"


@pytest.fixture
def phone_in_new_york(browser):
    """A phone-sized page whose browser believes it is in New York."""
    context = browser.new_context(viewport=PHONE, timezone_id=NEW_YORK)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_without_javascript(browser):
    context = browser.new_context(viewport=PHONE, timezone_id=NEW_YORK, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_sign_up_preselects_the_browsers_time_zone(phone_in_new_york, seeded_live):
    page = phone_in_new_york
    page.goto(f"{seeded_live}/accounts/signup/")

    expect(page.get_by_label("Time zone")).to_have_value(NEW_YORK)


def test_sign_up_without_javascript_preselects_the_clinics_time_zone(
    phone_without_javascript, seeded_live, settings
):
    page = phone_without_javascript
    page.goto(f"{seeded_live}/accounts/signup/")

    expect(page.get_by_label("Time zone")).to_have_value(settings.TIME_ZONE)


def test_the_time_zone_list_is_a_big_enough_target_on_a_phone(phone_in_new_york, seeded_live):
    page = phone_in_new_york
    page.goto(f"{seeded_live}/accounts/signup/")

    assert page.get_by_label("Time zone").bounding_box()["height"] >= 44


def test_a_patient_signs_up_in_new_york_and_changes_the_zone_in_my_account(
    phone_in_new_york, seeded_live
):
    page = phone_in_new_york
    page.goto(f"{seeded_live}/accounts/signup/")
    assert serious_accessibility_violations(page) == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "signup-time-zone-phone.png"), full_page=True)
    page.get_by_label("Username").fill("river")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)  # not the confirmation
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{seeded_live}/journal/")

    page.goto(f"{seeded_live}/accounts/settings/")
    time_zone = page.get_by_label("Time zone")
    expect(time_zone).to_have_value(NEW_YORK)
    assert serious_accessibility_violations(page) == []
    time_zone.select_option("Europe/Lisbon")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    page.screenshot(path=str(SCREENSHOTS / "account-settings-time-zone-phone.png"), full_page=True)
