"""The directory import screens: upload and check, then confirm."""

from django.urls import path

from kuaiji.fronts.workbench.directory_import import views

app_name = "directory_import"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("apply/", views.confirm, name="apply"),
]
