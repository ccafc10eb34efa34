from django.urls import path

from kuaiji.fronts.workbench.data_quality import views

app_name = "data_quality"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("<slug:code>/", views.resource, name="resource"),
]
