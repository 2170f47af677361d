"""The sessions of sessions.py, read from the shared cache (Redis) before the database.

Every save still goes to the database as well, so a Redis restart signs nobody out, and the
owner cache's one-query read of a session (sessions.signed_in_user) always finds it there.
"""

from django.contrib.sessions.backends import cached_db

from . import sessions


class SessionStore(cached_db.SessionStore, sessions.SessionStore):
    pass
