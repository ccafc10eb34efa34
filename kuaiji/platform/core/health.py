"""Health report for load balancers and operators: is the database and the broker answering."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypedDict

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


class CheckResult(TypedDict, total=False):
    """The outcome of one component's check."""

    ok: bool
    detail: str
    latency_ms: float
    warning: str


def check_database() -> CheckResult:
    """Run a trivial query on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "detail": f"{connection.vendor}: {exc}".strip()}
    return {"ok": True, "detail": connection.vendor}


def check_broker() -> CheckResult:
    """Ping the Redis broker, or report that background work runs in-process."""
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "in-process"}
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "detail": f"redis: {exc}"}
    finally:
        client.close()
    return {"ok": True, "detail": "redis"}


# Apps add their own checks in AppConfig.ready(); a check with a `warning` stays healthy.
CHECKS: dict[str, Callable[[], CheckResult]] = {
    "database": check_database,
    "broker": check_broker,
}


def run_checks() -> dict[str, CheckResult]:
    """Run every check, timing each."""
    results: dict[str, CheckResult] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        result = check()
        result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every component answers, 503 naming the failing ones otherwise."""
    results = run_checks()
    failing = sorted(name for name, result in results.items() if not result["ok"])
    warnings = sorted(name for name, result in results.items() if result.get("warning"))
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "warnings": warnings,
        "checks": results,
    }
    return JsonResponse(body, status=503 if failing else 200)
