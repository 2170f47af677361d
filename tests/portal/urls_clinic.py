"""The portal's URLs plus a stand-in clinician page in the "clinic" namespace."""

from django.http import HttpResponse
from django.urls import include, path


def clinic_page(request):
    return HttpResponse("clinician page")


urlpatterns = [
    path("clinic/", include(([path("", clinic_page, name="home")], "clinic"))),
    path("", include("portal.urls")),
]
