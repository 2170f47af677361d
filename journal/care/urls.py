"""The clinician's pages, under /clinic/ (namespace "clinic")."""

from django.urls import path

from . import clinician_views

app_name = "clinic"

urlpatterns = [
    path("alerts/", clinician_views.alert_list, name="alerts"),
    path("alerts/<id:pk>/", clinician_views.alert_detail, name="alert"),
]
