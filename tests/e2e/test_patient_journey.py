"""A patient's journey in a real browser, from signing up to revoking a share link."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import UserFactory

PASSWORD = "Long-enough-passphrase-42"


def question_texts(page):
    """The checklist's questions, in their order on the page."""
    return [text.strip() for text in page.locator("ol.checklist .item-text").all_inner_texts()]


def item_button(page, action, question):
    """A question's own button, e.g. "Down: <question>" (its accessible name is
    "Down : <question>" in Chromium, as the question is in a visually hidden span)."""
    return page.get_by_role("button", name=re.compile(rf"^{action}\s*:\s*{re.escape(question)}$"))


def rate(form, name, number):
    """Choose a number on a rating's row of buttons."""
    form.get_by_role("group", name=name, exact=True).get_by_label(str(number), exact=True).check()


def test_a_patient_signs_up_logs_entries_sees_a_safety_message_prepares_and_shares_a_checklist(
    seeded_live, page, browser
):
    base = seeded_live
    today = timezone.localdate()

    # Sign up: the new patient lands on their journal.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill("river")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)  # not the confirmation
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{base}/journal/")
    expect(page.get_by_role("status")).to_contain_text("Welcome! Your journal is ready.")
    expect(page.get_by_role("heading", level=1, name="My journal")).to_be_visible()

    # Two quick entries: today (the date field's default), then yesterday.
    quick_entry = page.get_by_role("region", name="Today's check-in")
    expect(quick_entry.get_by_label("Date")).to_have_value(today.isoformat())
    rate(quick_entry, "Focus", 6)
    rate(quick_entry, "Mood", 7)
    quick_entry.get_by_label("Sleep (hours)").fill("7.5")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_contain_text(f"Saved for {today.day} {today:%b %Y}.")

    yesterday = today - datetime.timedelta(days=1)
    quick_entry.get_by_label("Date").fill(yesterday.isoformat())
    rate(quick_entry, "Focus", 4)
    rate(quick_entry, "Anxiety", 6)
    quick_entry.get_by_label("Notes").fill("Hard to settle in the evening.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Saved for {yesterday.day} {yesterday:%b %Y}."
    )
    recent_entries = page.get_by_role("link", name=re.compile(r"^Journal entry, "))
    expect(recent_entries).to_have_text(
        [f"Journal entry, {today:%d %b %Y}", f"Journal entry, {yesterday:%d %b %Y}"]
    )
    screenshot(page, "journey-dashboard")

    # A very high blood-pressure reading brings up the urgent safety message.
    log_more = page.get_by_role("region", name="Log something else")
    log_more.get_by_role("link", name="Blood pressure").click()
    expect(page).to_have_url(f"{base}/journal/blood-pressure/new/")
    page.get_by_label("Systolic").fill("185")
    page.get_by_label("Diastolic").fill("122")
    page.get_by_role("button", name="Save", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This reading is very high. Sit quietly for 5 minutes")
    expect(alert).to_contain_text("contact your provider now")

    # A checklist for next week's appointment.
    next_week = today + datetime.timedelta(days=7)
    page.goto(f"{base}/checklists/new/")
    page.get_by_label("Appointment date").fill(next_week.isoformat())
    page.get_by_label("Clinician").fill("Dr Rivera")
    page.get_by_label("Reason for the visit").fill("Check-up after the third infusion")
    page.get_by_role("button", name="Build my checklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Appointment with Dr Rivera, {next_week:%d %b %Y}"
    )
    expect(page.get_by_role("status")).to_contain_text("Your checklist is ready with")
    checklist_url = page.url
    questions = question_texts(page)
    assert len(questions) >= 4, questions
    assert any("blood pressure was high" in text for text in questions), questions

    # Move the first question down one place.
    first, second = questions[0], questions[1]
    item_button(page, "Down", first).click()
    expect(page.locator("ol.checklist .item-text").nth(1)).to_have_text(first)
    assert question_texts(page)[:2] == [second, first]

    # Mark three questions as top priority.
    top = [second, first, question_texts(page)[2]]
    for text in top:
        item_button(page, "Mark top", text).click()
        expect(item_button(page, "Unmark top", text)).to_be_visible()
    expect(page.get_by_text("Top priority", exact=True)).to_have_count(3)
    screenshot(page, "journey-checklist")

    # The visit-prep sheet, as printed: the top questions show, the site header does not.
    page.get_by_role("link", name="Visit-prep sheet (print)").click()
    expect(page).to_have_url(f"{checklist_url}sheet/")
    site_header = page.get_by_role("banner")
    expect(site_header).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Download PDF")).to_be_hidden()
    top_section = page.get_by_role("region", name="My top questions")
    expect(top_section).to_be_visible()
    expect(top_section.get_by_role("listitem")).to_contain_text(top)
    page.emulate_media(media="screen")

    # Share with the clinician: create a link and read it from the read-only field.
    page.goto(checklist_url)
    page.get_by_role("link", name="Share with my clinician").click()
    page.get_by_role("button", name="Create a share link").click()
    expect(page.get_by_role("status")).to_contain_text("A new share link is ready.")
    link_field = page.get_by_label("Link (copy it)")
    expect(link_field).not_to_be_editable()
    share_url = link_field.input_value()
    assert re.fullmatch(rf"{re.escape(base)}/share/[^/]+/", share_url), share_url
    screenshot(page, "journey-share")

    # Anyone with the link, logged out, sees the questions.
    clinician = browser.new_context()
    try:
        clinician_page = clinician.new_page()
        response = clinician_page.goto(share_url)
        assert response.status == 200
        expect(clinician_page.get_by_role("heading", level=1)).to_contain_text("Visit prep:")
        shared_top = clinician_page.get_by_role("region", name="My top questions")
        expect(shared_top.get_by_role("listitem")).to_contain_text(top)
        expect(clinician_page.get_by_role("button", name="Log out")).to_have_count(0)

        # The patient sees the visit and revokes the link; it stops working at once.
        page.reload()
        expect(page.get_by_text("Opened 1 time")).to_be_visible()
        page.get_by_role("button", name="Revoke this link").click()
        expect(page.get_by_role("status")).to_contain_text("The link is revoked.")
        expect(page.get_by_label("Link (copy it)")).to_have_count(0)

        response = clinician_page.reload()
        assert response.status == 404
        expect(clinician_page.get_by_role("heading", level=1)).to_have_text(
            "This link is not available"
        )
        expect(clinician_page.get_by_text(top[0])).to_have_count(0)
    finally:
        clinician.close()


def test_the_quick_entry_form_works_with_the_keyboard_alone(seeded_live, page):
    user = UserFactory()
    page.goto(f"{seeded_live}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(f"{seeded_live}/journal/")

    # From the top of the page: the skip link comes first and jumps to the main content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # Tab on (past the journal's own links) to the date field, which holds today's date.
    quick_entry = page.get_by_role("region", name="Today's check-in")
    date = quick_entry.get_by_label("Date")
    for _ in range(20):
        page.keyboard.press("Tab")
        if date.evaluate("field => field === document.activeElement"):
            break
    expect(date).to_be_focused()
    expect(date).to_have_value(timezone.localdate().isoformat())

    # Leave the date as it is; Tab out of it (through its day, month and year parts) to the
    # first rating, whose checked button ("Not rated") takes the focus.
    focus = quick_entry.get_by_role("group", name="Focus", exact=True).get_by_label("Not rated")
    for _ in range(4):
        page.keyboard.press("Tab")
        if focus.evaluate("field => field === document.activeElement"):
            break
    expect(focus).to_be_focused()

    # Each rating is a row of radio buttons: the arrow keys choose (from "Not rated", the last,
    # on round to 0, 1, ...), Tab goes on to the next rating.
    for name, number in [("Focus", 7), ("Mood", 8), ("Hyperactivity", 3), ("Impulsivity", 2),
                         ("Anxiety", 4)]:  # fmt: skip
        group = quick_entry.get_by_role("group", name=name, exact=True)
        expect(group.get_by_label("Not rated")).to_be_focused()
        for _ in range(number + 1):
            page.keyboard.press("ArrowRight")
        expect(group.get_by_label(str(number), exact=True)).to_be_checked()
        page.keyboard.press("Tab")

    for label, value in [("Sleep (hours)", "6.5"), ("Notes", "Typed without a mouse.")]:
        field = quick_entry.get_by_label(label)
        expect(field).to_be_focused()
        page.keyboard.type(value)
        page.keyboard.press("Tab")

    submit = page.get_by_role("button", name="Save check-in")
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Saved for ")
    page.get_by_role("link", name=f"Journal entry, {timezone.localdate():%d %b %Y}").wait_for()
    entry = user.journalentry_set.get()
    assert (entry.focus, entry.mood, entry.hyperactivity, entry.impulsivity, entry.anxiety) == (
        7,
        8,
        3,
        2,
        4,
    )
    assert str(entry.sleep_hours) == "6.5"
    assert entry.notes == "Typed without a mouse."
