"""The portal's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from portal import urls as portal_urls


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("boom/", boom),
]
urlpatterns += portal_urls.urlpatterns
