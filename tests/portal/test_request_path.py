"""One request path: every signed-in request goes through Django's whole middleware stack, cached
or not, so a middleware added later (two-factor sign-in, a locale, maintenance mode) can't be
skipped, and the host check answers 400 for a host the portal does not serve."""

import re

import pytest
from django.test import Client

from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    JournalEntryFactory,
    SideEffectReportFactory,
)

LINK = re.compile(r'href="(/[^"#]*)"')
NOT_FOLLOWED = ("/static/", "/admin/", "/accounts/logout/", "/api/", "/language/")
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')
SEEN = []  # (path, signed in) of each request the recording middleware saw


class RecordingMiddleware:
    """Stands in for any middleware added at the end of MIDDLEWARE; reads request.user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        SEEN.append((request.get_full_path(), request.user.is_authenticated))
        return self.get_response(request)


@pytest.fixture
def recorded(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.RecordingMiddleware"]
    SEEN.clear()
    yield SEEN
    SEEN.clear()


@pytest.fixture
def patient_with_a_journal(seeded, patient):
    JournalEntryFactory(user=patient)
    BloodPressureReadingFactory(user=patient)
    SideEffectReportFactory(user=patient)
    ChecklistItemFactory(checklist=ChecklistFactory(user=patient))
    return patient


def signed_in_pages(client, start=("/", "/journal/", "/checklists/"), limit=300):
    """Every page a signed-in patient reaches by following links from the start pages."""
    to_visit, found = list(start), []
    while to_visit and len(found) < limit:
        path = to_visit.pop()
        if path in found or path.startswith(NOT_FOLLOWED):
            continue
        response = client.get(path)
        found.append(path)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            to_visit.extend(LINK.findall(response.content.decode()))
    return found


@pytest.fixture
def pages(patient_with_a_journal, settings):
    client = Client()
    client.force_login(patient_with_a_journal)
    return signed_in_pages(client)


def test_the_walk_reaches_the_cached_pages_and_the_article(pages, seeded_article):
    assert {"/journal/", seeded_article.get_absolute_url()} <= set(pages)
    assert any(path.endswith("/sheet/") for path in pages)


def visit(client, pages):
    for path in pages:
        client.get(path)


@pytest.fixture
def browser(patient_with_a_journal, pages, recorded):
    """A signed-in patient's browser, made after the walk and once the recorder is in place."""
    client = Client()
    client.force_login(patient_with_a_journal)
    return client


def test_a_middleware_at_the_end_runs_on_every_signed_in_page(browser, pages):
    visit(browser, pages)

    assert SEEN == [(path, True) for path in pages]


def test_a_middleware_at_the_end_runs_on_every_repeated_signed_in_page(browser, pages):
    visit(browser, pages)
    SEEN.clear()

    visit(browser, pages)

    assert SEEN == [(path, True) for path in pages]


def test_a_middleware_at_the_end_runs_on_an_anonymous_page_the_first_time(
    seeded_article, recorded, client
):
    client.get(seeded_article.get_absolute_url())

    assert SEEN == [(seeded_article.get_absolute_url(), False)]


# The host check


@pytest.fixture
def one_host(settings):
    settings.ALLOWED_HOSTS = ["clinic.example", "other.example"]


@pytest.mark.parametrize("path", ["/journal/", "/journal/?days=90"])
def test_a_signed_in_page_for_a_host_not_served_is_a_400(client, patient, one_host, path):
    client.force_login(patient)
    assert client.get(path, HTTP_HOST="clinic.example").status_code == 200

    assert client.get(path, HTTP_HOST="evil.example").status_code == 400


def test_an_anonymous_cached_page_for_a_host_not_served_is_a_400(client, seeded_article, one_host):
    url = seeded_article.get_absolute_url()
    assert client.get(url, HTTP_HOST="clinic.example").status_code == 200

    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize(
    "signed_in, page",
    [(False, "article"), (True, "article"), (True, "/journal/")],
    ids=["anonymous-article", "signed-in-article", "signed-in-dashboard"],
)
def test_a_page_built_for_one_host_names_the_other_host_when_read_there(
    client, patient, seeded_article, one_host, signed_in, page
):
    if signed_in:
        client.force_login(patient)
    url = seeded_article.get_absolute_url() if page == "article" else page
    client.get(url, HTTP_HOST="clinic.example")

    html = client.get(url, HTTP_HOST="other.example").content.decode()

    assert CANONICAL.search(html).group(1) == f"http://other.example{url}"
    assert "clinic.example" not in html  # nor in og:url or the JSON-LD
