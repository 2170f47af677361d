from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import generic
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from lib.caching import cached_below_login

from . import reminders, safety, services
from .care import alerts
from .forms import JournalEntryForm, QuestionnaireForm, ReminderSettingsForm
from .models import JournalRevision, QuestionnaireResponse
from .questionnaires import DIFFICULTY_QUESTION, QUESTIONNAIRES


class OwnedRecordMixin(LoginRequiredMixin):
    """A patient's record views: only the signed-in patient's own records exist for them."""

    model = None
    paginate_by = 50

    def get_queryset(self):
        return self.model.objects.owned_by(self.request.user)

    def get_context_data(self, **kwargs):
        meta = self.model._meta
        kind = self.model.kind
        return super().get_context_data(
            kind=kind,
            record_name=meta.verbose_name,
            records_name=meta.verbose_name_plural,
            list_url=reverse(f"journal:{kind}_list"),
            **kwargs,
        )


class RecordListView(OwnedRecordMixin, generic.ListView):
    template_name = "journal/record_list.html"

    def get_context_data(self, **kwargs):
        create_url = reverse(f"journal:{self.model.kind}_create")
        return super().get_context_data(create_url=create_url, **kwargs)


class RecordDetailView(OwnedRecordMixin, generic.DetailView):
    template_name = "journal/record_detail.html"
    context_object_name = "record"
    raises_alerts = True

    def get_context_data(self, **kwargs):
        """A reading's safety message, and for an urgent one whether a clinic was alerted."""
        message = getattr(self.object, "safety", None)
        urgent = message is not None and message.level == "urgent"
        alerted = self.raises_alerts and urgent
        return super().get_context_data(
            safety_message=message,
            alerted_clinics=alerts.alerted_clinics(record=self.object) if alerted else [],
            **kwargs,
        )


class InfusionDetailView(RecordDetailView):
    """An infusion's page also shows the clinic's monitoring record of it, if there is one."""

    template_name = "journal/infusionsession_detail.html"
    raises_alerts = False  # an infusion's readings alert no clinic: its message says so

    def get_queryset(self):
        return super().get_queryset().select_related("monitoring")


class RecordEditMixin(OwnedRecordMixin):
    """Create and edit forms fill in a record for the signed-in patient, then show it."""

    form_class = None
    template_name = "journal/record_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self):
        return self.object.get_absolute_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        alerts.raise_alerts(record=self.object)
        return response


class RecordCreateView(RecordEditMixin, generic.CreateView):
    def form_valid(self, form):
        messages.success(
            self.request,
            gettext("Your %(record)s is saved.") % {"record": self.model._meta.verbose_name},
        )
        return super().form_valid(form)


class CheckInCreateView(RecordCreateView):
    """Adding a journal entry for a date that already has one updates that date's check-in."""

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return JournalEntryForm.for_check_in(
            user=self.request.user, data=data, date=timezone.localdate()
        )

    def form_valid(self, form):
        self.object = services.save_check_in(entry=form.save(commit=False))
        messages.success(
            self.request,
            gettext("Saved for %(date)s.") % {"date": services.long_date(self.object.date)},
        )
        return redirect(self.object)


class RecordUpdateView(RecordEditMixin, generic.UpdateView):
    context_object_name = "record"

    def form_valid(self, form):
        messages.success(self.request, gettext("Your changes are saved."))
        return super().form_valid(form)


class RecordDeleteView(OwnedRecordMixin, generic.DeleteView):
    template_name = "journal/record_confirm_delete.html"
    context_object_name = "record"

    def get_success_url(self):
        return reverse(f"journal:{self.model.kind}_list")

    def form_valid(self, form):
        messages.success(
            self.request,
            gettext("The %(record)s is deleted.") % {"record": self.model._meta.verbose_name},
        )
        return super().form_valid(form)


def journal_revision(request):
    """The version of a patient's cached pages: it moves whenever their records change."""
    return JournalRevision.current(request.user)


