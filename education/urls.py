from django.urls import path

from . import views

app_name = "education"
urlpatterns = [
    path("learn/<slug:slug>/", views.article_detail, name="article"),
    path("learn/<slug:slug>/focus/<slug:anchor>/", views.article_focus, name="article_focus"),
    path("learn/<slug:slug>/feedback/", views.article_feedback, name="article_feedback"),
    path("faq/", views.faq_list, name="faq"),
    path("side-effects/", views.side_effect_list, name="side_effects"),
    path("questions/", views.question_list, name="questions"),
    path("search/", views.search, name="search"),
]
