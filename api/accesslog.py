"""One structured (JSON) log line per request, and the request metrics, from one outermost middleware.

The line has method, path (never the query string, which may hold a question), route template, status,
latency and client; for /ask also the question's length, and its text only with REPORTQA_LOG_QUESTIONS=1.
Headers are never logged, so the bearer token cannot leak into logs.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import Metrics

log = logging.getLogger("reportqa.access")
UNMATCHED = "unmatched"  # no route: one label for every unknown path, so fuzzers cannot blow up the metrics


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics, log_questions: bool = False,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.app = app
        self.metrics = metrics
        self.log_questions = log_questions
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = self.clock()
        status = 500  # if the app dies before answering, that is what the client sees

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            seconds = self.clock() - started
            route = route_template(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            if log.isEnabledFor(logging.INFO):
                line = json.dumps(self.fields(scope, route, status, seconds), ensure_ascii=False)
                log.info("%s", line.encode("utf-8", "backslashreplace").decode("utf-8"))  # lone surrogates stay printable

    def fields(self, scope: Scope, route: str, status: int, seconds: float) -> dict[str, object]:
        client = scope.get("client")
        fields: dict[str, object] = {"method": scope["method"], "path": scope["path"], "route": route,
                                     "status": status, "ms": round(seconds * 1000, 1), "client": client[0] if client else None}
        question = (scope.get("state") or {}).get("question")  # set by the /ask routes via request.state
        if isinstance(question, str):
            fields["question_chars"] = len(question)
            if self.log_questions:
                fields["question"] = question
        return fields
