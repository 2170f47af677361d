import logging

import pytest
from django.conf import settings
from django.core.cache import caches

from education.loader import load_seed
from education.models import Article
from lib import catalogues
from tests.factories import UserFactory


def pytest_sessionstart(session):
    """A bare `pytest` on a fresh checkout tests the Spanish too: the compiled catalogues are
    built, not committed (`make test` builds them first; then nothing here is stale)."""
    catalogues.compile_all(stale_only=True)


@pytest.fixture
def seeded(db):
    load_seed(settings.SEED_CONTENT_FILE)


@pytest.fixture
def seeded_article(seeded):
    """The seed article as the public reads it (its live copy)."""
    return Article.objects.public().get()


@pytest.fixture
def seeded_draft(seeded):
    """The seed article as staff edit it (its draft)."""
    return Article.objects.drafts().get()


@pytest.fixture(autouse=True)
def empty_cache(settings, tmp_path_factory):
    """The local-memory caches live as long as the test process; each test starts with none,
    and with a content stamp file of the test run's own (not the checkout's)."""
    for each in caches.all():
        each.clear()
    settings.CONTENT_STAMP_FILE = tmp_path_factory.getbasetemp() / "content-stamp"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests create many users and need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """An enqueued task runs at once, in the test's process and transaction; the tests of the
    real queues (tests/lib/test_real_workers.py) start workers of their own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def patient(db):
    return UserFactory()


@pytest.fixture
def request_logs(caplog):
    """Records of Django's request and development-server loggers, at INFO, as settings.LOGGING
    filters them (these loggers do not propagate to the root)."""
    loggers = [logging.getLogger(name) for name in ["django.request", "django.server"]]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO)
    yield caplog
    for logger in loggers:
        logger.removeHandler(caplog.handler)
