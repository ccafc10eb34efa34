"""Work-front screens of the supervision scene, under /work/supervision/
("workbench:supervision:<name>")."""

from django.urls import path

from kuaiji.fronts.workbench.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("urge/", views.urge, name="urge"),
]
