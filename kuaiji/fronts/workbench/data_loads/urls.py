"""The load screens, under /work/data/loads/ ("workbench:data_loads:<name>")."""

from django.urls import path

from kuaiji.fronts.workbench.data_loads import views

app_name = "data_loads"
urlpatterns = [
    path("resources/<slug:code>/", views.load_list, name="list"),
    path("<int:pk>/", views.load_detail, name="detail"),
]
