from django.contrib.auth.views import LogoutView
from django.urls import include, path

from kuaiji.fronts.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.profile, name="profile"),
    path("account/register/", views.register, name="register"),
    path(
        "account/register/enterprise/",
        views.register,
        {"kind": "enterprise"},
        name="register_enterprise",
    ),
    path("account/sign-in/", views.PortalLoginView.as_view(), name="login"),
    path("account/sign-out/", LogoutView.as_view(next_page="portal:home"), name="logout"),
    path("events/", include("kuaiji.fronts.portal.events.urls")),
    path("data/", include("kuaiji.fronts.portal.opendata.urls")),
    path("services/", include("kuaiji.fronts.portal.services.urls")),
]
