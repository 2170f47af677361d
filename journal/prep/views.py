"""Checklist pages: build, edit and reorder questions (no JavaScript needed), print, share."""

import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from journal.models import AccountPreferences, Checklist, ChecklistItem
from journal.views import journal_revision
from lib.caching import cached_below_login
from lib.downloads import as_download

from ..care import workspace
from ..care.forms import TeachBackForm
from . import rules, sharing
from .forms import AddQuestionForm, ChecklistForm, ChecklistItemForm, OwnQuestionForm, SheetNameForm


def _own_checklist(request, pk):
    return get_object_or_404(Checklist.objects.owned_by(request.user), pk=pk)


def _own_item(request, pk, item_pk):
    return get_object_or_404(
        ChecklistItem.objects.filter(checklist__user=request.user, checklist_id=pk), pk=item_pk
    )


def _back_to(item):
    return redirect(f"{item.checklist.get_absolute_url()}#item-{item.pk}")


def _detail_page(
    request, checklist, *, own_question_form=None, teach_back_form=None, refusal=None, status=200
):
    """The checklist's page, with the clinic's after-visit plan if there is one; `refusal` is
    (item id, message) for a change a rule refused, shown beside that item."""
    plan = workspace.plan_of(checklist)
    return render(
        request,
        "journal/checklist_detail.html",
        {
            "checklist": checklist,
            "items": rules.with_moves(list(checklist.items.all())),
            "own_question_form": own_question_form or OwnQuestionForm(),
            "plan": plan,
            "teach_back_form": teach_back_form or TeachBackForm(instance=plan),
            "previous": checklist.previous(),
            "refused_item": refusal and refusal[0],
            "refusal": refusal and refusal[1],
        },
        status=status,
    )


@login_required
def checklist_list(request):
    checklists = Checklist.objects.owned_by(request.user)
    return render(request, "journal/checklist_list.html", {"checklists": checklists})


@login_required
def checklist_create(request):
    """Start a checklist; a question picked on /questions/ without an upcoming appointment comes
    along in the address (?question=) and is added once the checklist is built."""
    picked = AddQuestionForm(request.GET)
    question = picked.cleaned_data["question"] if picked.is_valid() else None
    form = ChecklistForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        checklist = form.save()
        added = rules.build_checklist(user=request.user, checklist=checklist)
        messages.success(
            request,
            ngettext(
                "Your checklist is ready with %(count)s question.",
                "Your checklist is ready with %(count)s questions.",
                len(added),
            )
            % {"count": len(added)},
        )
        if question:
            rules.add_catalogue_question(user=request.user, checklist=checklist, question=question)
            messages.success(
                request, gettext("“%(question)s” is on it.") % {"question": question.text}
            )
        return redirect(checklist)
    return render(request, "journal/checklist_form.html", {"form": form, "question": question})


@login_required
@require_POST
def add_question(request):
    """The "Add to my checklist" button of /questions/: the question goes to the next appointment's
    checklist, or, without one, along to a new checklist. Back on /questions/, a message says
    which appointment it went to, so the patient can pick the next question."""
    form = AddQuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That question is no longer on the clinic's list."))
        return redirect("education:questions")
    question = form.cleaned_data["question"]
    try:
        result = rules.add_to_next_checklist(user=request.user, question=question)
    except rules.NoUpcomingChecklist:
        messages.info(
            request,
            gettext(
                "You have no upcoming appointment yet. Start a checklist for it, and the question "
                "you picked will be added."
            ),
        )
        query = urlencode({"question": question.pk})
        return redirect(f"{reverse('checklists:create')}?{query}")
    messages.success(
        request,
        format_html(
            gettext('“{question}” is now on your checklist for <a href="{url}">{checklist}</a>.')
            if result.added
            else gettext(
                '“{question}” was already on your checklist for <a href="{url}">{checklist}</a>.'
            ),
            question=question.text,
            url=f"{result.checklist.get_absolute_url()}#item-{result.item.pk}",
            checklist=result.checklist,
        ),
    )
    return redirect("education:questions")


@login_required
def checklist_update(request, pk):
    checklist = _own_checklist(request, pk)
    form = ChecklistForm(request.POST or None, instance=checklist, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("The appointment is saved."))
        return redirect(checklist)
    return render(request, "journal/checklist_form.html", {"form": form, "checklist": checklist})


@login_required
def checklist_delete(request, pk):
    checklist = _own_checklist(request, pk)
    if request.method == "POST":
        checklist.delete()
        messages.success(request, gettext("The checklist is deleted."))
        return redirect("checklists:list")
    return render(request, "journal/checklist_confirm_delete.html", {"checklist": checklist})


