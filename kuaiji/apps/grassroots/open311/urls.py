from django.urls import path, register_converter

from kuaiji.apps.grassroots.open311 import views


class FormatConverter:
    """`json` or `xml`, the response formats of GeoReport v2."""

    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"
urlpatterns = [
    path("services.<open311_format:fmt>", views.services_list, name="services"),
    path(
        "services/<str:code>.<open311_format:fmt>",
        views.service_definition,
        name="service",
    ),
    path("requests.<open311_format:fmt>", views.requests, name="requests"),
    path("requests/<str:request_id>.<open311_format:fmt>", views.request_detail, name="request"),
    path("tokens/<str:token_id>.<open311_format:fmt>", views.token, name="token"),
]
