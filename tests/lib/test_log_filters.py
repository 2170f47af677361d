"""Secrets in URL paths stay out of the logs (lib/log_filters.py, wired in settings.LOGGING):
only the secret segment is hidden, and ids and the rest of the path are logged as they are."""

import io
import logging

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from journal.prep import sharing
from tests.factories import ChecklistFactory

pytestmark = pytest.mark.django_db


def uid(user):
    return urlsafe_base64_encode(force_bytes(user.pk))


def reset_link(user):
    """The path of the link the password-reset e-mail sends."""
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid(user), token])


def log_as_development_server(response):
    """Logs the request as runserver does, with its own request handler and log format."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None  # the connection; the record only carries it along
    request = response.request
    handler.requestline = f"{request['REQUEST_METHOD']} {request['PATH_INFO']} HTTP/1.1"
    handler.log_request(response.status_code, len(response.content))


def messages(logs):
    return [record.getMessage() for record in logs.records]


def test_a_password_reset_is_logged_with_only_its_token_hidden(client, patient, request_logs):
    opened = client.get(reset_link(patient))
    log_as_development_server(opened)
    log_as_development_server(client.get(opened["Location"]))

    assert [message.rsplit(" ", 1)[0] for message in messages(request_logs)] == [
        f'"GET /accounts/reset/{uid(patient)}/[hidden]/ HTTP/1.1" 302',
        f'"GET /accounts/reset/{uid(patient)}/set-password/ HTTP/1.1" 200',
    ]


def test_a_password_reset_token_in_a_full_url_is_hidden(patient, request_logs):
    logging.getLogger("django.request").warning(
        "Bad link: http://testserver%s", reset_link(patient)
    )

    assert messages(request_logs) == [
        f"Bad link: http://testserver/accounts/reset/{uid(patient)}/[hidden]/"
    ]


def test_the_ids_in_a_share_link_revoke_path_are_logged_as_they_are(client, request_logs):
    checklist = ChecklistFactory()
    client.force_login(checklist.user)
    path = reverse("checklists:share_revoke", args=[checklist.pk, 999])

    client.post(path)

    assert messages(request_logs) == [f"Not Found: {path}"]


@pytest.fixture
def console(settings):
    """What the log's console handlers print in development (DEBUG on): settings.LOGGING's, and
    any Django keeps from its own defaults."""
    settings.DEBUG = True
    loggers = [logging.getLogger(), *logging.root.manager.loggerDict.values()]
    handlers = {
        handler
        for logger in loggers
        for handler in getattr(logger, "handlers", [])
        if type(handler) is logging.StreamHandler  # not pytest's own capturing handlers
    }
    printed = io.StringIO()
    streams = {handler: handler.setStream(printed) for handler in handlers}
    yield printed
    for handler, stream in streams.items():
        handler.setStream(stream)


def test_a_share_token_in_a_refused_post_is_hidden_on_the_console(console):
    link = sharing.create_share_link(ChecklistFactory())

    Client(enforce_csrf_checks=True).post(sharing.share_path(link))

    assert console.getvalue().splitlines() == ["Method Not Allowed (POST): /share/[hidden]/"]
