from django.urls import include, path

from kuaiji.fronts.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("", views.home, name="home"),
    path("office/", include("kuaiji.fronts.cockpit.office.urls")),
]
