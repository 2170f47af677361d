from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("", views.checklist_list, name="list"),
    path("new/", views.checklist_create, name="create"),
    path("add-question/", views.add_question, name="add_question"),
    path("<id:pk>/", views.checklist_detail, name="detail"),
    path("<id:pk>/edit/", views.checklist_update, name="update"),
    path("<id:pk>/delete/", views.checklist_delete, name="delete"),
    path("<id:pk>/teach-back/", views.teach_back, name="teach_back"),
    path("<id:pk>/rebuild/", views.checklist_rebuild, name="rebuild"),
    path("<id:pk>/carry-over/", views.checklist_carry_over, name="carry_over"),
    path("<id:pk>/questions/new/", views.item_create, name="item_create"),
    path("<id:pk>/questions/<id:item_pk>/", views.item_update, name="item_update"),
    path("<id:pk>/questions/<id:item_pk>/move/", views.item_move, name="item_move"),
    path("<id:pk>/questions/<id:item_pk>/top/", views.item_toggle_top, name="item_top"),
    path("<id:pk>/questions/<id:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<id:pk>/sheet/", views.visit_sheet, name="sheet"),
    path("<id:pk>/sheet/name/", views.sheet_name, name="sheet_name"),
    path("<id:pk>/sheet.pdf", views.visit_sheet_pdf, name="sheet_pdf"),
    path("<id:pk>/appointment.ics", views.appointment_ics, name="ics"),
    path("<id:pk>/share/", views.share_links, name="share"),
    path("<id:pk>/share/<id:link_pk>/revoke/", views.share_revoke, name="share_revoke"),
]
