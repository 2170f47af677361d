"""ADHD-friendly reading on a phone (390 px), in a real browser: the Key points box at the top of
a long section, focus mode moved through by keyboard alone, and the "When to get help now" box
of every side effect; axe finds no serious or critical violation on these pages (issue 16,
points 3 and 9)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, screenshot, serious_accessibility_violations

ARTICLE = "/learn/iv-ketamine-for-adhd/"
FOCUS = f"{ARTICLE}focus/what-is-iv-ketamine/"


@pytest.fixture
def phone(browser):
    """A fresh browser context (no cookies) with a 390 px phone viewport."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def tab_to(page, target, presses=150):
    """Press Tab until the target has the keyboard focus, as a keyboard user does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target}")


def test_a_long_section_opens_with_its_key_points_on_a_phone(seeded_live, phone):
    phone.goto(seeded_live + ARTICLE)
    section = phone.locator('section[aria-labelledby="what-is-iv-ketamine"]')

    box = section.get_by_role("note", name="Key points")

    expect(box).to_be_visible()
    expect(box).to_contain_text("originally developed in the 1960s")


def test_a_reader_goes_through_the_sections_one_at_a_time_by_keyboard(seeded_live, phone):
    phone.goto(seeded_live + ARTICLE)
    start = phone.get_by_role("link", name="Read one section at a time")
    tab_to(phone, start)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Introduction")

    next_link = phone.get_by_role("link", name="Next: What is IV Ketamine?")
    tab_to(phone, next_link)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("What is IV Ketamine?")
    expect(phone.get_by_role("note", name="Key points")).to_be_visible()

    previous_link = phone.get_by_role("link", name="Previous: Introduction")
    tab_to(phone, previous_link)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Introduction")


def test_every_side_effect_shows_when_to_get_help_now_on_a_phone(seeded_live, phone):
    phone.goto(seeded_live + "/side-effects/")

    boxes = phone.get_by_role("note", name="When to get help now")

    expect(boxes).to_have_count(4)
    for box in boxes.all():
        expect(box).to_be_visible()
        expect(box).to_contain_text("emergency number")


def test_focus_mode_needs_no_sideways_scrolling_on_a_phone(seeded_live, phone):
    phone.goto(seeded_live + FOCUS)

    width = phone.evaluate("document.documentElement.scrollWidth")

    assert width <= PHONE["width"]


@pytest.mark.parametrize(
    ("name", "path"),
    [("article", ARTICLE), ("focus-mode", FOCUS), ("side-effects", "/side-effects/")],
)
def test_the_reading_pages_have_no_serious_accessibility_violation_on_a_phone(
    seeded_live, phone, name, path
):
    phone.goto(seeded_live + path)

    problems = serious_accessibility_violations(phone)
    screenshot(phone, f"reading-{name}")

    assert problems == []
