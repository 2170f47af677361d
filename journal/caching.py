"""Cached pages of one patient (the dashboard, the visit-prep sheet).

Such a page is built from the patient's records, today's date and the public content it names
(side effects, say), so it is stored under the patient, their journal revision, the content
stamp and the date: any change to any of them builds it afresh on the next request. Only
200 answers to the owner's GETs are stored, under the owner's own key, so a hit never needs the
view's ownership check. A page with a message to show (after a save) is always built afresh.
"""

import hashlib
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.utils import timezone

from education.caching import StoredResponse, content_stamp

from .models import JournalRevision


def cached_for_owner(view):
    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method != "GET" or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        key = owner_cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            return stored.to_response(request)
        return StoredResponse.store(key, view(request, *args, **kwargs))

    return cached_view


def owner_cache_key(request):
    user = request.user
    # date_joined tells apart two accounts that had the same id (SQLite can reuse a deleted one's).
    parts = [
        str(user.pk),
        str(user.date_joined.timestamp()),
        # The site's header shows the username, and a staff link to staff.
        user.get_username(),
        str(user.is_staff),
        str(JournalRevision.current(user)),
        content_stamp(),
        timezone.localdate().isoformat(),
        request.get_full_path(),
    ]
    return "owner:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
