"""Routes of the open data catalogue's standard interfaces: the CKAN Action API (under both
``/api/3/action/`` and ``/api/action/``) and the DCAT-AP catalogue (``/catalog.ttl``,
``/catalog.jsonld``, ``/catalog/<code>.ttl`` and ``.jsonld``)."""

from django.urls import path, register_converter

from kuaiji.platform.data.ckan import dcat_views, views


class RdfFormatConverter:
    """``ttl`` (Turtle) or ``jsonld`` (JSON-LD)."""

    regex = "ttl|jsonld"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RdfFormatConverter, "rdf_format")

app_name = "opendata"
urlpatterns = [
    path("api/3/action/<str:name>", views.action, name="ckan-action"),
    path("api/action/<str:name>", views.action, name="ckan-action-unversioned"),
    path("catalog.<rdf_format:fmt>", dcat_views.catalog, name="dcat-catalog"),
    path("catalog/<slug:code>.<rdf_format:fmt>", dcat_views.dataset, name="dcat-dataset"),
]
