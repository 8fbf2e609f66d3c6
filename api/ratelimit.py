"""Optional per-client rate limiting (REPORTQA_RATE_LIMIT, e.g. 60/minute): a token bucket per client IP.

Each client may burst up to `requests` and then gets one request back every `per_seconds / requests`.
Over the limit it gets 429 in the error envelope with `Retry-After`. /health and /metrics are exempt so
load balancers and Prometheus never lock themselves out. Behind a reverse proxy the client IP is the one
uvicorn takes from X-Forwarded-For (it trusts that header from 127.0.0.1 only, see FORWARDED_ALLOW_IPS).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import envelope
from qa.core.settings import RateLimit

EXEMPT_PATHS = ("/health", "/metrics")
MAX_CLIENTS = 10_000  # buckets kept; the least recently seen client is forgotten first (it starts full again)


class TokenBuckets:
    """One bucket per key; `take` answers 0 when allowed, else the seconds until a token is back."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_CLIENTS) -> None:
        self.capacity = float(limit.requests)
        self.refill_per_s = limit.requests / limit.per_seconds
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, last time)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_s)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.refill_per_s
            self._buckets[key] = (tokens - 1 if tokens >= 1 else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.limit = limit
        self.buckets = TokenBuckets(limit, clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
        if wait > 0:
            retry = max(1, math.ceil(wait))
            message = (f"rate limit exceeded: at most {self.limit.requests} requests per "
                       f"{self.limit.per_seconds:g} s per client (REPORTQA_RATE_LIMIT); retry in {retry} s")
            await envelope(429, "rate_limited", message, {"Retry-After": str(retry)})(scope, receive, send)
            return
        await self.app(scope, receive, send)
