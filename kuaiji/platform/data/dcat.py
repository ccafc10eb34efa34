"""The open data catalogue as DCAT-AP 2.1.1 (rdflib graphs, served as Turtle and JSON-LD).

One ``dcat:Catalog`` for the city, one ``dcat:Dataset`` per open resource (opening ``open``),
each with one ``dcat:Distribution``: its rows through the CKAN ``datastore_search`` action
(JSON), and its download where the service front has one. Titles and descriptions carry
``@zh`` and ``@en``. Our themes, update frequencies, languages, formats and licences are given
as the EU vocabularies' concepts (data themes, frequencies, languages, file types, licences,
access rights, publisher types) and described in the graph itself — type, ``skos:prefLabel``
and ``skos:inScheme`` — so the DCAT-AP range and vocabulary shapes can check them without
fetching the vocabularies.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from kuaiji.platform.data.ckan import shapes
from kuaiji.platform.data.models import DataResource, OpeningType, UpdateFrequency

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = URIRef(f"{EU}data-theme")
FREQUENCY_SCHEME = URIRef(f"{EU}frequency")
LANGUAGE_SCHEME = URIRef(f"{EU}language")
FILE_TYPE_SCHEME = URIRef(f"{EU}file-type")
LICENCE_SCHEME = URIRef(f"{EU}licence")
ACCESS_RIGHT_SCHEME = URIRef(f"{EU}access-right")
PUBLISHER_TYPE_SCHEME = URIRef("http://purl.org/adms/publishertype/1.0")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
PUBLIC = URIRef(f"{ACCESS_RIGHT_SCHEME}/PUBLIC")
IANA = "http://www.iana.org/assignments/media-types/"

# The city's themes as EU data themes: code and English label of the concept.
EU_THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
THEMES = {
    "交通": "TRAN",
    "人口": "SOCI",
    "农业农村": "AGRI",
    "农业": "AGRI",
    "卫生健康": "HEAL",
    "卫生": "HEAL",
    "医疗": "HEAL",
    "城乡建设": "REGI",
    "城市管理": "REGI",
    "基层治理": "GOVE",
    "政务": "GOVE",
    "财政": "ECON",
    "经济": "ECON",
    "市场监管": "ECON",
    "教育": "EDUC",
    "文化旅游": "EDUC",
    "文化": "EDUC",
    "体育": "EDUC",
    "民政": "SOCI",
    "社会保障": "SOCI",
    "就业": "SOCI",
    "环境": "ENVI",
    "生态环境": "ENVI",
    "水利": "ENVI",
    "自然资源": "ENVI",
    "能源": "ENER",
    "科技": "TECH",
    "法治": "JUST",
    "公共安全": "JUST",
    "安全生产": "JUST",
}
FREQUENCIES = {
    UpdateFrequency.REALTIME: ("UPDATE_CONT", "continuously updated"),
    UpdateFrequency.DAILY: ("DAILY", "daily"),
    UpdateFrequency.WEEKLY: ("WEEKLY", "weekly"),
    UpdateFrequency.MONTHLY: ("MONTHLY", "monthly"),
    UpdateFrequency.QUARTERLY: ("QUARTERLY", "quarterly"),
    UpdateFrequency.YEARLY: ("ANNUAL", "annual"),
    UpdateFrequency.IRREGULAR: ("IRREG", "irregular"),
}
# Licences (SPDX identifiers) as EU licence concepts.
LICENCES = {
    "CC-BY-4.0": ("CC_BY_4_0", "Creative Commons Attribution 4.0 International"),
    "CC-BY-SA-4.0": ("CC_BYSA_4_0", "Creative Commons Attribution-ShareAlike 4.0 International"),
    "CC0-1.0": ("CC0", "Creative Commons CC0 1.0 Universal"),
    "ODbL-1.0": ("ODBL", "Open Data Commons Open Database License 1.0"),
    "PDDL-1.0": ("PDDL_1_0", "Open Data Commons Public Domain Dedication and License 1.0"),
}
FORMATS = {"JSON": "application/json", "CSV": "text/csv"}


def open_resources() -> QuerySet[DataResource]:
    """The resources the catalogue describes: the open ones, with their departments."""
    return (
        DataResource.objects.filter(opening=OpeningType.OPEN)
        .select_related("department")
        .order_by("code")
    )


def _in(language: str, text: str, **values: str) -> str:
    """A message of ours in one language (the English source, or its translation)."""
    with translation.override(language):
        return _(text) % values


def _bound(graph: Graph) -> Graph:
    for prefix, namespace in {
        "dcat": DCAT,
        "dct": DCTERMS,
        "foaf": FOAF,
        "skos": SKOS,
        "vcard": VCARD,
        "adms": ADMS,
        "dcatap": DCATAP,
    }.items():
        graph.bind(prefix, namespace)
    return graph


def _concept(graph: Graph, iri: URIRef, label: str, scheme: URIRef, *kinds: URIRef) -> URIRef:
    """Describe a controlled-vocabulary concept (and its scheme) in the graph."""
    graph.add((iri, RDF.type, SKOS.Concept))
    for kind in kinds:
        graph.add((iri, RDF.type, kind))
    graph.set((iri, SKOS.prefLabel, Literal(label, lang="en")))
    graph.add((iri, SKOS.inScheme, scheme))
    return iri


def _moment(value: datetime) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, zh: str, en: str) -> None:
    graph.add((subject, predicate, Literal(zh or en, lang="zh")))
    if en:
        graph.add((subject, predicate, Literal(en, lang="en")))


def _languages(graph: Graph, subject: URIRef, *codes: str) -> None:
    labels = {"ZHO": "Chinese", "ENG": "English"}
    for code in codes:
        iri = URIRef(f"{LANGUAGE_SCHEME}/{code}")
        _concept(graph, iri, labels[code], LANGUAGE_SCHEME, DCTERMS.LinguisticSystem)
        graph.add((subject, DCTERMS.language, iri))


def _agent(graph: Graph, iri: URIRef, zh: str, en: str) -> URIRef:
    graph.add((iri, RDF.type, FOAF.Agent))
    _texts(graph, iri, FOAF.name, zh, en)
    _concept(graph, LOCAL_AUTHORITY, "Local Authority", PUBLISHER_TYPE_SCHEME)
    graph.add((PUBLISHER_TYPE_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.set((PUBLISHER_TYPE_SCHEME, DCTERMS.title, Literal("Publisher type", lang="en")))
    graph.add((iri, DCTERMS.type, LOCAL_AUTHORITY))
    return iri


def dataset_iri(base: str, code: str) -> URIRef:
    """The IRI of a resource's dataset."""
    return URIRef(f"{base}/catalog/{code}")


