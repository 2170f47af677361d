"""The system under load, shared by `make bench` and `make soak`: gunicorn with production
settings (gunicorn.conf.py) on loopback, on a PostgreSQL database made afresh for the run that
holds the clinic's article and a patient's journal. See docs/performance.md.
"""

import contextlib
import http.client
import json
import os
import runpy
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
# TLS ends at the load balancer in production; it tells Django so with this header.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def production_env(database, redis_db):
    """Production settings on `database` of the local PostgreSQL, made afresh for each run, and
    on REDIS_URL if set (empty: none), else on an emptied Redis `redis_db` on 127.0.0.1 if any."""
    import psycopg
    import redis

    postgres = "postgres://postgres@127.0.0.1:5432"
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    redis_url = os.environ.get("REDIS_URL")
    if redis_url is None:
        redis_url = f"redis://127.0.0.1:6379/{redis_db}"
        try:
            redis.Redis.from_url(redis_url, socket_timeout=2).flushdb()
        except redis.RedisError:
            redis_url = ""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": f"{postgres}/{database}",
        "REDIS_URL": redis_url,
        # The load comes from one address; the API's per-client limits would turn it away.
        "API_ANON_RATE": "off",
        "API_USER_RATE": "off",
    }


def prepare(env, journal_days=2 * 365, patients=0):
    """Migrates, loads the article, collects static files, makes a patient with a journal, a
    checklist, a session and an API token, and `patients` patients "soak-<n>" with a token each."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from education.models import Article
    from journal.demo import create_demo_journal
    from journal.models import Checklist

    call_command("migrate", verbosity=0)
    call_command("load_seed_content", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    users = get_user_model().objects
    patient = users.create_user("load-test-patient")
    create_demo_journal(patient, days=journal_days)
    checklist = Checklist.objects.get(user=patient)  # the demo journal's next appointment
    client = Client()
    client.force_login(patient)
    soak = [Token.objects.create(user=users.create_user(f"soak-{n}")).key for n in range(patients)]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon, but not during the load
    return {
        "article": Article.objects.public().first().get_absolute_url(),
        "static_file": staticfiles_storage.url("css/portal.css"),
        # A signed-in browser also holds the CSRF cookie it got with the login form.
        "cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={'x' * 32}",
        "token": Token.objects.create(user=patient).key,
        "checklist": checklist.pk,
        "tokens": soak,
    }


def request(method, path, headers=None, body=None, timeout=10):
    """One request to the server under test: (status, body)."""
    with contextlib.closing(http.client.HTTPConnection(HOST, PORT, timeout=timeout)) as connection:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()


def health():
    """What /healthz answers within 5 s, as a load balancer asks: its status, 0 for nothing."""
    with contextlib.suppress(OSError, http.client.HTTPException):
        return request("GET", "/healthz", timeout=5)[0]
    return 0


@contextlib.contextmanager
def gunicorn(env, log_name):
    """gunicorn on BENCH_PORT, from its first 200 on /healthz until the block ends."""
    if health():
        raise SystemExit(f"Something already answers on port {PORT}: set BENCH_PORT.")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / log_name, "w") as log:
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--no-control-socket"]
        env = {**env, "GUNICORN_BIND": f"{HOST}:{PORT}"}
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while health() != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start; see {RESULTS / log_name}")
                time.sleep(0.2)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


def save(name, results):
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nSaved to {path.relative_to(ROOT)}")
