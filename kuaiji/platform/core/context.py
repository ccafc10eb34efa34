"""Where the current change comes from: the request's id and source address, for the audit log.

The request middleware binds them for the length of a request; CLI commands, the demo loader
and tasks run without, and their entries carry none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    """The source of a request."""

    request_id: str
    source_ip: str | None


_current: ContextVar[RequestContext | None] = ContextVar("kuaiji_request", default=None)


def current() -> RequestContext | None:
    """The context of the request being handled, if any."""
    return _current.get()


@contextmanager
def bound(context: RequestContext) -> Iterator[None]:
    """Make `context` current inside the block."""
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)


def source_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind the production proxy it is the address the proxy appended
    last to X-Forwarded-For; otherwise the socket's peer."""
    if settings.PRODUCTION:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
