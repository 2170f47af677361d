"""Real-browser tests: Playwright drives Debian's chromium against Django's live server.

Without chromium a local run skips them (the report header says so in one line); in CI
(CI=true) a missing browser is a failure, never a skip.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from education.loader import load_seed

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SKIP_REASON = (
    "chromium not found: browser tests skipped (install it with: apt-get install -y chromium)"
)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_terminal_summary(terminalreporter):
    """One clear line at the end of the run (also with -q) when the browser tests were skipped."""
    if not HAVE_CHROMIUM and not IN_CI:
        terminalreporter.write_line(SKIP_REASON)


@pytest.fixture(scope="session")
def browser():
    if not HAVE_CHROMIUM:
        if IN_CI:
            pytest.fail(f"CI needs chromium for the browser tests ({CHROMIUM} is missing)")
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, where Django refuses ORM calls
    # unless told otherwise. (The production-settings tests drop it from their subprocesses.)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) with a desktop-sized page."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def seeded_live(transactional_db, live_server):
    """The clinic's article in the live server's database; returns the server's base URL."""
    load_seed(settings.SEED_CONTENT_FILE)
    return live_server.url


def screenshot(page, name):
    """Save phone and desktop screenshots of the current page for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def serious_accessibility_violations(page):
    """axe-core's serious and critical violations on the current page, as (rule, targets)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
