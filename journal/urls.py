from django.urls import path

from . import exports, views
from .care import patient_views as care_team
from .forms import (
    BloodPressureReadingForm,
    InfusionSessionForm,
    JournalEntryForm,
    MedicationForm,
    SideEffectReportForm,
)
from .models import (
    BloodPressureReading,
    InfusionSession,
    JournalEntry,
    Medication,
    QuestionnaireResponse,
    SideEffectReport,
)

app_name = "journal"

# Each kind of record, its form, the view that adds one (a check-in for a date that has one
# updates it) and the view that shows one (an infusion's adds the clinic's monitoring record).
RECORD_TYPES = [
    (JournalEntry, JournalEntryForm, views.CheckInCreateView, views.RecordDetailView),
    (SideEffectReport, SideEffectReportForm, views.RecordCreateView, views.RecordDetailView),
    (InfusionSession, InfusionSessionForm, views.RecordCreateView, views.InfusionDetailView),
    (
        BloodPressureReading,
        BloodPressureReadingForm,
        views.RecordCreateView,
        views.RecordDetailView,
    ),
    (Medication, MedicationForm, views.RecordCreateView, views.RecordDetailView),
]


def record_urls(model, form_class, create_view, detail_view):
    """List, add, view, edit and delete pages for one kind of record, under /journal/<kind>/."""
    kind = model.kind
    edit = {"model": model, "form_class": form_class}
    return [
        path(f"{kind}/", views.RecordListView.as_view(model=model), name=f"{kind}_list"),
        path(f"{kind}/new/", create_view.as_view(**edit), name=f"{kind}_create"),
        path(f"{kind}/<id:pk>/", detail_view.as_view(model=model), name=f"{kind}_detail"),
        path(
            f"{kind}/<id:pk>/edit/", views.RecordUpdateView.as_view(**edit), name=f"{kind}_update"
        ),
        path(
            f"{kind}/<id:pk>/delete/",
            views.RecordDeleteView.as_view(model=model),
            name=f"{kind}_delete",
        ),
    ]


urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("before-and-after/", views.before_after, name="before_after"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires_list"),
    path(
        "questionnaires/new/<slug:code>/", views.questionnaire_create, name="questionnaires_create"
    ),
    path("questionnaires/<id:pk>/", views.questionnaire_detail, name="questionnaires_detail"),
    path(
        "questionnaires/<id:pk>/delete/",
        views.RecordDeleteView.as_view(model=QuestionnaireResponse),
        name="questionnaires_delete",
    ),
    path("reminders/", views.reminders_page, name="reminders"),
    path("care-team/", care_team.care_team, name="care-team"),
    path("care-team/connect/<str:code>/", care_team.connect_link, name="care-team_connect"),
    path("care-team/<id:pk>/", care_team.change_scopes, name="care-team_update"),
    path("care-team/<id:pk>/withdraw/", care_team.withdraw, name="care-team_withdraw"),
    path("export/", exports.export_page, name="export"),
    path("export/<slug:kind>.csv", exports.export_csv, name="export_csv"),
    path("export/journal.json", exports.export_json, name="export_json"),
    path("export/health-record.fhir.json", exports.export_fhir, name="export_fhir"),
]
for model, form_class, create_view, detail_view in RECORD_TYPES:
    urlpatterns += record_urls(model, form_class, create_view, detail_view)