def add_dataset(graph: Graph, item: DataResource, base: str) -> URIRef:
    """Describe one open resource as a dcat:Dataset with its distribution."""
    dataset = dataset_iri(base, item.code)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, item.title, item.title_en)
    _texts(
        graph,
        dataset,
        DCTERMS.description,
        item.description or item.title,
        item.description_en or (item.title_en if not item.description else ""),
    )
    graph.add((dataset, DCTERMS.identifier, Literal(item.code)))
    for keyword in item.tags:
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang="zh")))
    for theme in item.themes:
        code = THEMES.get(theme)
        if code is not None:
            iri = URIRef(f"{THEME_SCHEME}/{code}")
            graph.add((dataset, DCAT.theme, _concept(graph, iri, EU_THEMES[code], THEME_SCHEME)))
    department = item.department
    publisher = URIRef(shapes.action_url(base, "organization_show", id=department.code))
    graph.add(
        (dataset, DCTERMS.publisher, _agent(graph, publisher, department.name, department.name_en))
    )
    contact = BNode(f"contact-{item.code}")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(item.steward or department.name)))
    graph.add((contact, VCARD["organization-name"], Literal(department.name)))
    graph.add((dataset, DCAT.contactPoint, contact))
    code, label = FREQUENCIES[UpdateFrequency(item.frequency)]
    frequency = URIRef(f"{FREQUENCY_SCHEME}/{code}")
    _concept(graph, frequency, label, FREQUENCY_SCHEME, DCTERMS.Frequency)
    graph.add((dataset, DCTERMS.accrualPeriodicity, frequency))
    _concept(graph, PUBLIC, "public", ACCESS_RIGHT_SCHEME, DCTERMS.RightsStatement)
    graph.add((dataset, DCTERMS.accessRights, PUBLIC))
    _languages(graph, dataset, "ZHO")
    graph.add((dataset, DCTERMS.issued, _moment(item.created_at)))
    graph.add((dataset, DCTERMS.modified, _moment(shapes.modified(item))))
    graph.add(
        (dataset, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(str(item.version)))
    )
    graph.add((dataset, DCAT.distribution, _distribution(graph, item, base)))
    return dataset


