"""The directive screens, under /work/directives/ ("workbench:directives:…")."""

from django.urls import path

from kuaiji.fronts.workbench.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("new/", views.new, name="new"),
    path("statistics/", views.statistics, name="statistics"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/feedback/", views.feedback, name="feedback"),
    path("<str:number>/remind/", views.remind, name="remind"),
    path("<str:number>/close/", views.close, name="close"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:number>/feedback/<int:pk>/file/", views.feedback_file, name="feedback_file"),
]
