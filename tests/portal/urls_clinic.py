"""The portal's URLs plus a stand-in clinician page in the "clinic" namespace."""

from django.http import HttpResponse
from django.urls import include, path

from portal import urls as portal_urls


def clinic_page(request):
    return HttpResponse("clinician page")


urlpatterns = [
    path("clinic/", include(([path("", clinic_page, name="home")], "clinic"))),
]
urlpatterns += portal_urls.urlpatterns
