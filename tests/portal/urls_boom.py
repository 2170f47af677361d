"""The portal's URLs plus one view that fails, to see the 500 page."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("boom/", boom),
    path("", include("portal.urls")),
]
