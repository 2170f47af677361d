"""Every change to a patient's records moves their journal revision (see JournalRevision)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ChecklistItem, JournalRevision, Record, ShareLink


@receiver([post_save, post_delete])
def journal_changed(sender, instance, **kwargs):
    if isinstance(instance, Record):
        JournalRevision.move(user_id=instance.user_id)
    elif isinstance(instance, ChecklistItem | ShareLink):
        JournalRevision.move(user__checklist=instance.checklist_id)
