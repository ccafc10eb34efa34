"""A throwaway API that raises every kind of error, to test the one error format."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from kuaiji.platform.core.errors import Conflict, InvalidInput
from kuaiji.platform.core.http_api import install_error_format

api = NinjaAPI(urls_namespace="error-format-test")
install_error_format(api)


class Payload(Schema):
    name: str
    age: int


@api.post("/echo")
def echo(request: HttpRequest, payload: Payload) -> dict[str, object]:
    return payload.dict()


@api.get("/invalid")
def invalid(request: HttpRequest) -> None:
    raise InvalidInput(fields={"phone": "手机号码格式不正确"})


@api.get("/conflict")
def conflict(request: HttpRequest) -> None:
    raise Conflict()


@api.get("/missing")
def missing(request: HttpRequest) -> None:
    raise Http404


@api.get("/forbidden")
def forbidden(request: HttpRequest) -> None:
    raise PermissionDenied


@api.get("/teapot")
def teapot(request: HttpRequest) -> None:
    raise HttpError(429, "slow down")


@api.get("/database-down")
def database_down(request: HttpRequest) -> None:
    raise OperationalError("connection refused")


@api.get("/bug")
def bug(request: HttpRequest) -> None:
    raise RuntimeError("secret internal detail")


urlpatterns = [path("api/test/", api.urls)]
