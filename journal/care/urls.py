from django.urls import path

from . import clinician_views

app_name = "clinic"

urlpatterns = [
    path(
        "patients/<id:patient_id>/infusions/<id:infusion_id>/monitoring/",
        clinician_views.infusion_monitoring,
        name="infusion_monitoring",
    ),
]
