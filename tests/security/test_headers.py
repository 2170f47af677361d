"""Security headers, cookies and committed secrets.

Development settings are checked through the test client; production settings in a fresh
process, because settings are read once, at import (as in tests/portal/test_settings.py).
"""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from journal.models import Checklist
from tests.portal.test_settings import SETTINGS_VARIABLES

ONE_YEAR = 60 * 60 * 24 * 365
ONE_DAY = 60 * 60 * 24
PASSWORD = "a-long-test-password"  # what UserFactory sets
DEVELOPMENT_KEY = "django-insecure-development-only-never-use-in-production"


# Development settings, through the test client


@pytest.fixture
def pages(seeded_article, patient):
    """Every kind of HTML page: public, the article, the API docs, a form, the patient's own."""
    checklist = Checklist.objects.create(user=patient, appointment_date="2030-01-01")
    anonymous, logged_in = Client(), Client()
    logged_in.force_login(patient)
    public = ["/", seeded_article.get_absolute_url(), "/faq/", "/api/docs/", "/accounts/login/"]
    private = ["/journal/", checklist.get_absolute_url()]
    responses = {
        **{path: anonymous.get(path) for path in public},
        **{path: logged_in.get(path) for path in private},
    }
    assert {path: response.status_code for path, response in responses.items()} == dict.fromkeys(
        responses, 200
    )
    return responses


def directives(policy):
    """A Content-Security-Policy header as {directive: [sources]}."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def csp_directive(response, name):
    return directives(response.get("Content-Security-Policy", "")).get(name)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def script_tags(html):
    parser = _Scripts()
    parser.feed(html)
    return parser.scripts


def is_allowed_script(attrs):
    """A file from this site, or JSON-LD data (never run), but no inline code."""
    if attrs.get("type") == "application/ld+json":
        return True
    src = urlsplit(attrs.get("src") or "")
    on_this_site = src.scheme in {"", "http", "https"} and src.netloc in {"", "testserver"}
    return bool(src.path) and on_this_site


def test_every_page_allows_scripts_only_from_this_site(pages):
    wrong = {path: csp_directive(r, "script-src") for path, r in pages.items()}
    assert {path: sources for path, sources in wrong.items() if sources != ["'self'"]} == {}


def test_no_page_allows_inline_scripts(pages):
    allowing = [
        path
        for path, response in pages.items()
        if "'unsafe-inline'" in (csp_directive(response, "script-src") or ["'unsafe-inline'"])
    ]
    assert allowing == []


def test_no_page_may_be_framed_by_another_site(pages):
    framable = [p for p, r in pages.items() if csp_directive(r, "frame-ancestors") != ["'none'"]]
    assert framable == []


def test_no_page_may_load_plugins(pages):
    loading = [p for p, r in pages.items() if csp_directive(r, "object-src") != ["'none'"]]
    assert loading == []


def test_every_page_switches_off_the_camera_and_geolocation(pages):
    for path, response in pages.items():
        features = {
            feature.strip() for feature in response.get("Permissions-Policy", "").split(",")
        }
        assert {"camera=()", "geolocation=()"} <= features, path


def test_every_page_forbids_content_type_sniffing(pages):
    sniffable = [p for p, r in pages.items() if r.get("X-Content-Type-Options") != "nosniff"]
    assert sniffable == []


def test_every_page_sends_its_address_only_to_this_site(pages):
    leaking = [p for p, r in pages.items() if r.get("Referrer-Policy") != "same-origin"]
    assert leaking == []


def test_every_page_keeps_windows_it_opens_in_a_separate_browsing_context(pages):
    shared = [p for p, r in pages.items() if r.get("Cross-Origin-Opener-Policy") != "same-origin"]
    assert shared == []


def test_every_page_refuses_to_be_shown_in_a_frame(pages):
    framable = [p for p, r in pages.items() if r.get("X-Frame-Options") != "DENY"]
    assert framable == []


def test_no_page_contains_an_inline_script(pages):
    inline = {
        path: [attrs for attrs in script_tags(r.content.decode()) if not is_allowed_script(attrs)]
        for path, r in pages.items()
    }
    assert {path: scripts for path, scripts in inline.items() if scripts} == {}


def test_the_session_cookie_set_at_login_is_http_only(patient):
    response = Client().post(
        "/accounts/login/", {"username": patient.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"] is True


def test_the_session_cookie_set_at_login_is_same_site_lax(patient):
    response = Client().post(
        "/accounts/login/", {"username": patient.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["samesite"] == "Lax"


def test_a_session_lasts_at_most_one_day():
    assert settings.SESSION_COOKIE_AGE <= ONE_DAY


def test_the_csrf_cookie_is_http_only(db):
    response = Client().get("/accounts/login/")
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"] is True


# Production settings, in a fresh process

PRODUCTION_SNIPPET = """
import json
from django.conf import settings
from django.test import Client

