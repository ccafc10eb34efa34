"""URL map: the three fronts, the admin console, the API and the health report."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from kuaiji.platform.core.health import healthz
from kuaiji.platform.core.http_api import build_api

# The admin console asks for the second factor as well as the password.
admin.site.__class__ = OTPAdminSite
api = build_api()

urlpatterns = [
    path("", include("kuaiji.fronts.portal.urls")),
    path("work/", include("kuaiji.fronts.workbench.urls")),
    path("cockpit/", include("kuaiji.fronts.cockpit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
]

handler400 = "kuaiji.fronts.shell.views.bad_request"
handler403 = "kuaiji.fronts.shell.views.forbidden"
handler404 = "kuaiji.fronts.shell.views.not_found"
handler500 = "kuaiji.fronts.shell.views.server_error"
