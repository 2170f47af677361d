"""The signed-in patient's time zone, active for the whole request (Django's "Selecting the
current time zone").

The zone's name is kept in the session, written when the patient signs up, logs in or changes it
(journal.accounts, journal.signals), so activating it costs no database query. A request whose
session holds none, every anonymous one included, keeps settings.TIME_ZONE.
"""

import zoneinfo

from django.http import HttpRequest
from django.utils import timezone

SESSION_KEY = "time_zone"


def remember_time_zone(request: HttpRequest, name: str) -> None:
    """Keeps the zone for the rest of the session, from this request on."""
    request.session[SESSION_KEY] = name
    timezone.activate(zoneinfo.ZoneInfo(name))


class TimeZoneMiddleware:
    """Goes after AuthenticationMiddleware. Deactivates after the response, so the zone of one
    request never leaks into the next one served by the same thread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(SESSION_KEY)
        try:
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            # A zone the time-zone database no longer knows (after an upgrade): the clinic's.
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
