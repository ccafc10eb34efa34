"""Requests per minute, counted in Django's cache (Redis when REDIS_URL is set, else the
process's memory).

Each key has one counter per calendar minute (a fixed window): simple, one atomic increment
per request, at the price of allowing up to twice the rate across a minute's boundary. With
the in-memory cache every server process counts on its own. If the cache does not answer, the
request is let through and a warning logged: the limit protects capacity, and refusing every
machine client because Redis blinked would be worse.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    """Whether one more request fits, and if not, how many seconds until it would."""

    allowed: bool
    retry_after: int = 0


def hit(bucket: str, limit: int, *, now: float | None = None) -> Verdict:
    """Count one request against `bucket` and say whether it is within `limit` per minute."""
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS)
    counter = f"kuaiji:rate:{bucket}:{window}"
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - moment))
    try:
        cache.add(counter, 0, timeout=WINDOW_SECONDS + 5)
        try:
            count = cache.incr(counter)
        except ValueError:  # the counter expired between add and incr
            cache.set(counter, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
    except Exception:  # the cache is down: let the request through (see the module's doc)
        logger.warning("rate counter for %s unavailable; request allowed", bucket, exc_info=True)
        return Verdict(allowed=True)
    if count > limit:
        return Verdict(allowed=False, retry_after=retry_after)
    return Verdict(allowed=True)
