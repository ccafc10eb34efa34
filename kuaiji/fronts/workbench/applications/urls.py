"""The application screens, under /work/services/applications/ ("workbench:applications:…")."""

from django.urls import path

from kuaiji.fronts.workbench.applications import views_detail, views_lists

app_name = "applications"
urlpatterns = [
    path("", views_lists.desk, name="desk"),
    path("department/", views_lists.department, name="department"),
    path("supervision/", views_lists.supervision, name="supervision"),
    path("<str:number>/", views_detail.detail, name="detail"),
    path("<str:number>/accept/", views_detail.accept, name="accept"),
    path("<str:number>/correction/", views_detail.correction, name="correction"),
    path("<str:number>/items/<str:item_code>/handle/", views_detail.handle, name="handle"),
    path("<str:number>/decide/", views_detail.decide, name="decide"),
    path("<str:number>/deliver/", views_detail.deliver, name="deliver"),
    path("<str:number>/materials/<str:code>/", views_detail.material, name="material"),
    path("<str:number>/certificate/", views_detail.certificate, name="certificate"),
]
