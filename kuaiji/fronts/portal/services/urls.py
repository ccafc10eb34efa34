"""The service screens, under /services/ ("portal:services:<name>")."""

from django.urls import path

from kuaiji.fronts.portal.services import views

app_name = "services"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("items/<slug:code>/", views.item, name="item"),
    path("bundles/<slug:code>/", views.bundle, name="bundle"),
]
