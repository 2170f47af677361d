"""Every caching rule of the portal, in one module.

How a request is served:
- **Anonymous GET of public content** (a view marked `cached_for_anonymous`: the home page, an
  article, /faq/, the public API, ...; no session, no credentials): CacheRulesMiddleware answers
  it from the cache, ahead of sessions and authentication, which an anonymous request does not
  need. Key: content stamp, language, scheme, host, path with query, Accept header. The host is
  read with `request.get_host()`, so a host not in ALLOWED_HOSTS is a 400 here as anywhere else.
- **Signed-in request:** Django's whole middleware stack, in the standard order, then the view.
  Below authentication, a view may reuse what it built before:
  - `cached_below_login(version=...)`: a patient's costly page (the dashboard, the visit-prep
    sheet). Key: session, user, language, the page's version (their journal revision), content
    stamp, the patient's time zone and today's date in it (lib.timezones activates the zone
    before the view), scheme, host, path with query. Never used while a message waits to be
    shown.
  - `cached_per_audience`: a page of public content (an article) as a signed-in reader sees it,
    built once for everyone in the same audience. Key: signed in or not, staff or not (all the
    page frame shows of its reader), language, content stamp, scheme, host, path with query.
    Never used while a message waits to be shown.
  - `shared_fragment(...)`: a part that is the same for every reader (an article's body).
    Key: content stamp, language and the parts the caller names (the article's scheme, host
    and slug).

What makes a cached answer stale (nothing else does; entries under an old key are never read
again and expire after CACHE_SECONDS):
1. Public content changes: publishing calls `content_changed()` whenever live content changes
   (an approval going live, an unpublication, an expiry) and it moves the content stamp; a
   scheduled go-live or an expiry moves it at the scheduler's first tick from its time.
   A contributor saved or deleted moves it too (education.signals): pages credit the row itself,
   with no draft or review between. Draft edits move nothing: the public does not see them.
2. A patient's records change: their journal revision moves (journal.models.JournalRevision, on
   every save and delete of their records, checklists and share links), and it is the
   `version` of their pages.
3. The language changes (lib.i18n activates it, from the address or what the reader asked for,
   before the cache is asked).
4. The patient's date changes (at their local midnight), they choose another time zone, or
   they sign in again (a new session).

What browsers and proxies may keep: every response is `private, no-store` unless its view says
otherwise. Public answers carry an ETag and Last-Modified taken from the content stamp, and
Django's ConditionalGetMiddleware answers 304 to a client that already has them (and 412 to one
naming another version in If-Match or If-Unmodified-Since: JSON under /api/, portal.middleware).

The stamp lives where reading it costs no database query: in the cache when it is shared
(Redis), else in a small file that every process on the machine sees.
"""

import functools
import hashlib
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

