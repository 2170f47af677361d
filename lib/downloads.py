"""Files a patient saves (exports, PDF, calendar): attachments with a name."""

from django.http import HttpResponse


def as_download(response: HttpResponse, filename: str) -> HttpResponse:
    """Adds the filename the browser saves the response under. Like every private answer it is
    `private, no-store` (lib.caching.CacheRulesMiddleware), so no cache keeps a copy."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
