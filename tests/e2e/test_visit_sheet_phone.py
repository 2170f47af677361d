"""The demo patient's visit-prep sheet on a 390 px phone (issue 16, point 7): no sideways
scrolling, the top questions and the infusions' changes on the first screens, a working Print
button, a Copy-link button that announces the copy, and no serious accessibility problem."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from journal.demo import create_demo_journal
from journal.models import Checklist
from journal.prep import sharing
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, serious_accessibility_violations
from tests.e2e.test_accessibility import PASSWORD, log_in
from tests.factories import ChecklistItemFactory, UserFactory


@pytest.fixture
def demo_checklist(seeded_live):
    user = UserFactory()
    create_demo_journal(user)
    return Checklist.objects.get(user=user)


@pytest.fixture
def phone(browser, seeded_live, demo_checklist):
    """A phone-sized page, signed in as the demo patient, allowed to use the clipboard."""
    context = browser.new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, seeded_live, demo_checklist.user.username, PASSWORD)
    yield page
    context.close()


def open_sheet(page, base_url, checklist):
    response = page.goto(f"{base_url}/checklists/{checklist.pk}/sheet/")
    assert response.status == 200


def sideways_overflow(page):
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_visit_sheet_does_not_scroll_sideways_at_390_px(phone, seeded_live, demo_checklist):
    open_sheet(phone, seeded_live, demo_checklist)

    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_shared_sheet_does_not_scroll_sideways_at_390_px(phone, seeded_live, demo_checklist):
    path = sharing.share_path(sharing.create_share_link(demo_checklist))

    phone.goto(seeded_live + path)

    assert sideways_overflow(phone) <= 0


def test_the_share_page_does_not_scroll_sideways_at_390_px(phone, seeded_live, demo_checklist):
    sharing.create_share_link(demo_checklist)

    phone.goto(f"{seeded_live}/checklists/{demo_checklist.pk}/share/")

    assert sideways_overflow(phone) <= 0


def test_the_first_screen_shows_the_top_questions_with_the_journal_after_them(
    phone, seeded_live, demo_checklist
):
    open_sheet(phone, seeded_live, demo_checklist)
    SCREENSHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "visit-sheet-390.png"))

    top = phone.get_by_role("heading", name="My top questions").bounding_box()
    journal = phone.get_by_role("heading", name="My journal since").bounding_box()
    assert top["y"] < PHONE["height"]
    assert top["y"] < journal["y"]


def test_the_first_screen_says_what_changed_since_the_last_infusion(
    phone, seeded_live, demo_checklist
):
    open_sheet(phone, seeded_live, demo_checklist)

    glance = phone.locator("#sheet-glance")
    assert "Since my infusion on" in glance.inner_text()
    box = glance.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]


def test_the_infusions_come_before_the_other_questions(phone, seeded_live, demo_checklist):
    open_sheet(phone, seeded_live, demo_checklist)

    infusion = phone.locator(".sheet-infusions tbody tr").first.bounding_box()
    other = phone.get_by_role("heading", name="Expected outcomes").bounding_box()
    assert infusion["y"] < other["y"]


def test_the_print_button_prints_the_sheet(phone, seeded_live, demo_checklist):
    open_sheet(phone, seeded_live, demo_checklist)
    phone.evaluate("window.print = () => { window.printed = true; }")

    phone.get_by_role("button", name="Print").click()

    assert phone.evaluate("window.printed") is True


def test_the_print_button_shows_on_screen_but_not_on_paper(phone, seeded_live, demo_checklist):
    open_sheet(phone, seeded_live, demo_checklist)
    button = phone.get_by_role("button", name="Print")
    expect(button).to_be_visible()

    phone.emulate_media(media="print")

    expect(button).to_be_hidden()


def test_the_copy_link_button_copies_the_link_and_says_so(phone, seeded_live, demo_checklist):
    sharing.create_share_link(demo_checklist)
    phone.goto(f"{seeded_live}/checklists/{demo_checklist.pk}/share/")
    link = phone.get_by_label("Link (copy it)").input_value()

    phone.get_by_role("button", name="Copy link").click()

    expect(phone.locator("#copy-status[aria-live=polite]")).to_have_text("Link copied")
    assert phone.evaluate("navigator.clipboard.readText()") == link


@pytest.mark.parametrize("where", ["sheet", "share page", "shared sheet"])
def test_the_sheet_pages_have_no_serious_accessibility_violation(
    phone, seeded_live, demo_checklist, where
):
    link = sharing.create_share_link(demo_checklist)
    path = {
        "sheet": f"/checklists/{demo_checklist.pk}/sheet/",
        "share page": f"/checklists/{demo_checklist.pk}/share/",
        "shared sheet": sharing.share_path(link),
    }[where]
    phone.goto(seeded_live + path)

    assert serious_accessibility_violations(phone) == []


LONG_LINK = "https://www.example.org/research/ketamine-adhd/" + "a1b2c3d4e5" * 8


@pytest.fixture
def long_question(demo_checklist):
    demo_checklist.patient_name = "Maria" + "x" * 140
    demo_checklist.save(update_fields=["patient_name"])
    return ChecklistItemFactory(
        checklist=demo_checklist, text=f"Is this study relevant {LONG_LINK}?"
    )


def test_a_long_link_in_a_question_wraps_on_the_checklist_at_390_px(
    phone, seeded_live, demo_checklist, long_question
):
    phone.goto(f"{seeded_live}/checklists/{demo_checklist.pk}/")

    assert sideways_overflow(phone) <= 0


def test_a_long_link_and_name_wrap_on_the_sheet_at_390_px(
    phone, seeded_live, demo_checklist, long_question
):
    open_sheet(phone, seeded_live, demo_checklist)

    assert sideways_overflow(phone) <= 0


def test_a_long_link_and_name_wrap_on_the_printed_sheet(
    browser, seeded_live, demo_checklist, long_question
):
    """Printed on A4 with the sheet's 12 mm margins: 186 mm, 703 px wide at 96 px an inch."""
    context = browser.new_context(viewport={"width": 703, "height": 1000})
    page = context.new_page()
    log_in(page, seeded_live, demo_checklist.user.username, PASSWORD)
    page.emulate_media(media="print")

    open_sheet(page, seeded_live, demo_checklist)

    assert sideways_overflow(page) <= 0
    context.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_demo_sheet_prints_on_one_page(browser, seeded_live, demo_checklist, paper):
    """Printed from the browser as the PDF download is made: one page, as the sheet promises."""
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, seeded_live, demo_checklist.user.username, PASSWORD)
    open_sheet(page, seeded_live, demo_checklist)

    printed = PdfReader(io.BytesIO(page.pdf(format=paper)))

    page.close()
    assert len(printed.pages) == 1