def _distribution(graph: Graph, item: DataResource, base: str) -> URIRef:
    distribution = URIRef(f"{base}/catalog/{item.code}/distribution")
    graph.add((distribution, RDF.type, DCAT.Distribution))
    shown = shapes.resource(item, base)
    _texts(graph, distribution, DCTERMS.title, item.title, item.title_en)
    access = shapes.action_url(base, "datastore_search", resource_id=item.code)
    graph.add((distribution, DCAT.accessURL, URIRef(access)))
    download = shapes.download_path(item)
    if download is not None:
        graph.add((distribution, DCAT.downloadURL, URIRef(f"{base}{download}")))
    kind = shown["format"]
    file_type = URIRef(f"{FILE_TYPE_SCHEME}/{kind}")
    _concept(graph, file_type, kind, FILE_TYPE_SCHEME, DCTERMS.MediaTypeOrExtent)
    graph.add((distribution, DCTERMS["format"], file_type))
    media = URIRef(f"{IANA}{FORMATS[kind]}")
    graph.add((media, RDF.type, DCTERMS.MediaType))
    graph.add((distribution, DCAT.mediaType, media))
    licence = LICENCES.get(item.licence)
    if licence is not None:
        iri = URIRef(f"{LICENCE_SCHEME}/{licence[0]}")
        graph.add((iri, RDF.type, DCTERMS.LicenseDocument))
        graph.add((iri, DCTERMS.title, Literal(licence[1], lang="en")))
        graph.add((distribution, DCTERMS.license, iri))
    elif item.licence.startswith(("http://", "https://")):
        graph.add((URIRef(item.licence), RDF.type, DCTERMS.LicenseDocument))
        graph.add((distribution, DCTERMS.license, URIRef(item.licence)))
    graph.add((distribution, DCTERMS.issued, _moment(item.created_at)))
    graph.add((distribution, DCTERMS.modified, _moment(shapes.modified(item))))
    return distribution


def catalog_graph(base: str) -> Graph:
    """The whole catalogue: the city's dcat:Catalog and every open resource."""
    graph = _bound(Graph())
    city = settings.KUAIJI_CITY
    catalog = URIRef(f"{base}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    title = gettext_noop("%(city)s public data catalogue")
    described = gettext_noop(
        "The public data the departments of %(city)s open to everyone, free to reuse."
    )
    graph.add((catalog, DCTERMS.title, Literal(_in("zh-hans", title, city=city.name), lang="zh")))
    graph.add((catalog, DCTERMS.title, Literal(_in("en", title, city=city.name_en), lang="en")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(_in("zh-hans", described, city=city.name), lang="zh"),
        )
    )
    graph.add(
        (catalog, DCTERMS.description, Literal(_in("en", described, city=city.name_en), lang="en"))
    )
    government = gettext_noop("People's Government of %(city)s")
    publisher = _agent(
        graph,
        URIRef(f"{base}/catalog#publisher"),
        _in("zh-hans", government, city=city.name),
        _in("en", government, city=city.name_en),
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    homepage = URIRef(f"{base}/")
    graph.add((homepage, RDF.type, FOAF.Document))
    graph.add((catalog, FOAF.homepage, homepage))
    _languages(graph, catalog, "ZHO", "ENG")
    graph.add((THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((THEME_SCHEME, DCTERMS.title, Literal("Data theme", lang="en")))
    graph.add((catalog, DCAT.themeTaxonomy, THEME_SCHEME))
    items = list(open_resources())
    for item in items:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, item, base)))
    if items:
        graph.add((catalog, DCTERMS.issued, _moment(min(item.created_at for item in items))))
        graph.add((catalog, DCTERMS.modified, _moment(max(shapes.modified(i) for i in items))))
    return graph


def dataset_graph(item: DataResource, base: str) -> Graph:
    """One open resource's dataset, linked to the catalogue it belongs to."""
    graph = _bound(Graph())
    dataset = add_dataset(graph, item, base)
    graph.add((URIRef(f"{base}/catalog"), DCAT.dataset, dataset))
    return graph


JSONLD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "vcard": str(VCARD),
    "adms": str(ADMS),
    "xsd": str(XSD),
}


def serialize(graph: Graph, fmt: str) -> str:
    """The graph as Turtle (``ttl``) or compacted JSON-LD (``jsonld``)."""
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    return graph.serialize(format="turtle")
