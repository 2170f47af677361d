"""Checklist pages: build, edit and reorder questions (no JavaScript needed), print, share."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from journal.models import Checklist, ChecklistItem
from journal.views import journal_revision
from lib.caching import cached_below_login
from lib.downloads import as_download

from . import rules, sharing
from .forms import ChecklistForm, ChecklistItemForm, OwnQuestionForm, SheetNameForm


def _own_checklist(request, pk):
    return get_object_or_404(Checklist.objects.owned_by(request.user), pk=pk)


def _own_item(request, pk, item_pk):
    return get_object_or_404(
        ChecklistItem.objects.filter(checklist__user=request.user, checklist_id=pk), pk=item_pk
    )


def _back_to(item):
    return redirect(f"{item.checklist.get_absolute_url()}#item-{item.pk}")


@login_required
def checklist_list(request):
    checklists = Checklist.objects.owned_by(request.user)
    return render(request, "journal/checklist_list.html", {"checklists": checklists})


@login_required
def checklist_create(request):
    form = ChecklistForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        checklist = form.save()
        added = rules.build_checklist(user=request.user, checklist=checklist)
        messages.success(request, f"Your checklist is ready with {len(added)} questions.")
        return redirect(checklist)
    return render(request, "journal/checklist_form.html", {"form": form})


@login_required
def checklist_update(request, pk):
    checklist = _own_checklist(request, pk)
    form = ChecklistForm(request.POST or None, instance=checklist, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The appointment is saved.")
        return redirect(checklist)
    return render(request, "journal/checklist_form.html", {"form": form, "checklist": checklist})


@login_required
def checklist_delete(request, pk):
    checklist = _own_checklist(request, pk)
    if request.method == "POST":
        checklist.delete()
        messages.success(request, "The checklist is deleted.")
        return redirect("checklists:list")
    return render(request, "journal/checklist_confirm_delete.html", {"checklist": checklist})


@login_required
def checklist_detail(request, pk):
    checklist = _own_checklist(request, pk)
    return render(
        request,
        "journal/checklist_detail.html",
        {
            "checklist": checklist,
            "items": checklist.items.all(),
            "own_question_form": OwnQuestionForm(),
            "previous": checklist.previous(),
        },
    )


@login_required
@require_POST
def checklist_rebuild(request, pk):
    checklist = _own_checklist(request, pk)
    added = rules.build_checklist(user=request.user, checklist=checklist)
    messages.success(request, f"{len(added) or 'No'} new questions from your journal.")
    return redirect(checklist)


@login_required
@require_POST
def checklist_carry_over(request, pk):
    checklist = _own_checklist(request, pk)
    added = rules.carry_over_unanswered(checklist)
    messages.success(request, f"{len(added) or 'No'} unanswered questions carried over.")
    return redirect(checklist)


@login_required
@require_POST
def item_create(request, pk):
    checklist = _own_checklist(request, pk)
    form = OwnQuestionForm(request.POST)
    if form.is_valid():
        item = rules.add_own_question(checklist=checklist, text=form.cleaned_data["text"])
        return _back_to(item)
    return render(
        request,
        "journal/checklist_detail.html",
        {
            "checklist": checklist,
            "items": checklist.items.all(),
            "own_question_form": form,
            "previous": checklist.previous(),
        },
        status=400,
    )


@login_required
def item_update(request, pk, item_pk):
    item = _own_item(request, pk, item_pk)
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return _back_to(item)
    return render(request, "journal/checklist_item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_move(request, pk, item_pk):
    item = _own_item(request, pk, item_pk)
    rules.move_item_one_place(item=item, up=request.POST.get("direction") == "up")
    return _back_to(item)


@login_required
@require_POST
def item_toggle_top(request, pk, item_pk):
    item = _own_item(request, pk, item_pk)
    try:
        rules.toggle_top_priority(item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to(item)


@login_required
@require_POST
def item_delete(request, pk, item_pk):
    item = _own_item(request, pk, item_pk)
    rules.remove_item(item)
    messages.success(request, f"Removed: {item.text}")
    return redirect(item.checklist)


@login_required
@cached_below_login(version=journal_revision)
def visit_sheet(request, pk):
    checklist = _own_checklist(request, pk)
    context = {**rules.visit_sheet(checklist), "name_form": SheetNameForm(instance=checklist)}
    return render(request, "journal/visit_sheet.html", context)


@login_required
@require_POST
def sheet_name(request, pk):
    """The patient's choice of a name on the sheet, its PDF and share links (empty: none)."""
    checklist = _own_checklist(request, pk)
    form = SheetNameForm(request.POST, instance=checklist)
    if form.is_valid():
        form.save()
        shown = "shows your name" if checklist.patient_name else "shows no name"
        messages.success(request, f"Saved: the sheet {shown}.")
        return redirect("checklists:sheet", pk=checklist.pk)
    checklist.refresh_from_db(fields=["patient_name"])  # the refused name stays off the sheet
    context = {**rules.visit_sheet(checklist), "name_form": form}
    return render(request, "journal/visit_sheet.html", context, status=400)


@login_required
def visit_sheet_pdf(request, pk):
    checklist = _own_checklist(request, pk)
    html = render_to_string("journal/visit_sheet_pdf.html", rules.visit_sheet(checklist))
    response = HttpResponse(sharing.pdf_from_html(html), content_type="application/pdf")
    return as_download(response, f"visit-prep-{checklist.appointment_date:%Y-%m-%d}.pdf")


@login_required
def appointment_ics(request, pk):
    checklist = _own_checklist(request, pk)
    # The patient's own zone, active for their request (lib.timezones).
    ics = sharing.appointment_calendar(checklist, time_zone=timezone.get_current_timezone())
    response = HttpResponse(ics, content_type="text/calendar")
    return as_download(response, f"appointment-{checklist.appointment_date:%Y-%m-%d}.ics")


@login_required
def share_links(request, pk):
    checklist = _own_checklist(request, pk)
    if request.method == "POST":
        link = sharing.create_share_link(checklist)
        messages.success(request, "A new share link is ready. Copy it below.")
        return redirect(f"{request.path}#link-{link.pk}")
    links = checklist.share_links.prefetch_related("views")
    rows = [(link, request.build_absolute_uri(sharing.share_path(link))) for link in links]
    return render(request, "journal/share_links.html", {"checklist": checklist, "rows": rows})


@login_required
@require_POST
def share_revoke(request, pk, link_pk):
    checklist = _own_checklist(request, pk)
    link = get_object_or_404(checklist.share_links, pk=link_pk)
    sharing.revoke_share_link(link)
    messages.success(request, "The link is revoked. Nobody can open it any more.")
    return redirect("checklists:share", pk=checklist.pk)


@require_safe
def shared_sheet(request, token):
    """What the clinician sees: this checklist and its summary, read-only, no login. Only a GET
    counts as an opening; a HEAD gets the same answer (the server drops its body), uncounted."""
    link = sharing.open_share_link(token, counted=request.method == "GET")
    if link is None:
        response = render(request, "journal/share_unavailable.html", status=404)
    else:
        context = {**rules.visit_sheet(link.checklist), "shared": True}
        response = render(request, "journal/shared_sheet.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
