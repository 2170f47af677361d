"""Every change to a patient's records moves their journal revision (see JournalRevision),
logging in brings the patient's time zone into their session (lib.timezones), and each request
reads the clinic's safety settings afresh, once."""

from django.contrib.auth.signals import user_logged_in
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from education.models import SideEffect
from lib.timezones import remember_time_zone

from . import safety
from .models import (
    AccountPreferences,
    ChecklistItem,
    ClinicianRating,
    InfusionMonitoring,
    JournalRevision,
    Record,
    ShareLink,
    SideEffectReport,
    VisitPlan,
)


@receiver([post_save, post_delete])
def journal_changed(sender, instance, **kwargs):
    if isinstance(instance, Record | ClinicianRating):
        JournalRevision.move(user_id=instance.user_id)
    elif isinstance(instance, ChecklistItem | ShareLink | VisitPlan):
        JournalRevision.move(user__checklist=instance.checklist_id)
    elif isinstance(instance, InfusionMonitoring):
        JournalRevision.move(user__infusionsession=instance.infusion_id)


@receiver(pre_delete, sender=SideEffect)
def keep_reported_side_effect_names(sender, instance, **kwargs):
    """A side effect leaving the clinic's published list stays named in patients' journals."""
    if not instance.is_live:
        return
    reports = SideEffectReport.objects.filter(side_effect=instance)
    owners = list(reports.values_list("user_id", flat=True).distinct())
    reports.update(other_name=instance.name[:100])
    JournalRevision.move(user_id__in=owners)


@receiver(user_logged_in)
def remember_time_zone_at_login(sender, request, user, **kwargs):
    """One query at login, so that no page afterwards needs one to show local times."""
    if request is not None and hasattr(request, "session"):
        remember_time_zone(request, AccountPreferences.time_zone_of(user))


@receiver(request_started)
def clinic_safety_per_request(sender, **kwargs):
    """The clinic's safety settings are read once per request (journal.safety.clinic_safety)."""
    safety.request_started()


@receiver(request_finished)
def clinic_safety_forgotten(sender, **kwargs):
    safety.request_finished()
