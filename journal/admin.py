"""The journal's admin: only the clinic's safety settings. Patients' records are not here: staff
never browse them."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .models import SafetySettings


@admin.register(SafetySettings)
class SafetySettingsAdmin(admin.ModelAdmin):
    """One row, made with the defaults on first visit: the list opens it."""

    fieldsets = [
        (
            "Blood-pressure thresholds",
            {
                "description": "The safety messages patients see, the flags on their journal "
                "and the alerts to clinicians follow these from the next page they open.",
                "fields": [
                    ("urgent_systolic", "urgent_diastolic"),
                    ("low_systolic", "low_diastolic"),
                    ("pre_infusion_systolic", "pre_infusion_diastolic"),
                ],
            },
        ),
        ("Crisis lines", {"fields": ["other_crisis_lines"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings, _ = SafetySettings.objects.get_or_create(pk=1)
        return redirect(reverse("admin:journal_safetysettings_change", args=[settings.pk]))
