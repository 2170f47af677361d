from django.urls import path

from . import clinician_views as views

app_name = "clinic"

urlpatterns = [
    path("", views.patient_list, name="patients"),
    path("patients/<id:patient_id>/", views.patient_detail, name="patient"),
    path("patients/<id:patient_id>/questions/<id:item_pk>/", views.answer, name="answer"),
    path("patients/<id:patient_id>/checklists/<id:checklist_pk>/plan/", views.plan, name="plan"),
    path("patients/<id:patient_id>/ratings/new/", views.rating, name="rating"),
]
