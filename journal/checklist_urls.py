from django.urls import path

from . import checklist_views as views

app_name = "checklists"

urlpatterns = [
    path("", views.checklist_list, name="list"),
    path("new/", views.checklist_create, name="create"),
    path("<int:pk>/", views.checklist_detail, name="detail"),
    path("<int:pk>/edit/", views.checklist_update, name="update"),
    path("<int:pk>/delete/", views.checklist_delete, name="delete"),
    path("<int:pk>/rebuild/", views.checklist_rebuild, name="rebuild"),
    path("<int:pk>/carry-over/", views.checklist_carry_over, name="carry_over"),
    path("<int:pk>/questions/new/", views.item_create, name="item_create"),
    path("<int:pk>/questions/<int:item_pk>/", views.item_update, name="item_update"),
    path("<int:pk>/questions/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/questions/<int:item_pk>/top/", views.item_toggle_top, name="item_top"),
    path("<int:pk>/questions/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/sheet/", views.visit_sheet, name="sheet"),
    path("<int:pk>/sheet.pdf", views.visit_sheet_pdf, name="sheet_pdf"),
    path("<int:pk>/appointment.ics", views.appointment_ics, name="ics"),
    path("<int:pk>/share/", views.share_links, name="share"),
    path("<int:pk>/share/<int:link_pk>/revoke/", views.share_revoke, name="share_revoke"),
]
