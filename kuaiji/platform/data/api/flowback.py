"""Data flow-back over the API: a region's subscriptions, their deliveries and the rows of one
delivery, as JSON or CSV. Deliveries carry only fields of level 1 and 2."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.data import flowback
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.directory.models import Region
from kuaiji.platform.identity.api_auth import verified_session

router = Router(tags=["data"], auth=[api_key_auth, verified_session])


class SubscriptionIn(Schema):
    """Subscribe a region (within your scope) to a resource's rows whose `region_field` holds
    the code of that region or of a region below it."""

    resource: str = Field(description="The resource's code.")
    region: str = Field(description="The region's code.")
    region_field: str = Field(description="The text field holding region codes.")
    every_minutes: int = Field(1440, description="How often to deliver (5 minutes – 31 days).")


class SubscriptionOut(Schema):
    """A flow-back subscription."""

    id: int
    resource: str = Field(alias="resource.code")
    resource_title: str = Field(alias="resource.title")
    region: str = Field(alias="region.code")
    region_name: str = Field(alias="region.name")
    region_field: str
    every_minutes: int
    active: bool
    created_at: datetime
    last_delivered_at: datetime | None
    last_delivered_version: int


class DeliveryOut(Schema):
    """A delivery: when, which data version, how many rows."""

    id: int
    subscription_id: int
    at: datetime
    data_version: int
    row_count: int


class DeliveryDetail(DeliveryOut):
    fields: list[str]
    rows: list[dict[str, Any]]

    @staticmethod
    def resolve_fields(delivery: Any) -> list[str]:
        return flowback.columns(delivery)


@router.get("/subscriptions", response=list[SubscriptionOut], summary="Flow-back subscriptions")
@paginate(LimitOffsetPagination)
def list_subscriptions(request: HttpRequest) -> Any:
    return flowback.my_subscriptions(request.user)


@router.post("/subscriptions", response=SubscriptionOut, summary="Subscribe a region")
def create_subscription(request: HttpRequest, payload: SubscriptionIn) -> Any:
    resource = DataResource.objects.filter(code=payload.resource).first()
    if resource is None:
        raise InvalidInput(fields={"resource": _("No resource has this code.")})
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise InvalidInput(fields={"region": _("No region has this code.")})
    return flowback.subscribe(
        actor=request.user,
        resource=resource,
        region=region,
        region_field=payload.region_field,
        every_minutes=payload.every_minutes,
    )


@router.delete(
    "/subscriptions/{subscription_id}", response=SubscriptionOut, summary="Stop a subscription"
)
def delete_subscription(request: HttpRequest, subscription_id: int) -> Any:
    return flowback.unsubscribe(actor=request.user, subscription=subscription_id)


@router.get(
    "/subscriptions/{subscription_id}/deliveries",
    response=list[DeliveryOut],
    summary="A subscription's deliveries",
)
@paginate(LimitOffsetPagination)
def subscription_deliveries(request: HttpRequest, subscription_id: int) -> Any:
    return flowback.deliveries(request.user, subscription_id)


@router.get("/deliveries/{delivery_id}", response=DeliveryDetail, summary="A delivery's rows")
def delivery_rows(request: HttpRequest, delivery_id: int) -> Any:
    return flowback.delivery(request.user, delivery_id)


@router.get("/deliveries/{delivery_id}/rows.csv", summary="A delivery's rows as CSV")
def delivery_csv(request: HttpRequest, delivery_id: int) -> HttpResponse:
    found = flowback.delivery(request.user, delivery_id)
    response = HttpResponse(flowback.as_csv(found), content_type="text/csv; charset=utf-8")
    name = (
        f"{found.subscription.resource.code}-{found.subscription.region.code}-v{found.data_version}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
