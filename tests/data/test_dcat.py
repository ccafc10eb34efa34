"""The DCAT-AP 2.1.1 catalogue: Turtle and JSON-LD for the catalogue and each open dataset,
validated with pyshacl against the official shapes (tests/data/dcat_ap_shapes) — no violation
of the mandatory, range or controlled-vocabulary shapes — and what it says: bilingual titles,
EU themes, frequencies, licences, publisher, contact point and distribution."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from kuaiji.platform.data.dcat import VCARD
from kuaiji.platform.data.models import DataResource
from tests.data.conftest import open_entities
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db
SHAPES = Path(__file__).with_name("dcat_ap_shapes")
MANDATORY = "dcat-ap_2.1.1_shacl_shapes.ttl"
STRICT = (
    MANDATORY,
    "dcat-ap_2.1.1_shacl_range.ttl",
    "dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl",
)
EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture
def opened(city: TinyCity) -> DataResource:
    return open_entities(
        city,
        description_en="Public facts about registered market entities.",
        steward="张三",
        themes=["经济", "未分类"],
    )


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def assert_conforms(data: Graph, *names: str) -> None:
    """No sh:Violation among the results of the shapes in `names` (warnings are allowed, with
    the violations of the nested shapes that make them up)."""
    _conforms, results, text = validate(
        data, shacl_graph=shapes(*names), inference="none", advanced=True, allow_warnings=True
    )
    violations = [
        result
        for result in results.objects(None, ns.SH.result)
        if (result, ns.SH.resultSeverity, ns.SH.Violation) in results
    ]
    assert not violations, text


def fetched(client: Client, path: str, fmt: str = "turtle") -> Graph:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return Graph().parse(data=response.content.decode(), format=fmt)


def test_the_catalogue_passes_the_dcat_ap_shapes(
    client: Client, opened: DataResource, entities: DataResource
) -> None:
    response = client.get("/catalog.ttl")
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    assert_conforms(graph, MANDATORY)
    assert_conforms(graph, *STRICT)
    as_json = client.get("/catalog.jsonld")
    assert as_json["Content-Type"] == "application/ld+json"
    assert len(Graph().parse(data=as_json.content.decode(), format="json-ld")) == len(graph)


def test_an_empty_catalogue_passes_too(client: Client, city: TinyCity) -> None:
    assert_conforms(fetched(client, "/catalog.ttl"), *STRICT)


def test_what_the_catalogue_says(
    client: Client, opened: DataResource, entities: DataResource
) -> None:
    graph = fetched(client, "/catalog.ttl")
    [catalog] = graph.subjects(ns.RDF.type, ns.DCAT.Catalog)
    [dataset] = graph.objects(catalog, ns.DCAT.dataset)
    assert dataset == URIRef("http://testserver/catalog/open-entities"), "only open resources"
    titles = set(graph.objects(dataset, ns.DCTERMS.title))
    assert Literal("公开市场主体名录", lang="zh") in titles
    assert Literal("Open list of market entities", lang="en") in titles
    descriptions = {literal.language for literal in graph.objects(dataset, ns.DCTERMS.description)}
    assert descriptions == {"zh", "en"}
    assert {literal.language for literal in graph.objects(catalog, ns.DCTERMS.title)} == {
        "zh",
        "en",
    }
    assert graph.value(dataset, ns.DCTERMS.identifier) == Literal("open-entities")
    assert set(graph.objects(dataset, ns.DCAT.keyword)) == {
        Literal("企业", lang="zh"),
        Literal("名录", lang="zh"),
    }
    assert list(graph.objects(dataset, ns.DCAT.theme)) == [URIRef(f"{EU}data-theme/ECON")]
    assert graph.value(dataset, ns.DCTERMS.accrualPeriodicity) == URIRef(f"{EU}frequency/DAILY")
    publisher = graph.value(dataset, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in graph and graph.value(publisher, ns.FOAF.name)
    contact = graph.value(dataset, ns.DCAT.contactPoint)
    assert (contact, ns.RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.fn) == Literal("张三")
    assert graph.value(dataset, ns.DCTERMS.issued) and graph.value(dataset, ns.DCTERMS.modified)
    distribution = graph.value(dataset, ns.DCAT.distribution)
    access = str(graph.value(distribution, ns.DCAT.accessURL))
    assert access.endswith("/api/3/action/datastore_search?resource_id=open-entities")
    assert graph.value(distribution, ns.DCTERMS.license) == URIRef(f"{EU}licence/CC_BY_4_0")
    assert graph.value(distribution, ns.DCTERMS["format"]) == URIRef(f"{EU}file-type/CSV")
    download = URIRef("http://testserver/data/open-entities/download/csv/")
    assert graph.value(distribution, ns.DCAT.downloadURL) == download
    assert graph.value(catalog, ns.FOAF.homepage) == URIRef("http://testserver/")
    assert graph.value(catalog, ns.DCTERMS.publisher) is not None
    assert set(graph.objects(catalog, ns.DCTERMS.language)) == {
        URIRef(f"{EU}language/ZHO"),
        URIRef(f"{EU}language/ENG"),
    }


def test_one_dataset_and_what_is_not_there(
    client: Client, opened: DataResource, entities: DataResource
) -> None:
    graph = fetched(client, "/catalog/open-entities.ttl")
    assert (
        URIRef("http://testserver/catalog/open-entities"),
        ns.RDF.type,
        ns.DCAT.Dataset,
    ) in graph
    assert_conforms(graph, *STRICT)
    as_json = fetched(client, "/catalog/open-entities.jsonld", "json-ld")
    assert len(as_json) == len(graph)
    assert client.get("/catalog/market-entities.ttl").status_code == 404, "not open"
    assert client.get("/catalog/nothing.jsonld").status_code == 404
    assert client.get("/catalog.xml").status_code == 404
    assert client.post("/catalog.ttl").status_code == 405
