"""URL map: the three fronts, the admin console, the API, Open311, the OpenID Connect provider
and the health report."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite
from oauth2_provider import views as oauth2_views

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.core.health import healthz
from kuaiji.platform.core.http_api import build_api
from kuaiji.platform.identity.oidc.views import NOT_STAFF, AuthorizationView

# The admin console asks for the second factor as well as the password.
admin.site.__class__ = OTPAdminSite
api = build_api()

# The OpenID Connect provider, in django-oauth-toolkit's namespace. The issuer is the site's
# root, so discovery is /.well-known/openid-configuration; the endpoints live under /o/.
# Not mounted: its self-service application pages and dynamic registration (administrators
# register clients), token introspection (any client could read others' tokens), the device
# flow and the plain OAuth 2 metadata document.
authorize = staff_required(AuthorizationView.as_view(), refusal=NOT_STAFF)
oidc_endpoints = [
    path("authorize/", authorize, name="authorize"),
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("userinfo/", oauth2_views.UserInfoView.as_view(), name="user-info"),
    path(".well-known/jwks.json", oauth2_views.JwksInfoView.as_view(), name="jwks-info"),
]
oidc_patterns = [
    re_path(
        r"^\.well-known/openid-configuration$",
        oauth2_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path("o/", include(oidc_endpoints)),
]

urlpatterns = [
    path("", include("kuaiji.fronts.portal.urls")),
    path("work/", include("kuaiji.fronts.workbench.urls")),
    path("cockpit/", include("kuaiji.fronts.cockpit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("kuaiji.apps.grassroots.open311.urls")),
    path("", include("kuaiji.platform.data.ckan.urls")),
    path("", include((oidc_patterns, "oauth2_provider"))),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
]

handler400 = "kuaiji.fronts.shell.views.bad_request"
handler403 = "kuaiji.fronts.shell.views.forbidden"
handler404 = "kuaiji.fronts.shell.views.not_found"
handler500 = "kuaiji.fronts.shell.views.server_error"
