"""Every change to public content moves the content revision (ETags) and the cache stamp."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import caching
from .models import ContentRevision, LoadedSeedItem, PageFeedback

NOT_CONTENT = (ContentRevision, LoadedSeedItem, PageFeedback)


@receiver([post_save, post_delete, m2m_changed])
def content_changed(sender, action="post_", **kwargs):
    """Education models (and their many-to-many tables) are the public content; their history
    records (which have an instance_type) and readers' feedback are not."""
    if sender._meta.app_label != "education" or sender in NOT_CONTENT:
        return
    if hasattr(sender, "instance_type"):
        return
    if action.startswith("post_"):
        ContentRevision.touch()
        caching.content_changed()
