"""The data resource catalog over the API: list, one resource with its schema, registration."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.data import selectors, services
from kuaiji.platform.data.models import DataResource, OpeningType, SharingType, UpdateFrequency
from kuaiji.platform.data.records import ResourceRecord
from kuaiji.platform.identity.api_auth import verified_session

router = Router(tags=["data"], auth=[api_key_auth, verified_session])


class FieldOut(Schema):
    """A field of a resource's schema and its classification level (1 public … 4 sensitive)."""

    name: str
    type: str
    description: str
    standard: str
    level: int
    primary_key: bool
    required: bool


class ResourceOut(Schema):
    """A data resource of the catalog."""

    code: str
    title: str
    title_en: str
    description: str
    department_code: str = Field(alias="department.code")
    department_name: str = Field(alias="department.name")
    steward: str
    frequency: UpdateFrequency
    themes: list[str]
    tags: list[str]
    licence: str
    sharing: SharingType
    sharing_basis: str
    opening: OpeningType
    version: int
    updated_at: datetime


class ResourceDetail(ResourceOut):
    fields: list[FieldOut]

    @staticmethod
    def resolve_fields(resource: DataResource) -> list[Any]:
        return list(resource.fields.all())


@router.get("/resources", response=list[ResourceOut], summary="The data resource catalog")
@paginate(LimitOffsetPagination)
def list_resources(request: HttpRequest) -> Any:
    return selectors.catalog(request.user)


@router.get("/resources/{code}", response=ResourceDetail, summary="A resource and its schema")
def resource_detail(request: HttpRequest, code: str) -> Any:
    return selectors.resource(request.user, code)


@router.post("/resources", response=ResourceDetail, summary="Register or describe a resource")
def register(request: HttpRequest, payload: ResourceRecord) -> Any:
    return services.register_resource(actor=request.user, resource=payload)
