from django.urls import path

from kuaiji.fronts.workbench.service_statistics import views

app_name = "service_statistics"
urlpatterns = [path("", views.overview, name="overview")]