def _trend_window(request):
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    return days if days in services.TREND_WINDOWS else 30


@login_required
@cached_below_login(version=journal_revision)
def dashboard(request):
    """How the patient is doing at a glance (first on a phone), today's check-in, the trends
    and recent activity."""
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = JournalEntryForm.for_check_in(user=request.user, data=data, date=today)
    if request.method == "POST" and form.is_valid():
        entry = services.save_check_in(entry=form.save(commit=False))
        messages.success(
            request, gettext("Saved for %(date)s.") % {"date": services.long_date(entry.date)}
        )
        return redirect("journal:dashboard")
    days = _trend_window(request)
    return render(
        request,
        "journal/dashboard.html",
        {
            "today": today,
            "form": form,
            "days_logged": services.days_logged(user=request.user, today=today),
            "glance_days": services.GLANCE_DAYS,
            "safety_flag": services.latest_safety_flag(user=request.user, today=today),
            "appointment": services.next_appointment(user=request.user, today=today),
            "last_infusion": services.change_after_last_infusion(user=request.user),
            "days": days,
            "windows": services.TREND_WINDOWS,
            "trends": services.dashboard_trends(user=request.user, days=days),
            "recent": services.recent_activity(request.user),
        },
    )


@login_required
def before_after(request):
    rows = services.before_and_after_infusions(request.user)
    return render(request, "journal/before_after.html", {"rows": rows})


@login_required
def questionnaire_list(request):
    return render(
        request,
        "journal/questionnaire_list.html",
        {
            "questionnaires": QUESTIONNAIRES.values(),
            "histories": services.questionnaire_histories(request.user),
        },
    )


@login_required
def questionnaire_create(request, code):
    questionnaire = QUESTIONNAIRES.get(code)
    if questionnaire is None:
        raise Http404(gettext("No such questionnaire."))
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        response = QuestionnaireResponse.objects.create(
            user=request.user,
            questionnaire=code,
            answers=form.answers,
            difficulty=form.cleaned_data.get("difficulty"),
        )
        alerts.raise_alerts(record=response)
        return redirect(response)
    return render(
        request, "journal/questionnaire_form.html", {"form": form, "questionnaire": questionnaire}
    )


@login_required
def questionnaire_detail(request, pk):
    response = get_object_or_404(QuestionnaireResponse.objects.owned_by(request.user), pk=pk)
    return render(
        request,
        "journal/questionnaire_detail.html",
        {
            "response": response,
            "difficulty_question": DIFFICULTY_QUESTION,
            "alerted_clinics": alerts.alerted_clinics(record=response),
            "crisis_lines": safety.clinic_safety().crisis_lines,
        },
    )


@login_required
def reminders_page(request):
    """Each reminder's switch and time, and the quiet hours, in the patient's zone."""
    current = reminders.reminder_settings(user=request.user)
    form = ReminderSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            reminders.reminder_settings_set(
                user=request.user,
                choices=form.choices(),
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Your reminders are saved."))
            return redirect("journal:reminders")
    return render(request, "journal/reminders.html", {"form": form, "settings": current})


def _reminder_switched(request, token, *, enabled):
    reminder = reminders.reminder_for_token(token)
    if reminder is None:
        return render(request, "journal/reminder_link_broken.html", status=400)
    reminders.reminder_switch(reminder=reminder, enabled=enabled, now=timezone.now())
    return render(request, "journal/reminder_switched.html", {"reminder": reminder, "token": token})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def reminder_off(request, token):
    """The e-mail's unsubscribe link. Opened (GET) or sent by a mail client's one-click button
    (POST, RFC 8058), it turns that reminder off. The signed link is the credential: no login,
    and no CSRF token, which a mail client can't send."""
    return _reminder_switched(request, token, enabled=False)


@require_POST
def reminder_on(request, token):
    """The "Turn it back on" button of the page the unsubscribe link opens."""
    return _reminder_switched(request, token, enabled=True)
