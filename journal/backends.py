from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import JournalRevision


class ModelBackendWithJournalRevision(ModelBackend):
    """Loads the user with their journal revision, in one plain query.

    This runs on every signed-in request, and every cached page of theirs needs the revision
    (see caching.py): one raw query costs less than half of the ORM's query with a join.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        pk = user_model._meta.pk.column
        query = (
            f"SELECT u.*, r.number AS journal_revision_number "
            f"FROM {user_model._meta.db_table} u "
            f"LEFT JOIN {JournalRevision._meta.db_table} r ON r.user_id = u.{pk} "
            f"WHERE u.{pk} = %s"
        )
        user = next(iter(user_model._default_manager.raw(query, [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
