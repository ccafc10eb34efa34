"""The DCAT-AP catalogue over HTTP: ``/catalog.ttl`` and ``/catalog.jsonld`` for the whole
catalogue, ``/catalog/<code>.ttl`` and ``.jsonld`` for one open resource (404 for any other).
Public, like the open data they describe."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from kuaiji.platform.data import dcat

CONTENT_TYPES = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _answer(text: str, fmt: str) -> HttpResponse:
    return HttpResponse(text.encode("utf-8"), content_type=CONTENT_TYPES[fmt])


@require_GET
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole catalogue."""
    return _answer(dcat.serialize(dcat.catalog_graph(_base(request)), fmt), fmt)


@require_GET
def dataset(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """One open resource's dataset."""
    item = dcat.open_resources().filter(code=code).first()
    if item is None:
        raise Http404()
    return _answer(dcat.serialize(dcat.dataset_graph(item, _base(request)), fmt), fmt)
