from django.urls import path

from kuaiji.fronts.workbench.event_statistics import views

app_name = "event_statistics"
urlpatterns = [path("", views.overview, name="overview")]
