"""Whole-response cache for anonymous readers of public pages and the public content API.

Public content is the same for every anonymous reader, so each page or API response is built
once and then served from the cache (Redis when REDIS_URL is set, local memory otherwise) ahead
of the session, CSRF and authentication middleware. Every key holds the content stamp, which
every content save or delete moves (signals.py), so an edit shows on the very next request,
whichever worker serves it; entries under an old stamp are never read again and expire.

The stamp is read on every cached request, so it lives where reading it costs no database
query: in the cache when the cache is shared (Redis), else in a small file that every process
on the machine sees (the local-memory cache is per process, and so is useless for this).

The one per-reader part of a page, the CSRF token of a form, is cut out when the page is stored
and filled in for each reader on the way out, so forms on cached pages keep working.
"""

import functools
import hashlib
import os
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

CACHE_SECONDS = 60 * 60
STAMP_KEY = "content-stamp"
CSRF_TOKEN = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(?=")')
NOT_STORED_HEADERS = {"set-cookie", "content-length"}


def cached_for_anonymous(view):
    """Marks a view whose response is the same for every anonymous visitor until content changes."""
    view.cached_for_anonymous = True
    return view


@dataclass
class StoredResponse:
    status: int
    headers: list
    body_parts: list  # the body, split where each reader's CSRF token goes

    @classmethod
    def from_response(cls, response):
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in NOT_STORED_HEADERS
        ]
        return cls(response.status_code, headers, CSRF_TOKEN.split(response.content))

    @classmethod
    def store(cls, key, response):
        """Caches the response if it is a complete 200; returns it either way."""
        if response.status_code == 200 and not response.streaming:
            cache.set(key, cls.from_response(response), CACHE_SECONDS)
        return response

    @staticmethod
    def fetch(key):
        """The response stored under key, or None; with a shared cache, from this process's
        own copy once it has fetched it."""
        if not settings.CACHE_IS_SHARED:
            return cache.get(key)
        local = caches["local"]
        stored = local.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                local.set(key, stored, CACHE_SECONDS)
        return stored

    @property
    def needs_csrf_token(self):
        return len(self.body_parts) > 1

    def to_response(self, request):
        """The stored response, with a CSRF token of this reader's wherever a form needs one."""
        token = get_token(request) if self.needs_csrf_token else ""
        body = token.encode().join(self.body_parts)
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


class StoredResponseMiddleware:
    """What the cache middleware here and journal.caching's have in common: they sit above the
    CSRF middleware, so they let it read the reader's CSRF cookie and, if new, set it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def respond(self, request, stored):
        if not stored.needs_csrf_token:
            return stored.to_response(request)
        self.csrf.process_request(request)
        return self.csrf.process_response(request, stored.to_response(request))


class PublicCacheMiddleware(StoredResponseMiddleware):
    """Serves anonymous GETs of views marked cached_for_anonymous from the cache."""

    def __call__(self, request):
        view = self.cacheable_view(request)
        if view is None:
            return self.get_response(request)
        key = cache_key(request)
        stored = StoredResponse.fetch(key)
        if stored is None:
            return StoredResponse.store(key, self.get_response(request))
        if is_throttled(request, view):
            return self.get_response(request)  # the view answers 429 itself
        return self.serve(request, stored)

    def cacheable_view(self, request):
        """The view, if this request may be answered from the cache, else None.

        Only GETs from visitors without a session or credentials: any cookie other than the CSRF
        cookie (a session, a flash message) or an Authorization header means a personal answer.
        """
        if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
            return None
        if set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}:
            return None
        return marked_view_at(request.path_info, "cached_for_anonymous")

    def serve(self, request, stored):
        headers = {name.lower(): value for name, value in stored.headers}
        if "etag" in headers:
            not_modified = get_conditional_response(
                request,
                etag=headers["etag"],
                last_modified=parse_http_date_safe(headers.get("last-modified", "")),
            )
            if not_modified is not None:
                for name, value in stored.headers:
                    if name.lower() != "content-type":
                        not_modified[name] = value
                return not_modified
        return self.respond(request, stored)


@functools.lru_cache(maxsize=1024)
def marked_view_at(path, mark):
    """The view (or API view class) serving path if it carries the mark, else None."""
    try:
        view = resolve(path).func
    except Resolver404:
        return None
    for candidate in (view, getattr(view, "cls", None)):
        if getattr(candidate, mark, False):
            return candidate
    return None


def cache_key(request):
    """The content stamp, the address (scheme, host and path) and the Accept header."""
    address = (
        f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        f"|{request.META.get('HTTP_ACCEPT', '')}"
    )
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"public:{request_stamp(request)}:{digest}"


def request_stamp(request):
    """The content stamp as PublishDueContentMiddleware read it for this request (after any
    publication it made), so each request reads the stamp once."""
    return getattr(request, "content_stamp", None) or content_stamp()


def content_stamp():
    if settings.CACHE_IS_SHARED:
        return cache.get(STAMP_KEY) or move_content_stamp()
    try:
        return read_stamp_file()
    except FileNotFoundError:
        return move_content_stamp()


def read_stamp_file():
    """With plain system calls: a third of the time of Path.read_text, on every cached request."""
    descriptor = os.open(settings.CONTENT_STAMP_FILE, os.O_RDONLY)
    try:
        return os.read(descriptor, 64).decode()
    finally:
        os.close(descriptor)


def move_content_stamp():
    stamp = secrets.token_hex(8)
    if settings.CACHE_IS_SHARED:
        cache.set(STAMP_KEY, stamp, timeout=None)
    else:
        partial = settings.CONTENT_STAMP_FILE.with_name(f".{stamp}.partial")
        partial.write_text(stamp)
        os.replace(partial, settings.CONTENT_STAMP_FILE)  # readers never see half a stamp
    return stamp


_NOT_COMPUTED = object()


def next_scheduled_change(stamp, compute):
    """When public content next changes by itself, as compute() finds it, remembered by this
    process until the content stamp moves (every publication and approval moves it)."""
    local = caches["local"]
    key = f"next-change:{stamp}"
    when = local.get(key, _NOT_COMPUTED)
    if when is _NOT_COMPUTED:
        when = compute()
        local.set(key, when, CACHE_SECONDS)
    return when


def content_changed():
    """Moves the stamp now and again once the change is committed: a reader who rebuilt a page
    between the two, from the content before the commit, stored it under a stamp now dead."""
    move_content_stamp()
    transaction.on_commit(move_content_stamp)


def is_throttled(request, view):
    """API views count cached answers against the client's rate limit like any other."""
    throttle_classes = getattr(view, "throttle_classes", ())
    if not throttle_classes:
        return False
    request.user = AnonymousUser()
    return not all(throttle().allow_request(request, None) for throttle in throttle_classes)
