"""The system under load, shared by `make bench` and `make soak`.

A PostgreSQL database holding the clinic's article and a patient with two years of daily journal
entries, served by gunicorn with production settings, exactly as a clinic would run it.
"""

import contextlib
import datetime
import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# TLS ends at the load balancer in production; it tells Django so with this header.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
JOURNAL_DAYS = 2 * 365


@dataclass
class Fixture:
    """What the load generators need to reach the data."""

    article_path: str
    static_path: str
    session_cookie: str
    token: str
    checklist_id: int


def production_env(database_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": database_url,
        # The load comes from one address; the API's per-client limits would turn it away.
        "API_ANON_RATE": os.environ.get("API_ANON_RATE", "off"),
        "API_USER_RATE": os.environ.get("API_USER_RATE", "off"),
    }


def recreate_database(database_url):
    """The default bench database is thrown away and made again, so every run starts equal."""
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env):
    """Migrate, load the article, collect static files and create the load-test patient."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.utils.crypto import get_random_string
    from rest_framework.authtoken.models import Token

    from education.models import Article
    from journal.checklist import build_checklist
    from journal.demo import create_demo_journal
    from journal.models import Checklist

    call_command("migrate", verbosity=0)
    call_command("load_seed_content", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    get_user_model().objects.filter(username="load-test-patient").delete()
    patient = get_user_model().objects.create_user("load-test-patient")
    create_demo_journal(patient, days=JOURNAL_DAYS)
    checklist = Checklist.objects.create(
        user=patient,
        appointment_date=datetime.date.today() + datetime.timedelta(days=7),
        clinician="Dr Bench",
    )
    build_checklist(patient, checklist)
    client = Client()
    client.force_login(patient)
    fixture = Fixture(
        article_path=Article.objects.public().first().get_absolute_url(),
        static_path=staticfiles_storage.url("css/portal.css"),
        # A signed-in browser also holds the CSRF cookie it got with the login form.
        session_cookie=(
            f"sessionid={client.cookies['sessionid'].value}; csrftoken={get_random_string(32)}"
        ),
        token=Token.objects.create(user=patient).key,
        checklist_id=checklist.pk,
    )
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon, but not during the load
    connections.close_all()
    return fixture


def request(method, path, headers=None, body=None, timeout=10):
    """One request to the server under test: (status, body)."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(env, log_name):
    """gunicorn with gunicorn.conf.py on BENCH_PORT, until the block ends."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = open(RESULTS / log_name, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--no-control-socket"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"{HOST}:{PORT}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_healthy(process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_until_healthy(process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {RESULTS}/ for its log.")
        with contextlib.suppress(OSError):
            if request("GET", "/healthz", timeout=2)[0] == 200:
                return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time.")


def save_and_exit(name, results, failures, failures_title, success):
    """Saves the results as JSON under bench/results/, then prints the failures and exits 1,
    or prints the success line."""
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nSaved to {path.relative_to(ROOT)}")
    if failures:
        print(f"{failures_title}:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(success)
