from django.contrib.auth import views as auth_views
from django.urls import include, path

from kuaiji.fronts.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.status, name="status"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="workbench/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("directory/", include("kuaiji.fronts.workbench.directory.urls")),
    path("directory/import/", include("kuaiji.fronts.workbench.directory_import.urls")),
    path("audit/", include("kuaiji.fronts.workbench.audit.urls")),
    path("security/", include("kuaiji.fronts.workbench.security.urls")),
    path("accounts/", include("kuaiji.fronts.workbench.accounts.urls")),
    path("inbox/", include("kuaiji.fronts.workbench.inbox.urls")),
    path("chains/", include("kuaiji.fronts.workbench.chains.urls")),
    path("events/statistics/", include("kuaiji.fronts.workbench.event_statistics.urls")),
    path("events/", include("kuaiji.fronts.workbench.events.urls")),
    path("services/statistics/", include("kuaiji.fronts.workbench.service_statistics.urls")),
    path("services/applications/", include("kuaiji.fronts.workbench.applications.urls")),
    path("data/sharing/", include("kuaiji.fronts.workbench.data_sharing.urls")),
    path("data/quality/", include("kuaiji.fronts.workbench.data_quality.urls")),
    path("data/flowback/", include("kuaiji.fronts.workbench.data_flowback.urls")),
    path("data/loads/", include("kuaiji.fronts.workbench.data_loads.urls")),
    path("data/", include("kuaiji.fronts.workbench.data_catalog.urls")),
    path("directives/", include("kuaiji.fronts.workbench.directives.urls")),
    path("checklists/", include("kuaiji.fronts.workbench.checklists.urls")),
    path("supervision/", include("kuaiji.fronts.workbench.supervision.urls")),
]