client = Client()
requests = {
    "http": {},
    "https": {"secure": True},
    "proxied https": {"HTTP_X_FORWARDED_PROTO": "https"},
}
responses = {}
for path in ["/healthz", "/robots.txt"]:
    for name, extra in requests.items():
        response = client.get(path, HTTP_HOST="portal.example.org", **extra)
        responses[f"{name} {path}"] = {
            "status": response.status_code,
            "headers": dict(response.headers),
        }
names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "DEBUG"]
print(json.dumps({
    "responses": responses,
    "settings": {name: getattr(settings, name) for name in names},
}))
"""
NO_DATABASE_PATHS = ["/healthz", "/robots.txt"]  # "/" needs migrated tables; these do not


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Status and headers of a few requests, and the cookie settings, in production."""
    cleared = [*SETTINGS_VARIABLES, "SESSION_COOKIE_AGE"]
    env = {key: value for key, value in os.environ.items() if key not in cleared}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('production') / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", PRODUCTION_SNIPPET],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def hsts(response):
    return [part.strip() for part in response["headers"]["Strict-Transport-Security"].split(";")]


@pytest.mark.parametrize("path", NO_DATABASE_PATHS)
def test_in_production_plain_http_is_redirected_permanently_to_https(production, path):
    response = production["responses"][f"http {path}"]
    assert response["status"] == 301
    assert response["headers"]["Location"] == f"https://portal.example.org{path}"


@pytest.mark.parametrize("path", NO_DATABASE_PATHS)
def test_in_production_https_is_served_directly(production, path):
    assert production["responses"][f"https {path}"]["status"] == 200


@pytest.mark.parametrize("path", NO_DATABASE_PATHS)
def test_in_production_https_the_proxy_reports_is_served_not_redirected(production, path):
    assert production["responses"][f"proxied https {path}"]["status"] == 200


@pytest.mark.parametrize("path", NO_DATABASE_PATHS)
def test_in_production_https_responses_demand_https_for_at_least_a_year(production, path):
    max_age = next(
        part for part in hsts(production["responses"][f"https {path}"]) if part.startswith("max")
    )
    assert int(max_age.removeprefix("max-age=")) >= ONE_YEAR


@pytest.mark.parametrize("path", NO_DATABASE_PATHS)
def test_in_production_https_is_demanded_for_subdomains_too(production, path):
    assert "includeSubDomains" in hsts(production["responses"][f"https {path}"])


@pytest.mark.parametrize("path", NO_DATABASE_PATHS)
def test_in_production_the_site_asks_to_be_preloaded_as_https_only(production, path):
    assert "preload" in hsts(production["responses"][f"https {path}"])


@pytest.mark.parametrize("path", NO_DATABASE_PATHS)
def test_in_production_https_responses_carry_the_content_security_policy(production, path):
    policy = production["responses"][f"https {path}"]["headers"]["Content-Security-Policy"]
    assert directives(policy)["script-src"] == ["'self'"]


def test_in_production_the_session_cookie_is_sent_only_over_https(production):
    assert production["settings"]["SESSION_COOKIE_SECURE"] is True


def test_in_production_the_csrf_cookie_is_sent_only_over_https(production):
    assert production["settings"]["CSRF_COOKIE_SECURE"] is True


# Secrets in the repository

SECRET_PATTERNS = {
    "SECRET_KEY literal": re.compile(
        r"""SECRET_KEY["']?\s*[:=]\s*["'](?P<value>[^"'\s]{16,})["']"""
    ),
    "SECRET_KEY in an env file": re.compile(
        r"""^\s*(?:export\s+)?SECRET_KEY=(?P<value>[^\s"'$()]{16,})\s*$""", re.MULTILINE
    ),
    "private key": re.compile(r"-{5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-{5}"),
    "AWS access key id": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
}


def committed_files():
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=settings.BASE_DIR, capture_output=True, check=True
    )
    return [name for name in listing.stdout.decode().split("\0") if name]


def test_no_secret_is_committed_to_the_repository():
    files = committed_files()
    assert files, "git ls-files listed nothing"
    found = []
    for name in files:
        path = settings.BASE_DIR / name
        if not path.is_file():
            continue  # deleted in the working tree
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        for label, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                if match.groupdict().get("value") == DEVELOPMENT_KEY:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {label}")
    assert found == []
