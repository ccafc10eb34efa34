from django.urls import path

from kuaiji.fronts.cockpit.office import views

app_name = "office"
urlpatterns = [path("", views.home, name="home")]
