import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import is_valid_path, reverse, translate_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework import routers
from rest_framework.permissions import AllowAny
from rest_framework.schemas.inspectors import DefaultSchema

from education.models import Article
from lib.caching import cached_for_anonymous
from lib.i18n import language_remembered, supported_language


@require_safe
@cached_for_anonymous
def home(request):
    articles = Article.objects.public().only("title", "slug", "summary")
    return render(request, "home.html", {"articles": articles})


PRIVATE_PAGES = ["/accounts/", "/journal/", "/checklists/", "/clinic/", "/share/"]
PRIVATE_PATHS = [
    "/admin/",
    *PRIVATE_PAGES,
    *(f"/{code}{page}" for code, _name in settings.LANGUAGES[1:] for page in PRIVATE_PAGES),
    "/api/v1/journal/",
]


@require_safe
def choose_language(request):
    """The language switcher's link: keeps the reader's choice in Django's language cookie (as
    Django's POST-only set_language does), so lib.i18n opens every later page in it, and opens
    the page they were on in that language. Changes nothing stored: a signed-in patient's saved
    language is changed on the account settings page."""
    language = supported_language(request.GET.get("language")) or settings.LANGUAGE_CODE
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(translate_url(next_url, language))
    return language_remembered(response, language)


@cached_for_anonymous
def robots_txt(request):
    """Search engines may index the public pages; patients' pages and share links are not theirs."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def healthz(request):
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# What the database driver raises when it cannot reach PostgreSQL (down, restarting, refusing
# connections) or loses the connection mid-request: a passing state, so 503 rather than 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def database_unavailable(error):
    """Whether the error, or one it was raised from, says the database cannot be reached."""
    while error is not None:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        error = error.__cause__
    return False


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, detail: str) -> JsonResponse:
    """An error under /api/ in the shape of DRF's own: clients parse JSON, whatever went wrong."""
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request, exception):
    """handler400 (an unknown host, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a malformed request):
    JSON under /api/, with 413 for a body too large; else the page (a form too large to take
    says what to do about it in the site's layout; Django's bare page for the rest, since the
    layout names the host, which may be the unknown one)."""
    if not is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return render(request, "413.html", status=413)
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return api_error(
            413, gettext("The request body is larger than %(limit)s bytes.") % {"limit": limit}
        )
    return api_error(400, gettext("Bad request."))


def permission_denied(request, exception):
    """handler403: JSON under /api/ (DRF answers its own views' 403s), else the page."""
    if is_api(request):
        return api_error(403, gettext("You do not have permission to perform this action."))
    return defaults.permission_denied(request, exception)


@csrf_exempt  # it changes nothing, and a client posting to a wrong address should learn so
def api_not_found(request):
    """The last route under /api/: an address no API route matches (an over-long id, an odd slug,
    a typo, /api/v2/) is a JSON 404 as DRF's own are, with DEBUG on too, where Django's
    handler404 would give way to its HTML debug page.

    An address missing only its final slash: a GET or HEAD is redirected to it, as APPEND_SLASH
    does elsewhere; any other method is told, since a redirect would turn a POST into a GET
    (and Django's APPEND_SLASH answers it with an error page)."""
    slashed = f"{request.path_info}/"
    if not request.path_info.endswith("/") and is_valid_path(slashed):
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        return api_error(
            404,
            gettext("Not found. API addresses end with a slash: %(path)s") % {"path": slashed},
        )
    return api_error(404, gettext("Not found."))


def server_error(request):
    """handler500: 503 with Retry-After while the database is unreachable, else the 500 page
    (JSON under /api/).

    Django calls it while handling the exception, so sys.exc_info() is that exception. Neither
    answer touches the database: the pages are rendered without the request, so no context
    processor looks up the user, the session or messages (as Django's own 500 view does).
    """
    if not database_unavailable(sys.exc_info()[1]):
        if is_api(request):
            return api_error(500, gettext("A server error occurred."))
        return defaults.server_error(request)
    if is_api(request):
        response = api_error(
            503,
            gettext("The service is briefly unavailable. Please retry in %(seconds)s seconds.")
            % {"seconds": RETRY_AFTER_SECONDS},
        )
    else:
        page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class APIRootView(routers.APIRootView):
    """`/api/v1/`, the API's front door: where each collection is, and the schema and docs that
    describe them. Addresses only, no data, so it is open to every client (DRF's root view
    inherits the API's sign-in rule and stays out of the schema; a client should find it in
    both)."""

    permission_classes = [AllowAny]
    schema = DefaultSchema()

    @extend_schema(
        operation_id="v1_root",
        summary="Where each part of the API is",
        description=(
            "The address of each collection of the API, and of its schema and documentation. "
            "Open to every client, signed in or not."
        ),
        responses={
            200: {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "uri"},
                "example": {
                    "faqs": "https://portal.example/api/v1/faqs/",
                    "schema": "https://portal.example/api/schema/",
                },
            }
        },
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for key, url_name in (
            ("reminders", "api:reminders"),
            ("care-team", "api:care-team"),
            ("schema", "api-schema"),
            ("docs", "api-docs"),
        ):
            response.data[key] = request.build_absolute_uri(reverse(url_name))
        return response
