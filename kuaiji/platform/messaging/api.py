"""The inbox over the API: a person's own notifications and their read receipts.

Every signed-in caller has an inbox, so no permission is needed; another person's
notification answers 404 like a missing one.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.identity.api_auth import verified_session
from kuaiji.platform.messaging import selectors, services
from kuaiji.platform.messaging.models import NotificationKind

PREFIX = "/messaging"
router = Router(tags=["messaging"], auth=[api_key_auth, verified_session])


class NotificationOut(Schema):
    """A notification in the caller's inbox; `read_at` is null while unread."""

    id: int
    kind: NotificationKind
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class InboxFilters(Schema):
    unread: bool = Field(False, description="Only notifications not read yet.")


@router.get("/inbox", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(LimitOffsetPagination)
def list_inbox(request: HttpRequest, filters: Query[InboxFilters]) -> Any:
    return selectors.inbox(request.user, unread_only=filters.unread)


@router.post(
    "/inbox/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one of my notifications as read",
)
def read(request: HttpRequest, notification_id: int) -> Any:
    return services.mark_read(actor=request.user, notification=notification_id)
