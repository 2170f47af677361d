"""Cached pages of one patient (the dashboard, the visit-prep sheet).

Such a page is built from the patient's records, today's date and the public content it names
(side effects, say), so it is stored under the patient, their journal revision, the content
stamp and the date: any change to any of them builds it afresh on the next request.

OwnerCacheMiddleware serves these pages ahead of the rest of the middleware and the view: a hit
costs one query, which reads the session, the patient and their revision (sessions.py). Only 200
answers to the owner's GETs are stored, under the owner's own key, so a hit never needs the
view's ownership check. A request with a message to show (after a save) is always built afresh.
"""

import hashlib

from django.conf import settings
from django.utils import timezone

from education.caching import (
    StoredResponse,
    StoredResponseMiddleware,
    marked_view_at,
    request_stamp,
)

from .models import JournalRevision
from .sessions import signed_in_user

# A request carrying any other cookie (a flash message, say) is answered by the view.
COOKIES_OF_A_CACHED_PAGE = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def cached_for_owner(view):
    """Marks a signed-in patient's page that is the same until the key's parts change."""
    view.cached_for_owner = True
    return view


class OwnerCacheMiddleware(StoredResponseMiddleware):
    """Serves signed-in GETs of views marked cached_for_owner from the cache.

    The headers of the middleware below (content security policy, Vary: Cookie, framing, ...)
    are stored with each page.
    """

    def __call__(self, request):
        user = self.owner_of_a_cached_page(request)
        if user is None:
            return self.get_response(request)
        key = owner_cache_key(request, user)
        stored = StoredResponse.fetch(key)
        if stored is None:
            return StoredResponse.store(key, self.get_response(request))
        return self.respond(request, stored)

    def owner_of_a_cached_page(self, request):
        if request.method != "GET" or set(request.COOKIES) - COOKIES_OF_A_CACHED_PAGE:
            return None
        if not marked_view_at(request.path_info, "cached_for_owner"):
            return None
        return signed_in_user(request)


def owner_cache_key(request, user):
    parts = [
        str(user.pk),
        # Tells apart two accounts that had the same id (SQLite can reuse a deleted one's).
        str(user.date_joined),
        # The site's header shows the username, and a staff link to staff.
        user.get_username(),
        str(user.is_staff),
        str(JournalRevision.current(user)),
        request_stamp(request),
        timezone.localdate().isoformat(),
        request.get_full_path(),
    ]
    return "owner:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
