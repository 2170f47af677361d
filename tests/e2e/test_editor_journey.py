"""Clinic staff in a real browser, as issue 13's "done when" tells it: an editor changes a
published FAQ answer and a section and submits; the public still reads the reviewed text; a
medical reviewer reads both changes in full and sends the section back with a comment; the
editor fixes it and resubmits; the reviewer approves, and the new text is public at once with
the reviewer's name, credentials and the review date."""

import base64
import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import EditorFactory, ReviewerFactory

PASSWORD = "a-long-test-password"  # UserFactory's password
ARTICLE = "/learn/iv-ketamine-for-adhd/"
QUESTION = "How effective is Ketamine in treating ADHD symptoms?"
OLD_ANSWER = "While some studies show promising results"
NEW_ANSWER = "Results differ from one person to the next; the research so far is small."
NEW_CONCLUSION = "Whether IV ketamine suits you is a decision to make with your clinician."
FIXED_CONCLUSION = (
    "No controlled trial has tested IV ketamine for ADHD; decide with your clinician."
)


def current_code(key):
    """What the staff member's authenticator app shows now."""
    return f"{totp(key):06d}"


def log_into_admin(page, base_url, user):
    """The password, then the code from the authenticator app the staff member set up."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app")
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_role("textbox", name="Code").fill(current_code(device.bin_key))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def set_up_two_factor_and_log_into_admin(page, base_url, user):
    """A first sign-in: the secret typed into an authenticator app, its first code confirmed."""
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    secret = page.locator(".two-factor-secret").inner_text()
    page.get_by_role("textbox", name="Code").fill(current_code(base64.b32decode(secret)))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".two-factor-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def open_change_form(page, base_url, list_name, link_name):
    page.goto(f"{base_url}/admin/")
    page.get_by_role("link", name=list_name, exact=True).click()
    page.get_by_role("table").get_by_role("link", name=link_name).click()


def change_conclusion(page, base_url, text):
    open_change_form(page, base_url, "Sections", "Conclusion")
    page.locator("#id_body_en").fill(text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Saved as a draft")


def submit_article(page, base_url):
    open_change_form(page, base_url, "Articles", "IV Ketamine for ADHD")
    page.get_by_role("button", name="Submit for medical review").click()
    expect(page.locator(".messagelist")).to_contain_text("Submitted for medical review.")


def open_review_screen(page, base_url):
    open_change_form(page, base_url, "Articles", "IV Ketamine for ADHD")
    page.get_by_role("link", name="Review changes").click()
    expect(page.get_by_role("heading", name="Changes since the published version")).to_be_visible()


def diff_versions(page, change):
    """(old, new) text of a change's word diff on the review screen, read back whole: the
    diff without its insertions, and without its deletions."""
    diff = page.get_by_role("article", name=change).locator("dd").first
    return diff.evaluate(
        """dd => ["ins", "del"].map(tag => {
            const copy = dd.cloneNode(true);
            copy.querySelectorAll(tag).forEach(element => element.remove());
            return copy.textContent;
        })"""
    )


def public_text(page, base_url, path):
    response = page.goto(f"{base_url}{path}")
    assert response.status == 200
    return page.get_by_role("main").inner_text()


@pytest.fixture
def public(browser):
    """A second browser with no session: what patients see."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def reviewer_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_a_change_reaches_patients_only_after_a_medical_reviewer_approves_it(
    seeded_live, page, reviewer_page, public
):
    base = seeded_live
    editor, reviewer = EditorFactory(), ReviewerFactory(username="rivera")

    # The editor changes the FAQ answer and the conclusion, then submits.
    log_into_admin(page, base, editor)
    open_change_form(page, base, "FAQs", QUESTION)
    page.locator("#id_answer_en").fill(NEW_ANSWER)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Saved as a draft")
    change_conclusion(page, base, NEW_CONCLUSION)
    submit_article(page, base)
    expect(page.locator(".publication-status")).to_contain_text(
        "Published — changes in review (2 changed items)"
    )

    # The public pages and the API still say what was reviewed.
    assert OLD_ANSWER in public_text(public, base, "/faq/")
    assert NEW_CONCLUSION not in public_text(public, base, ARTICLE)
    api = public.request.get(f"{base}/api/v1/faqs/").json()["results"]
    assert OLD_ANSWER in {faq["question"]: faq["answer_markdown"] for faq in api}[QUESTION]

    # The reviewer reads both changes in full and sends the section back.
    log_into_admin(reviewer_page, base, reviewer)
    open_review_screen(reviewer_page, base)
    faq_old, faq_new = diff_versions(reviewer_page, f"FAQ changed: {QUESTION}")
    assert faq_old.startswith(OLD_ANSWER) and faq_old.endswith("(#current-research).")
    assert faq_new == NEW_ANSWER
    conclusion_old, conclusion_new = diff_versions(reviewer_page, "Section changed: Conclusion")
    assert conclusion_old.rstrip().endswith("The National Institute of Mental Health.")
    assert conclusion_new == NEW_CONCLUSION
    assert serious_accessibility_violations(reviewer_page) == []
    reviewer_page.get_by_label("What needs to change").fill("Say that no trial has been done.")
    reviewer_page.get_by_role("checkbox", name="Section changed: Conclusion").check()
    reviewer_page.get_by_role("button", name="Send back").click()
    expect(reviewer_page.locator(".messagelist")).to_contain_text("Sent back to the editors")

    # The editor sees the comment, fixes the section and submits again.
    open_change_form(page, base, "Articles", "IV Ketamine for ADHD")
    status = page.locator(".publication-status")
    expect(status).to_contain_text("Published — changes sent back")
    expect(status).to_contain_text("Say that no trial has been done.")
    expect(status).to_contain_text("Section changed: Conclusion")
    change_conclusion(page, base, FIXED_CONCLUSION)
    submit_article(page, base)

    # The reviewer approves; the new text is public at once, with the review named.
    open_review_screen(reviewer_page, base)
    assert diff_versions(reviewer_page, "Section changed: Conclusion")[1] == FIXED_CONCLUSION
    reviewer_page.get_by_role("button", name="Approve and publish").click()
    expect(reviewer_page.locator(".messagelist")).to_contain_text(
        "Approved and published. Reviewed by Dr Rivera, MD, psychiatrist."
    )

    assert NEW_ANSWER in public_text(public, base, "/faq/")
    article = public_text(public, base, ARTICLE)
    assert FIXED_CONCLUSION in article
    today = timezone.localdate()
    assert f"Reviewed by Dr Rivera, MD, psychiatrist on {today.day} {today:%B %Y}" in article
    api = public.request.get(f"{base}/api/v1/faqs/").json()["results"]
    assert {faq["question"]: faq["answer_markdown"] for faq in api}[QUESTION] == NEW_ANSWER


def test_an_editor_previews_the_draft_with_a_banner_while_the_public_page_is_unchanged(
    seeded_live, page, public
):
    base = seeded_live
    set_up_two_factor_and_log_into_admin(page, base, EditorFactory())
    change_conclusion(page, base, NEW_CONCLUSION)
    open_change_form(page, base, "Articles", "IV Ketamine for ADHD")
    page.get_by_role("link", name="Preview draft").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Preview of the draft, not visible to patients"
    )
    expect(page.get_by_role("main")).to_contain_text(NEW_CONCLUSION)
    assert serious_accessibility_violations(page) == []

    assert NEW_CONCLUSION not in public_text(public, base, ARTICLE)
    assert re.search(r"Not yet medically reviewed", public_text(public, base, ARTICLE))
