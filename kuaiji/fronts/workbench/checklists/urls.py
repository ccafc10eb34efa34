"""The task-list screens, under /work/checklists/ ("workbench:checklists:…")."""

from django.urls import path

from kuaiji.fronts.workbench.checklists import views

app_name = "checklists"
urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.new, name="new"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/publish/", views.publish, name="publish"),
    path("<str:number>/close/", views.close, name="close"),
    path("<str:number>/tasks/<int:sequence>/report/", views.report, name="report"),
    path("<str:number>/tasks/<int:sequence>/submit/", views.submit, name="submit"),
    path("<str:number>/tasks/<int:sequence>/acceptance/", views.decide, name="decide"),
    path("<str:number>/tasks/<int:sequence>/deadline/", views.deadline, name="deadline"),
    path("<str:number>/evidence/<int:pk>/", views.evidence, name="evidence"),
]
