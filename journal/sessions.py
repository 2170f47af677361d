"""Database sessions that keep the signed-in user's id in a column (UserSession), and the one
query that reads a session together with its user and their journal revision.

A signed-in patient's cached page is served once the portal knows who asks (caching.py). Django
finds that out with two queries, the session and then the user; signed_in_user does it with one,
and checks what Django's get_user checks. When in any doubt it answers None, and Django's own
session and authentication middleware decide.
"""

import functools

from django.conf import settings
from django.contrib import auth
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .models import JournalRevision, UserSession

# The backend whose get_user signed_in_user stands in for: it loads an active user by id.
BACKEND = "django.contrib.auth.backends.ModelBackend"


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(auth.SESSION_KEY)
        session.user_id = auth.get_user_model()._meta.pk.to_python(user_id) if user_id else None
        return session


@functools.cache
def session_and_user_query():
    """The query and the user fields it reads, in the model's order (as Model.from_db wants)."""
    user_model = auth.get_user_model()
    meta = user_model._meta
    # What a cached page's key and the session check need of the user.
    needed = {
        meta.pk.name,
        user_model.USERNAME_FIELD,
        "password",
        "is_active",
        "is_staff",
        "date_joined",
    }
    fields = [field for field in meta.concrete_fields if field.name in needed]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT s.session_data, r.number, "
        f"{', '.join(f'u.{quote(field.column)}' for field in fields)} "
        f"FROM {quote(UserSession._meta.db_table)} s "
        f"JOIN {quote(meta.db_table)} u ON u.{quote(meta.pk.column)} = s.user_id "
        f"LEFT JOIN {quote(JournalRevision._meta.db_table)} r ON r.user_id = s.user_id "
        f"WHERE s.session_key = %s AND s.expire_date > %s"
    )
    return sql, [field.attname for field in fields]


def signed_in_user(request):
    """The user this request's session signs in, loaded with their journal revision; None if
    there is none, or the session holds a message to show, or anything is unusual."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    sql, user_fields = session_and_user_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [session_key, timezone.now()])
        row = cursor.fetchone()
    if row is None:
        return None
    session_data, revision, *user_values = row
    user = auth.get_user_model().from_db(connection.alias, user_fields, user_values)
    user.journal_revision_number = revision
    data = SessionStore(session_key).decode(session_data)
    signed_in = (
        data.get(auth.SESSION_KEY) == str(user.pk)
        and data.get(auth.BACKEND_SESSION_KEY) == BACKEND
        and user.is_active
        and constant_time_compare(data.get(auth.HASH_SESSION_KEY, ""), user.get_session_auth_hash())
        and SessionStorage.session_key not in data
    )
    return user if signed_in else None
