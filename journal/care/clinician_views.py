"""The clinician pages of the care team: only parse, ask journal.care.rules and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format

from ..models import CareScope, InfusionMonitoring, InfusionSession
from . import monitoring, rules
from .forms import InfusionMonitoringForm


@login_required
def infusion_monitoring(request, patient_id, infusion_id):
    """Record or correct the monitoring of one of a consenting patient's infusions (their
    infusions are journal data). Each opening and each save is in the patient's access log.

    The infusion is looked up first so that the log names its date; without consent the answer
    is the same 404 whether it exists or not."""
    infusion = get_object_or_404(
        InfusionSession.objects.select_related("monitoring"), pk=infusion_id, user_id=patient_id
    )
    day = date_format(infusion.date, "j M Y")
    what = f"infusion monitoring record, {day}"
    if request.method == "POST":
        what = f"{what} (recorded)"
    connection = rules.patient_for(
        clinician=request.user, patient_id=patient_id, scope=CareScope.JOURNAL, what=what
    )
    record = infusion.monitoring_record or InfusionMonitoring(infusion=infusion)
    form = InfusionMonitoringForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        monitoring.save_monitoring(staff=request.user, monitoring=form.save(commit=False))
        messages.success(request, f"The monitoring of the infusion on {day} is saved.")
        return redirect(request.path)
    return render(
        request,
        "journal/care/infusion_monitoring_form.html",
        {"form": form, "infusion": infusion, "patient": connection.user, "record": record},
    )