@login_required
def checklist_detail(request, pk):
    return _detail_page(request, _own_checklist(request, pk))


@login_required
@require_POST
def teach_back(request, pk):
    """What the patient understood of the clinic's after-visit plan, in their own words."""
    checklist = _own_checklist(request, pk)
    form = TeachBackForm(request.POST)
    if form.is_valid():
        try:
            workspace.write_teach_back(
                user=request.user, checklist=checklist, text=form.cleaned_data["teach_back"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, gettext("Saved: your care team can read what you understood.")
            )
            return redirect(f"{checklist.get_absolute_url()}#plan")
    return _detail_page(request, checklist, teach_back_form=form, status=400)


@login_required
@require_POST
def checklist_rebuild(request, pk):
    checklist = _own_checklist(request, pk)
    added = rules.build_checklist(user=request.user, checklist=checklist)
    messages.success(
        request,
        ngettext(
            "%(count)s new question from your journal.",
            "%(count)s new questions from your journal.",
            len(added),
        )
        % {"count": len(added)}
        if added
        else gettext("No new questions from your journal."),
    )
    return redirect(checklist)


@login_required
@require_POST
def checklist_carry_over(request, pk):
    checklist = _own_checklist(request, pk)
    added = rules.carry_over_unanswered(checklist)
    messages.success(
        request,
        ngettext(
            "%(count)s unanswered question carried over.",
            "%(count)s unanswered questions carried over.",
            len(added),
        )
        % {"count": len(added)}
        if added
        else gettext("No unanswered questions carried over."),
    )
    return redirect(checklist)


@login_required
@require_POST
def item_create(request, pk):
    checklist = _own_checklist(request, pk)
    form = OwnQuestionForm(request.POST)
    if form.is_valid():
        try:
            item = rules.add_own_question(checklist=checklist, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _back_to(item)
    return _detail_page(request, checklist, own_question_form=form, status=400)


@login_required
def item_update(request, pk, item_pk):
    item = _own_item(request, pk, item_pk)
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Saved."))
        return _back_to(item)
    return render(request, "journal/checklist_item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_move(request, pk, item_pk):
    """Up, Down, or "Move to top" in one step (direction=top)."""
    item = _own_item(request, pk, item_pk)
    direction = request.POST.get("direction")
    if direction == "top":
        rules.move_item_to_top(item=item)
    else:
        rules.move_item_one_place(item=item, up=direction == "up")
    return _back_to(item)


@login_required
@require_POST
def item_toggle_top(request, pk, item_pk):
    """A refusal (a fourth top question) is shown beside the item and takes the focus, which
    scrolls the page to it (no #anchor: browsers skip autofocus on a page opened at one)."""
    item = _own_item(request, pk, item_pk)
    try:
        rules.toggle_top_priority(item)
    except ValidationError as error:
        refusal = (item.pk, " ".join(error.messages))
        return _detail_page(request, item.checklist, refusal=refusal, status=400)
    return _back_to(item)


@login_required
@require_POST
def item_delete(request, pk, item_pk):
    item = _own_item(request, pk, item_pk)
    rules.remove_item(item)
    messages.success(request, gettext("Removed: %(question)s") % {"question": item.text})
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
        if checklist.patient_name:
            messages.success(request, gettext("Saved: the sheet shows your name."))
        else:
            messages.success(request, gettext("Saved: the sheet shows no name."))
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
        messages.success(request, gettext("A new share link is ready. Copy it below."))
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
    messages.success(request, gettext("The link is revoked. Nobody can open it any more."))
    return redirect("checklists:share", pk=checklist.pk)


@csrf_exempt  # it takes no POST: any method but GET and HEAD is a 405, not a CSRF 403
@require_safe
def shared_sheet(request, token):
    """What the clinician sees: this checklist and its summary, read-only, no login, with the
    days and times of the patient's own sheet (their zone, not the reader's). Only a GET counts
    as an opening; a HEAD gets the same answer (the server drops its body), uncounted."""
    link = sharing.open_share_link(token, counted=request.method == "GET")
    if link is None:
        response = render(request, "journal/share_unavailable.html", status=404)
    else:
        owner_zone = AccountPreferences.time_zone_of(link.checklist.user_id)
        with timezone.override(zoneinfo.ZoneInfo(owner_zone)):
            context = {**rules.visit_sheet(link.checklist), "shared": True}
            response = render(request, "journal/shared_sheet.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
