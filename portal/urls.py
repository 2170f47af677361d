from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.routers import DefaultRouter

from education import api as content_api
from journal import api as journal_api
from journal.care import api as care_api
from journal.prep import api as prep_api
from journal.prep.views import shared_sheet
from journal.views import reminder_off, reminder_on
from lib.converters import IdConverter

from . import views
from .sitemaps import SITEMAPS

register_converter(IdConverter, "id")  # before the includes below, which use <id:...>

admin.site.site_header = "Clinic portal administration"
admin.site.site_title = "Clinic portal admin"


class Router(DefaultRouter):
    """No format-suffix addresses (faqs.json): the API is JSON only, and its schema has none."""

    include_format_suffixes = False
    APIRootView = views.APIRootView


api = Router()
api.register("faqs", content_api.FAQViewSet, basename="faq")
api.register("articles", content_api.ArticleViewSet, basename="article")
api.register("questions", content_api.ProviderQuestionViewSet, basename="question")
api.register("side-effects", content_api.SideEffectViewSet, basename="side-effect")
api.register("journal/entries", journal_api.JournalEntryViewSet, basename="journal-entry")
api.register(
    "journal/side-effects", journal_api.SideEffectReportViewSet, basename="journal-side-effect"
)
api.register(
    "journal/blood-pressure", journal_api.BloodPressureReadingViewSet, basename="journal-bp"
)
api.register("journal/infusions", journal_api.InfusionSessionViewSet, basename="journal-infusion")
api.register("journal/medications", journal_api.MedicationViewSet, basename="journal-medication")
api.register("checklists", prep_api.ChecklistViewSet, basename="checklist")
checklist_items = prep_api.ChecklistItemViewSet
api_urls = [
    *api.urls,
    path("reminders/", journal_api.ReminderSettingsView.as_view(), name="reminders"),
    path("care-team/", care_api.CareTeamView.as_view(), name="care-team"),
    path("care-team/connect/", care_api.ConnectView.as_view(), name="care-team-connect"),
    path("care-team/<id:pk>/", care_api.ConnectionView.as_view(), name="care-team-connection"),
    path("care-team/<id:pk>/withdraw/", care_api.WithdrawView.as_view(), name="care-team-withdraw"),
    path(
        "checklists/<id:checklist_pk>/items/",
        checklist_items.as_view({"get": "list", "post": "create"}),
        name="checklist-item-list",
    ),
    path(
        "checklists/<id:checklist_pk>/items/<id:pk>/",
        checklist_items.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="checklist-item-detail",
    ),
]

# Addresses without a language: machines' and staff's (lib/i18n.py picks their language).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": {"all": SITEMAPS["all"]}}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-language"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("language/", views.choose_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urls, "api"))),
    # The schema alone comes in two formats, chosen by Accept or drf-spectacular's ?format=.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(content_negotiation_class=DefaultContentNegotiation),
        name="api-schema",
    ),
    # The split view serves Swagger UI's start-up script as a file: no inline script for CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    re_path(r"^api/[\s\S]*$", views.api_not_found, name="api-not-found"),
]

# Pages: English at these addresses, Spanish at the same ones under /es/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/two-factor/", include("portal.two_factor")),
    path("accounts/", include("journal.accounts")),
    path("journal/", include("journal.urls")),
    path("checklists/", include("journal.prep.urls")),
    path("clinic/", include("journal.care.urls")),
    path("share/<str:token>/", shared_sheet, name="share"),
    path("reminders/<str:token>/off/", reminder_off, name="reminder_off"),
    path("reminders/<str:token>/on/", reminder_on, name="reminder_on"),
    path("", include("education.urls")),
    prefix_default_language=False,
)

# JSON under /api/, pages elsewhere; 503 with Retry-After while the database is unreachable.
# (A 404 under /api/ comes from the last API route, views.api_not_found.)
handler400 = views.bad_request
handler403 = views.permission_denied
handler500 = views.server_error