CACHE_SECONDS = 60 * 60
PUBLIC_MAX_AGE = 60  # seconds a client or proxy may reuse a public API answer
STAMP_KEY = "content-stamp"
CSRF_TOKEN = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(?=")')
NOT_STORED_HEADERS = {"set-cookie", "content-length"}


def cached_for_anonymous(view):
    """Marks a view whose response is the same for every anonymous visitor until content changes."""
    view.cached_for_anonymous = True
    return view


# The content stamp ----------------------------------------------------------------------------


def content_changed() -> None:
    """Moves the stamp now and again once the change is committed: a reader who rebuilt a page
    between the two, from the content before the commit, stored it under a stamp now dead."""
    move_content_stamp()
    transaction.on_commit(move_content_stamp)


def content_stamp() -> str:
    if settings.CACHE_IS_SHARED:
        stamp = cache.get(STAMP_KEY)
    else:
        try:
            stamp = read_stamp_file()
        except FileNotFoundError:
            stamp = None
    if not stamp or "-" not in stamp:  # none yet, or one an older version wrote without its time
        return move_content_stamp()
    return stamp


def stamp_time(stamp: str) -> int:
    """When the content last changed, in seconds since the epoch: the stamp starts with it."""
    return int(stamp.partition("-")[0], 16) // 1_000_000


def move_content_stamp() -> str:
    stamp = f"{time.time_ns() // 1000:x}-{secrets.token_hex(4)}"
    if settings.CACHE_IS_SHARED:
        cache.set(STAMP_KEY, stamp, timeout=None)
    else:
        partial = settings.CONTENT_STAMP_FILE.with_name(f".{stamp}.partial")
        partial.write_text(stamp)
        os.replace(partial, settings.CONTENT_STAMP_FILE)  # readers never see half a stamp
    return stamp


def read_stamp_file() -> str:
    """With plain system calls: a third of the time of Path.read_text, on every cached request."""
    descriptor = os.open(settings.CONTENT_STAMP_FILE, os.O_RDONLY)
    try:
        return os.read(descriptor, 64).decode()
    finally:
        os.close(descriptor)


_NOT_COMPUTED = object()


def remembered_until_content_changes(name: str, stamp: str, compute: Callable):
    """compute()'s answer, kept by this process until the content stamp moves."""
    local = caches["local"]
    key = f"{name}:{stamp}"
    value = local.get(key, _NOT_COMPUTED)
    if value is _NOT_COMPUTED:
        value = compute()
        local.set(key, value, CACHE_SECONDS)
    return value


def content_validators(request: HttpRequest) -> dict[str, str]:
    """ETag and Last-Modified of a public answer: they change whenever the content stamp does."""
    stamp = content_stamp()
    fingerprint = "|".join(
        [
            stamp,
            translation.get_language(),
            request.get_full_path(),
            request.headers.get("Accept", ""),
        ]
    )
    return {
        "ETag": f'"{hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}"',
        "Last-Modified": http_date(stamp_time(stamp)),
    }


def mark_public(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A public API answer: the same for every client, reusable for PUBLIC_MAX_AGE seconds."""
    for name, value in content_validators(request).items():
        response[name] = value
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


# Stored answers -------------------------------------------------------------------------------


def fetch(key: str):
    """What is stored under key, or None; with a shared cache, from this process's own copy once
    it has fetched it (a key holds everything its value was built from, so a copy under that key
    is never out of date)."""
    if not settings.CACHE_IS_SHARED:
        return cache.get(key)
    local = caches["local"]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            local.set(key, value, CACHE_SECONDS)
    return value


def digest(parts: Iterable) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


@dataclass
class StoredResponse:
    status: int
    headers: list
    body_parts: list  # the body, split where each reader's CSRF token goes

    @classmethod
    def store(cls, key: str, response: HttpResponse) -> HttpResponse:
        """Caches the response if it is a complete 200; returns it either way."""
        if response.status_code == 200 and not response.streaming:
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_STORED_HEADERS
            ]
            stored = cls(response.status_code, headers, CSRF_TOKEN.split(response.content))
            cache.set(key, stored, CACHE_SECONDS)
        return response

    @property
    def needs_csrf_token(self) -> bool:
        return len(self.body_parts) > 1

    def to_response(self, request: HttpRequest) -> HttpResponse:
        """The stored response, with a CSRF token of this reader's wherever a form needs one."""
        token = get_token(request) if self.needs_csrf_token else ""
        response = HttpResponse(token.encode().join(self.body_parts), status=self.status)
        for name, value in self.headers:
            response[name] = value
        response["Content-Length"] = len(response.content)
        return response


# Anonymous readers, and what browsers keep ----------------------------------------------------


class CacheRulesMiddleware:
    """Answers anonymous GETs of public content from the cache, and makes every other response
    `private, no-store` unless its view set a Cache-Control of its own.

    It sits above the session, CSRF and authentication middleware, so on a cache hit it lets the
    CSRF middleware read the reader's CSRF cookie and, if new, set it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        view = self.public_view(request)
        if view is None:
            return private_by_default(self.get_response(request))
        key = f"public:{content_stamp()}:{digest(public_address(request))}"
        stored = fetch(key)
        if stored is None:
            return StoredResponse.store(key, private_by_default(self.public_response(request)))
        if is_throttled(request, view):
            return private_by_default(self.get_response(request))  # the view answers 429
        return self.respond(request, stored)

    def public_view(self, request):
        """The view, if this request may be answered from the cache, else None.

        Only GETs from visitors without a session or credentials: any cookie other than the CSRF
        and language cookies (a session, a flash message) or an Authorization header means a
        personal answer.
        """
        if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
            return None
        if set(request.COOKIES) - {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}:
            return None
        return marked_view_at(request.path_info, "cached_for_anonymous")

    def public_response(self, request):
        """The view's answer with its validators; browsers revalidate a page before reuse, and
        keep one with a form (its CSRF token is the reader's own) out of shared caches."""
        response = self.get_response(request)
        if response.status_code != 200:
            return response
        for name, value in content_validators(request).items():
            response.headers.setdefault(name, value)
        if not response.has_header("Cache-Control"):
            if CSRF_TOKEN.search(response.content):
                patch_cache_control(response, private=True)
            patch_cache_control(response, no_cache=True)
        return response

    def respond(self, request, stored):
        if not stored.needs_csrf_token:
            return stored.to_response(request)
        self.csrf.process_request(request)
        return self.csrf.process_response(request, stored.to_response(request))


def private_by_default(response: HttpResponse) -> HttpResponse:
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_store=True)
    return response


def public_address(request: HttpRequest) -> list[str]:
    return [
        translation.get_language(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
    ]


@functools.lru_cache(maxsize=1024)
def marked_view_at(path: str, mark: str):
    """The view (or API view class) serving path if it carries the mark, else None."""
    try:
        view = resolve(path).func
    except Resolver404:
        return None
    for candidate in (view, getattr(view, "cls", None)):
        if getattr(candidate, mark, False):
            return candidate
    return None


def is_throttled(request: HttpRequest, view) -> bool:
    """API views count cached answers against the client's rate limit like any other."""
    throttle_classes = getattr(view, "throttle_classes", ())
    if not throttle_classes:
        return False
    request.user = AnonymousUser()
    return not all(throttle().allow_request(request, None) for throttle in throttle_classes)


# Below authentication -------------------------------------------------------------------------


def cached_below_login(*, version: Callable[[HttpRequest], object]):
    """Reuses a signed-in page until its key's parts change (see the module's docstring).

    Goes under @login_required: the request has passed every middleware and the login check
    before the cache is asked. Only the signed-in reader's own 200 answers are stored, under a
    key holding their session, so a page they may not see is never stored for them.
    """

    def reader(request):
        user = request.user
        return [
            request.session.session_key,
            user.pk,
            user.get_username(),
            user.is_staff,  # the footer links staff to the admin
            version(request),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
        ]

    return _reused_below_login(reader)


def cached_per_audience(view):
    """Reuses a page of public content built for one audience (signed in or not, staff or not:
    all the page frame shows of its reader) for everyone in it, until the content stamp moves.

    The view still runs below every middleware and the login check; only what it built is shared,
    with each reader's own CSRF token put into its forms.
    """

    def audience(request):
        return ["audience", request.user.is_authenticated, request.user.is_staff]

    return _reused_below_login(audience)(view)


def _reused_below_login(reader: Callable[[HttpRequest], list]):
    """A view's 200 GET answers, stored under reader(request), the content stamp and the address,
    and reused while no message waits to be shown."""

    def decorator(view):
        @functools.wraps(view)
        def reused_view(request, *args, **kwargs):
            if request.method != "GET" or len(messages.get_messages(request)):
                return view(request, *args, **kwargs)
            key = "private:" + digest(
                [
                    *reader(request),
                    translation.get_language(),
                    content_stamp(),
                    request.scheme,
                    request.get_host(),
                    request.get_full_path(),
                ]
            )
            stored = fetch(key)
            if stored is not None:
                return stored.to_response(request)
            return StoredResponse.store(key, view(request, *args, **kwargs))

        return reused_view

    return decorator


def shared_fragment(request: HttpRequest, name: str, parts: Iterable, build: Callable):
    """build()'s answer, built once for every reader until the content stamp moves (a part of a
    page that depends on public content and the parts named, never on the reader). An answer
    of None (nothing to show) is not kept."""
    key = f"fragment:{name}:{content_stamp()}:{translation.get_language()}:{digest(parts)}"
    value = fetch(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, CACHE_SECONDS)
    return value
