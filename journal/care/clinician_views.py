"""The clinician's pages (under /clinic/): what a clinic's care team sees, with consent only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from . import alerts, rules
from .forms import AcknowledgeAlertForm


@login_required
def alert_list(request):
    if not rules.is_clinician(request.user):
        raise Http404("No such page.")
    return render(
        request,
        "journal/care/alert_list.html",
        {"alerts": alerts.open_alerts(clinician=request.user)},
    )


@login_required
def alert_detail(request, pk):
    alert = alerts.alert_for(clinician=request.user, alert_id=pk)
    form = AcknowledgeAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alerts.acknowledge(alert=alert, clinician=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The alert is acknowledged.")
            return redirect("clinic:alerts")
    return render(request, "journal/care/alert_detail.html", {"alert": alert, "form": form})
