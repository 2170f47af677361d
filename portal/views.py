import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.http import require_safe

from education.models import Article
from lib.caching import cached_for_anonymous


@require_safe
@cached_for_anonymous
def home(request):
    articles = Article.objects.public().only("title", "slug", "summary")
    return render(request, "home.html", {"articles": articles})


PRIVATE_PATHS = [
    "/admin/",
    "/accounts/",
    "/journal/",
    "/checklists/",
    "/share/",
    "/api/v1/journal/",
]


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


def server_error(request):
    """handler500: 503 with Retry-After while the database is unreachable, else the 500 page.

    Django calls it while handling the exception, so sys.exc_info() is that exception. Neither
    answer touches the database: the pages are rendered without the request, so no context
    processor looks up the user, the session or messages (as Django's own 500 view does).
    """
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": (
                    "The service is briefly unavailable. "
                    f"Please retry in {RETRY_AFTER_SECONDS} seconds."
                )
            },
            status=503,
        )
    else:
        page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
