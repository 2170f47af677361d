"""Clinic staff in a real browser: an editor changes an FAQ in the admin and sees it everywhere;
a medical reviewer publishes a draft article with the admin action."""

import re

import pytest
from playwright.sync_api import expect

from education.models import Status
from education.roles import ensure_medical_reviewers_group
from tests.factories import ArticleFactory, EditorFactory, SectionFactory, UserFactory

PASSWORD = "a-long-test-password"  # UserFactory's password, kept by EditorFactory
ARTICLE = "/learn/iv-ketamine-for-adhd/"
QUESTION = "How effective is Ketamine in treating ADHD symptoms?"
NEW_ANSWER = "Results differ from one person to the next; the research so far is small."


def log_into_admin(page, base_url, user):
    page.goto(f"{base_url}/admin/")
    expect(page).to_have_url(f"{base_url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


@pytest.fixture
def logged_out(browser):
    """A second browser context with no session: what the public sees."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_an_editor_changes_an_faq_answer_and_it_shows_on_the_site_and_in_the_api(
    seeded_live, page, logged_out
):
    base = seeded_live
    editor = EditorFactory()
    log_into_admin(page, base, editor)

    # FAQs list, then the FAQ's change form.
    page.get_by_role("link", name="FAQs", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Select FAQ to change")
    results = page.get_by_role("table")
    results.get_by_role("link", name=QUESTION).click()
    answer = page.get_by_label("Answer")
    expect(answer).to_contain_text("While some studies show promising results")
    answer.fill(NEW_ANSWER)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # "View on site" from the change form opens the article (the FAQ's section) for staff.
    results.get_by_role("link", name=QUESTION).click()
    page.get_by_role("link", name="View on site").click()
    expect(page).to_have_url(f"{base}{ARTICLE}#faq")
    expect(page.get_by_role("main")).to_contain_text(NEW_ANSWER)
    expect(page.get_by_role("link", name="Edit content (staff)")).to_be_visible()

    # The public FAQ page and the public API have the new answer too.
    response = logged_out.goto(f"{base}/faq/")
    assert response.status == 200
    faq = logged_out.get_by_role("main")
    expect(faq).to_contain_text(QUESTION)
    expect(faq).to_contain_text(NEW_ANSWER)
    expect(faq).not_to_contain_text("While some studies show promising results")

    api = logged_out.request.get(f"{base}/api/v1/faqs/")
    assert api.ok
    assert api.headers["content-type"].startswith("application/json")
    body = api.json()
    faqs = body["results"] if isinstance(body, dict) else body
    answers = {item["question"]: item["answer_markdown"] for item in faqs}
    assert answers[QUESTION] == NEW_ANSWER


def test_a_medical_reviewer_publishes_a_draft_with_the_admin_action(seeded_live, page, logged_out):
    base = seeded_live
    draft = ArticleFactory(
        title="Ketamine and sleep", slug="ketamine-and-sleep", status=Status.DRAFT
    )
    SectionFactory(article=draft, heading="What we know", body="Sleep can change for a day.")
    url = f"{base}/learn/ketamine-and-sleep/"

    # The public cannot see a draft.
    response = logged_out.goto(url)
    assert response.status == 404
    expect(logged_out.get_by_role("heading", level=1)).to_have_text("Page not found")

    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(ensure_medical_reviewers_group())
    log_into_admin(page, base, reviewer)

    page.goto(f"{base}/admin/education/article/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Select article to change")
    page.get_by_role("checkbox", name="Ketamine and sleep").check()
    action = page.get_by_role("combobox", name=re.compile(r"^Action"))
    action.select_option(label="Publish after medical review")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published, reviewed by you on")
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED

    # Now the public sees it, with the review line.
    response = logged_out.goto(url)
    assert response.status == 200
    expect(logged_out.get_by_role("heading", level=1)).to_have_text("Ketamine and sleep")
    expect(logged_out.get_by_role("main")).to_contain_text("Last reviewed")
    expect(logged_out.get_by_role("main")).to_contain_text(reviewer.username)
    expect(logged_out.get_by_role("heading", name="What we know")).to_be_visible()
