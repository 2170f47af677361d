"""The clinician pages, under /clinic/ (namespace "clinic"): staff in the Clinicians group with
their second factor verified (lib/two_factor.py); a patient's pages answer 404 without consent."""

from django.urls import path

from . import clinician_views as views

app_name = "clinic"

urlpatterns = [
    path("", views.patient_list, name="patients"),
    path("patients/<id:patient_id>/", views.patient_detail, name="patient"),
    path("patients/<id:patient_id>/questions/<id:item_pk>/", views.answer, name="answer"),
    path("patients/<id:patient_id>/checklists/<id:checklist_pk>/plan/", views.plan, name="plan"),
    path("patients/<id:patient_id>/checklists/<id:checklist_pk>/sheet/", views.sheet, name="sheet"),
    path(
        "patients/<id:patient_id>/checklists/<id:checklist_pk>/sheet.pdf",
        views.sheet_pdf,
        name="sheet_pdf",
    ),
    path("patients/<id:patient_id>/ratings/new/", views.rating, name="rating"),
    path("patients/<id:patient_id>/infusions/new/", views.record_infusion, name="infusion_create"),
    path(
        "patients/<id:patient_id>/infusions/<id:infusion_id>/monitoring/",
        views.infusion_monitoring,
        name="infusion_monitoring",
    ),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<id:pk>/", views.alert_detail, name="alert"),
]
