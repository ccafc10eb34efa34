"""The directory screens, under /work/directory/ ("workbench:directory:<name>")."""

from django.urls import path

from kuaiji.fronts.workbench.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("regions/<str:code>/children/", views.region_children, name="region_children"),
    path("grids/map/", views.grid_map, name="grid_map"),
    path("grids/map/geojson/", views.grid_geojson, name="grid_geojson"),
    path("grids/<str:code>/", views.grid_detail, name="grid_detail"),
    path("staff/", views.staff, name="staff"),
]
