"""The catalog screens, under /work/data/ ("workbench:data_catalog:<name>"). Resource pages live
under resources/ so these patterns never take /work/data/loads/ or /work/data/sharing/."""

from django.urls import path

from kuaiji.fronts.workbench.data_catalog import views

app_name = "data_catalog"
urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("register/", views.register, name="register"),
    path("resources/<slug:code>/", views.resource, name="resource"),
    path("resources/<slug:code>/edit/", views.edit, name="edit"),
]
