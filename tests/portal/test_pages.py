"""Every public page shares the portal's accessible, self-hosted layout."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory

ARTICLE_URL = "/learn/iv-ketamine-for-adhd/"
PAGES = [
    ("/", 200),
    (ARTICLE_URL, 200),
    ("/faq/", 200),
    ("/side-effects/", 200),
    ("/questions/", 200),
    ("/search/?q=ketamine", 200),
    ("/search/", 200),
    ("/no-such-page/", 404),
]
PAGE_URLS = [url for url, _ in PAGES]


class _Tags(HTMLParser):
    """Every start tag of a page, in order, with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def start_tags(html, name):
    parser = _Tags()
    parser.feed(html)
    return [attrs for tag, attrs in parser.tags if tag == name]


@pytest.fixture
def page(client, seeded, request):
    return client.get(request.param)


def html_of(response):
    return response.content.decode()


@pytest.mark.parametrize(("url", "status"), PAGES)
def test_each_page_answers_with_its_expected_status(client, seeded, url, status):
    assert client.get(url).status_code == status


@pytest.mark.parametrize("page", PAGE_URLS, indirect=True)
def test_each_page_has_exactly_one_h1(page):
    assert html_of(page).count("<h1") == 1


@pytest.mark.parametrize("page", PAGE_URLS, indirect=True)
def test_each_page_has_a_skip_link_to_the_main_landmark(page):
    html = html_of(page)
    assert 'href="#main"' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize("page", PAGE_URLS, indirect=True)
def test_each_page_labels_its_main_navigation(page):
    assert '<nav aria-label="Main"' in html_of(page)


@pytest.mark.parametrize("page", PAGE_URLS, indirect=True)
def test_each_page_links_the_self_hosted_bootstrap_css(page):
    hrefs = [attrs.get("href") for attrs in start_tags(html_of(page), "link")]
    assert "/static/bootstrap/css/bootstrap.min.css" in hrefs


@pytest.mark.parametrize("page", PAGE_URLS, indirect=True)
def test_each_page_loads_no_stylesheet_or_script_from_another_site(page):
    html = html_of(page)
    stylesheets = [attrs for attrs in start_tags(html, "link") if attrs.get("rel") == "stylesheet"]
    addresses = [attrs.get("href") or "" for attrs in stylesheets]
    addresses += [attrs.get("src") or "" for attrs in start_tags(html, "script")]
    assert not [a for a in addresses if a.startswith(("http://", "https://", "//"))]


@pytest.mark.parametrize("page", PAGE_URLS, indirect=True)
def test_each_visible_input_on_each_page_has_a_label(page):
    html = html_of(page)
    label_targets = {attrs.get("for") for attrs in start_tags(html, "label")}
    inputs = [attrs for attrs in start_tags(html, "input") if attrs.get("type") != "hidden"]
    assert inputs
    assert all(attrs.get("id") and attrs["id"] in label_targets for attrs in inputs)


def test_the_404_page_uses_the_sites_look(client, db):
    html = html_of(client.get("/no-such-page/"))
    assert "Page not found" in html
    assert "Clinic patient portal" in html


def test_the_500_page_uses_the_sites_look(client, db, settings):
    settings.ROOT_URLCONF = "tests.portal.urls_boom"
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in html_of(response)
    assert "Clinic patient portal" in html_of(response)


def post_too_large_check_in(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(UserFactory())
    return client.post("/journal/entries/new/", {"notes": "x" * 2000})


def test_a_form_too_large_to_take_is_a_413(client, db, settings):
    assert post_too_large_check_in(client, settings).status_code == 413


def test_a_form_too_large_to_take_says_what_to_do_in_the_sites_look(client, db, settings):
    html = html_of(post_too_large_check_in(client, settings))
    assert ("Go back with your browser's Back button" in html, "Clinic patient portal" in html) == (
        True,
        True,
    )


def test_a_request_for_an_unknown_host_still_gets_a_plain_400(client, db):
    assert client.get("/", HTTP_HOST="unknown.example").status_code == 400


def test_the_sitemap_lists_the_article(client, seeded):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert f"<loc>http://testserver{ARTICLE_URL}</loc>" in html_of(response)


def test_the_portal_stylesheet_has_print_styles():
    css = Path(settings.BASE_DIR, "static", "css", "portal.css").read_text(encoding="utf-8")
    assert "@media print" in css


def test_whitenoise_serves_static_files_right_after_the_security_middleware():
    middleware = list(settings.MIDDLEWARE)
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
