from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from journal.checklist_views import shared_sheet

from . import views
from .sitemaps import SITEMAPS

admin.site.site_header = "Clinic portal administration"
admin.site.site_title = "Clinic portal admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("accounts/", include("journal.accounts")),
    path("journal/", include("journal.urls")),
    path("checklists/", include("journal.checklist_urls")),
    path("share/<str:token>/", shared_sheet, name="share"),
    path("", include("education.urls")),
]
