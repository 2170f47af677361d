"""Every change to public content moves the content revision, which drives ETags and caches."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import ContentRevision, LoadedSeedItem

NOT_CONTENT = (ContentRevision, LoadedSeedItem)


@receiver([post_save, post_delete, m2m_changed])
def content_changed(sender, action="post_", **kwargs):
    """Education models (and their many-to-many tables) are the public content."""
    if sender._meta.app_label != "education" or sender in NOT_CONTENT:
        return
    if action.startswith("post_"):
        ContentRevision.touch()
