"""Only the clinic's own record of an infusion is in the admin; a patient's journal is not."""

from django.contrib import admin
from django.utils.formats import date_format

from .care import monitoring
from .care.rules import record_access
from .models import InfusionMonitoring


@admin.register(InfusionMonitoring)
class InfusionMonitoringAdmin(admin.ModelAdmin):
    """Staff with the model's change permission edit the record here, under the same rules as
    the clinician page; the view permission alone shows it read-only, and without either it is
    not listed. Every opening of a record is in the patient's access log."""

    list_display = ["infusion", "patient", "recorded_by_name", "updated"]
    list_select_related = ["infusion__user"]
    raw_id_fields = ["infusion"]
    readonly_fields = ["recorded_by_name", "updated"]

    @admin.display(ordering="infusion__user__username")
    def patient(self, obj):
        return obj.infusion.user.get_username()

    def get_readonly_fields(self, request, obj=None):
        """A record stays with the infusion it was made for."""
        return [*self.readonly_fields, "infusion"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        monitoring.save_monitoring(staff=request.user, monitoring=obj)
        self._log(request, obj, "recorded in the admin")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        record = self.get_object(request, object_id)
        if request.method == "GET" and record and self.has_view_permission(request, record):
            self._log(request, record, "opened in the admin")
        return response

    def _log(self, request, record, how):
        day = date_format(record.infusion.date, "j M Y")
        record_access(
            staff=request.user,
            patient=record.infusion.user,
            clinic=None,
            what=f"infusion monitoring record, {day} ({how})",
        )
