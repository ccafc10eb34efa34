"""The API root, its OpenAPI document, and one error format for every failure."""

from __future__ import annotations

import pytest
from django.test import Client


def _error(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_openapi_document_and_docs_page(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Kuaiji API"
    assert "/api/v1/platform/info" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower(), "the API docs must load their assets locally"


def test_platform_info(client: Client) -> None:
    info = client.get("/api/v1/platform/info").json()
    assert info["city"]["division_code"] == "330600"
    assert info["languages"] == ["zh-hans", "en"]
    assert info["default_language"] == "zh-hans"
    assert info["background_tasks"] == "in-process"


def test_unknown_api_path_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_messages_follow_the_chosen_language(client: Client) -> None:
    assert _error(client.get("/api/v1/nothing"))["message"] == "未找到。"
    client.cookies["kuaiji_language"] = "en"
    assert _error(client.get("/api/v1/nothing"))["message"] == "Not found."


pytestmark_errors = pytest.mark.urls("tests.error_urls")


@pytestmark_errors
def test_validation_errors_name_each_field(client: Client) -> None:
    response = client.post(
        "/api/test/echo", {"name": "x", "age": "old"}, content_type="application/json"
    )
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"age"}  # type: ignore[arg-type]


@pytestmark_errors
def test_malformed_json_is_a_400(client: Client) -> None:
    response = client.post("/api/test/echo", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert _error(response)["code"] in {"invalid", "bad_request"}


@pytestmark_errors
@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/test/invalid", 400, "invalid"),
        ("/api/test/conflict", 409, "conflict"),
        ("/api/test/missing", 404, "not_found"),
        ("/api/test/forbidden", 403, "forbidden"),
        ("/api/test/teapot", 429, "rate_limited"),
        ("/api/test/database-down", 503, "unavailable"),
    ],
)
def test_each_error_kind(client: Client, path: str, status: int, code: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert _error(response)["code"] == code


@pytestmark_errors
def test_field_messages_are_kept(client: Client) -> None:
    assert _error(client.get("/api/test/invalid"))["fields"] == {"phone": "手机号码格式不正确"}


@pytestmark_errors
def test_unexpected_failure_is_json_without_details(client: Client) -> None:
    response = client.get("/api/test/bug")
    assert response.status_code == 500
    error = _error(response)
    assert error["code"] == "server_error"
    assert "secret internal detail" not in response.content.decode()


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    assert len(client.get("/api/v1/platform/info")["X-Request-ID"]) == 32
    echoed = client.get("/healthz", headers={"X-Request-ID": "trace-0001-abc"})
    assert echoed["X-Request-ID"] == "trace-0001-abc"
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert replaced["X-Request-ID"] != "<script>"


@pytest.mark.django_db
def test_a_wrong_method_is_a_json_405(client: Client) -> None:
    response = client.delete("/api/v1/platform/info")
    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]
