from django.urls import path

from kuaiji.fronts.portal import views

app_name = "portal"
urlpatterns = [path("", views.home, name="home")]
