"""The open data screens, under /data/ ("portal:opendata:<name>")."""

from django.urls import path

from kuaiji.fronts.portal.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("<slug:code>/", views.resource, name="resource"),
    path("<slug:code>/download/<slug:fmt>/", views.download, name="download"),
]
