"""The clinician workspace under /clinic/: staff in the Clinicians group only (anyone else gets
a 404); every patient's page is a 404 without that patient's consent (workspace.py)."""

import functools
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from lib.downloads import as_download

from ..models import AccountPreferences, CareScope, InfusionMonitoring, InfusionSession
from ..prep import sharing
from . import alerts, monitoring, rules, workspace
from .forms import (
    AcknowledgeAlertForm,
    AnswerForm,
    ClinicianRatingForm,
    InfusionMonitoringForm,
    RecordInfusionForm,
    VisitPlanForm,
)


def clinician_required(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rules.is_clinician(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def in_patients_time_zone(view):
    """A page about one patient shows dates and times in the patient's zone, as their own pages
    and printouts do, and says so: the clinician's "the reading at 14:00" is the patient's, and
    "today" (their current appointment, a form's date) is the patient's day."""

    @functools.wraps(view)
    def wrapper(request, *args, patient_id, **kwargs):
        with timezone.override(patients_time_zone(patient_id)):
            return view(request, *args, patient_id=patient_id, **kwargs)

    return wrapper


def patients_time_zone(patient_id: int) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(AccountPreferences.time_zone_of(patient_id))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # unknown since an upgrade
        return timezone.get_default_timezone()


def _patient_url(patient_id, anchor=""):
    return reverse("clinic:patient", kwargs={"patient_id": patient_id}) + anchor


@clinician_required
@require_safe
def patient_list(request):
    rows = workspace.patient_list(clinician=request.user)
    return render(request, "journal/care/patient_list.html", {"rows": rows})


@clinician_required
@in_patients_time_zone
@require_safe
def patient_detail(request, patient_id):
    context = workspace.patient_page(
        clinician=request.user, patient_id=patient_id, today=timezone.localdate()
    )
    return render(request, "journal/care/patient_detail.html", context)


@clinician_required
@in_patients_time_zone
@require_safe
def sheet(request, patient_id, checklist_pk):
    """The patient's visit-prep sheet in the clinician's page language: /clinic/... (with
    ?lang=en, which a Spanish browser keeps) in English, /es/clinic/... in Spanish."""
    context = workspace.sheet_page(
        clinician=request.user,
        patient_id=patient_id,
        checklist_id=checklist_pk,
        what=gettext_noop("visit-prep sheet"),
    )
    return render(request, "journal/care/sheet.html", context)


@clinician_required
@in_patients_time_zone
@require_safe
def sheet_pdf(request, patient_id, checklist_pk):
    context = workspace.sheet_page(
        clinician=request.user,
        patient_id=patient_id,
        checklist_id=checklist_pk,
        what=gettext_noop("visit-prep sheet (PDF)"),
    )
    html = render_to_string("journal/visit_sheet_pdf.html", context)
    response = HttpResponse(sharing.pdf_from_html(html), content_type="application/pdf")
    day = context["checklist"].appointment_date
    return as_download(response, f"visit-prep-{day:%Y-%m-%d}-{translation.get_language()}.pdf")


@clinician_required
@in_patients_time_zone
def answer(request, patient_id, item_pk):
    """The clinician's answer to one of the patient's questions (a write is logged as such)."""
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = workspace.answer_question(
            clinician=request.user,
            patient_id=patient_id,
            item_id=item_pk,
            answer=form.cleaned_data["answer_notes"],
        )
        messages.success(request, gettext("Answer saved; the patient sees it on their checklist."))
        return redirect(_patient_url(patient_id, f"#item-{item.pk}"))
    item = workspace.question_for(
        clinician=request.user,
        patient_id=patient_id,
        item_id=item_pk,
        what=gettext_noop("checklist question"),
    )
    if request.method != "POST":
        form = AnswerForm(instance=item)
    return render(
        request,
        "journal/care/answer_form.html",
        {"form": form, "item": item, "patient_id": patient_id},
        status=400 if form.errors else 200,
    )


@clinician_required
@in_patients_time_zone
def plan(request, patient_id, checklist_pk):
    """The after-visit plan of one of the patient's checklists, with the patient's teach-back."""
    form = VisitPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace.write_plan(
            clinician=request.user,
            patient_id=patient_id,
            checklist_id=checklist_pk,
            plan=form.cleaned_data["plan"],
        )
        messages.success(request, gettext("Plan saved; the patient sees it on their checklist."))
        return redirect(_patient_url(patient_id, "#plan"))
    checklist = workspace.checklist_for(
        clinician=request.user,
        patient_id=patient_id,
        checklist_id=checklist_pk,
        what=gettext_noop("after-visit plan and teach-back"),
    )
    visit_plan = workspace.plan_of(checklist)
    if request.method != "POST":
        form = VisitPlanForm(instance=visit_plan)
    return render(
        request,
        "journal/care/plan_form.html",
        {"form": form, "checklist": checklist, "plan": visit_plan, "patient_id": patient_id},
        status=400 if form.errors else 200,
    )


@clinician_required
@in_patients_time_zone
def rating(request, patient_id):
    """CGI-S and CGI-I at a visit."""
    form = ClinicianRatingForm(request.POST or None, initial={"rated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        workspace.record_rating(clinician=request.user, patient_id=patient_id, **form.cleaned_data)
        messages.success(
            request, gettext("CGI ratings saved; the patient sees them on their trends.")
        )
        return redirect(_patient_url(patient_id, "#ratings"))
    connection = rules.patient_for(
        clinician=request.user,
        patient_id=patient_id,
        scope=CareScope.SUMMARY,
        what=gettext_noop("CGI form"),
    )
    return render(
        request,
        "journal/care/rating_form.html",
        {"form": form, "patient": connection.user},
        status=400 if form.errors else 200,
    )


@clinician_required
@in_patients_time_zone
def record_infusion(request, patient_id):
    """An infusion the clinic gave, added to the patient's journal; then its monitoring."""
    form = RecordInfusionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            infusion = monitoring.record_infusion(
                clinician=request.user, patient_id=patient_id, date=form.cleaned_data["date"]
            )
        except ValidationError as error:
            for message in error.messages:  # only the date can be wrong
                form.add_error("date", message)
        else:
            return redirect(
                "clinic:infusion_monitoring", patient_id=patient_id, infusion_id=infusion.pk
            )
    connection = rules.patient_for(
        clinician=request.user,
        patient_id=patient_id,
        scope=CareScope.JOURNAL,
        what=gettext_noop("the form to record an infusion"),
    )
    return render(
        request,
        "journal/care/record_infusion_form.html",
        {"form": form, "patient": connection.user},
        status=400 if form.errors else 200,
    )


@clinician_required
@in_patients_time_zone
def infusion_monitoring(request, patient_id, infusion_id):
    """Record or correct the monitoring of one of a consenting patient's infusions (their
    infusions are journal data). Each opening and each save is in the patient's access log.

    The infusion is looked up first so that the log names its date; without consent the answer
    is the same 404 whether it exists or not."""
    infusion = get_object_or_404(
        InfusionSession.objects.select_related("monitoring"), pk=infusion_id, user_id=patient_id
    )
    # The access log's words are kept in English, as every entry of the log.
    with translation.override("en"):
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
        messages.success(
            request,
            gettext("The monitoring of the infusion on %(day)s is saved.")
            % {"day": date_format(infusion.date, "j M Y")},
        )
        return redirect(request.path)
    return render(
        request,
        "journal/care/infusion_monitoring_form.html",
        {"form": form, "infusion": infusion, "patient": connection.user, "record": record},
    )


@clinician_required
@require_safe
def alert_list(request):
    return render(
        request,
        "journal/care/alert_list.html",
        {"alerts": alerts.open_alerts(clinician=request.user)},
    )


@clinician_required
def alert_detail(request, pk):
    alert = alerts.alert_for(clinician=request.user, alert_id=pk)
    form = AcknowledgeAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alerts.acknowledge(alert=alert, clinician=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("The alert is acknowledged."))
            return redirect("clinic:alerts")
    with timezone.override(patients_time_zone(alert.patient_id)):  # one patient's page
        return render(
            request,
            "journal/care/alert_detail.html",
            {"alert": alert, "form": form},
            status=400 if form.errors else 200,
        )
