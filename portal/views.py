from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from education.models import Article


def home(request):
    articles = Article.objects.published().only("title", "slug", "summary")
    return render(request, "home.html", {"articles": articles})


PRIVATE_PATHS = [
    "/admin/",
    "/accounts/",
    "/journal/",
    "/checklists/",
    "/share/",
    "/api/v1/journal/",
]


def robots_txt(request):
    """Search engines may index the public pages; patients' pages and share links are not theirs."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
