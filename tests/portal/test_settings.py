"""Production settings, proved in fresh processes because settings are read once, at import."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

# Variables that would change what the settings module decides, cleared before each run.
SETTINGS_VARIABLES = [
    # Set for the browser tests in this process; never part of a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_PREPARED_STATEMENTS",
]


@pytest.fixture
def production_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def printed_setting(env, expression):
    code = f"from django.conf import settings; print({expression})"
    result = manage(env, "shell", "--verbosity", "0", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_passes_without_warnings_in_production(production_env):
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start(production_env):
    del production_env["SECRET_KEY"]
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(production_env):
    del production_env["ALLOWED_HOSTS"]
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_turns_debug_off_by_default(production_env):
    assert printed_setting(production_env, "settings.DEBUG") == "False"


def test_a_postgres_database_url_selects_the_postgresql_engine(production_env):
    production_env["DATABASE_URL"] = "postgres://portal:secret@db.example.org:5432/portal"
    engine = printed_setting(production_env, 'settings.DATABASES["default"]["ENGINE"]')
    assert engine == "django.db.backends.postgresql"


def test_postgresql_queries_are_prepared_after_their_fifth_run_by_default(production_env):
    production_env["DATABASE_URL"] = "postgres://portal:secret@db.example.org:5432/portal"
    options = printed_setting(production_env, 'settings.DATABASES["default"]["OPTIONS"]')
    assert "'server_side_binding': True" in options
    assert "'prepare_threshold': 5" in options


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(production_env):
    production_env["DATABASE_URL"] = "postgres://portal:secret@db.example.org:5432/portal"
    production_env["DATABASE_PREPARED_STATEMENTS"] = "off"
    options = printed_setting(production_env, 'settings.DATABASES["default"]["OPTIONS"]')
    assert "prepare_threshold" not in options
    assert "server_side_binding" not in options


def test_without_a_database_url_the_database_is_sqlite(production_env):
    del production_env["DATABASE_URL"]
    engine = printed_setting(production_env, 'settings.DATABASES["default"]["ENGINE"]')
    assert engine == "django.db.backends.sqlite3"


def test_the_site_answers_while_redis_is_unreachable(production_env):
    production_env["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    code = (
        "from django.core.management import call_command; from django.test import Client; "
        "call_command('migrate', verbosity=0); client = Client(HTTP_HOST='portal.example.org'); "
        "print([client.get(path, secure=True).status_code "
        "for path in ['/healthz', '/api/v1/faqs/']])"
    )
    result = manage(production_env, "shell", "--verbosity", "0", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[200, 200]"


def debug_under_make_run(**variables):
    """What `make run` sets DEBUG to for its processes: its last command, dry-run, with
    `printenv DEBUG` in place of honcho."""
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"} | variables
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    ).stdout
    start = dry_run[dry_run.rindex("PORTAL_URL=") :].replace("\\\n", " ")
    command = start.replace(".venv/bin/honcho --procfile Procfile.dev start", "printenv DEBUG")
    return subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True).stdout


def test_make_run_serves_with_debug_off_so_its_errors_are_productions():
    assert debug_under_make_run().strip() == "false"


def test_make_run_keeps_debug_on_when_asked():
    assert debug_under_make_run(DEBUG="true").strip() == "true"


def test_debug_false_turns_debug_off_in_development(production_env):
    env = {key: value for key, value in production_env.items() if key != "DJANGO_ENV"}

    assert printed_setting({**env, "DEBUG": "false"}, "settings.DEBUG") == "False"
