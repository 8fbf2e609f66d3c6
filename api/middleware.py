"""The middleware stack, and the body limit: reject bodies over a limit with 413, counting bytes as they
stream in (never buffering them)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import HTTPException
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.accesslog import RequestLogMiddleware
from api.errors import envelope
from api.metrics import Metrics
from api.ratelimit import RateLimitMiddleware
from qa.core.settings import Settings

# Room for every schema-valid /ask body however it is spelled: a 1000-char question, 20 history turns of
# 1000+2000 chars and the filters stay under 1 MiB even as \uXXXX escapes (12 bytes per astral char).
JSON_BODY_LIMIT = 1024 * 1024
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the uploaded file


class BodyTooLarge(HTTPException):
    """Raised from the wrapped `receive`; an HTTPException so FastAPI's body parsing re-raises it as is."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail)


class BodyLimitMiddleware:
    """Uploads (`POST /documents`) get `max_upload_bytes` plus multipart overhead; everything else
    gets `JSON_BODY_LIMIT`. A declared Content-Length over the limit is refused before reading;
    a chunked body with no Content-Length is counted as it arrives."""

    def __init__(self, app: ASGIApp, upload_limit: int, json_limit: int = JSON_BODY_LIMIT,
                 upload_paths: tuple[str, ...] = ("/documents",)) -> None:
        self.app = app
        self.upload_limit = upload_limit + MULTIPART_OVERHEAD
        self.upload_message = f"upload is larger than the limit of {upload_limit} bytes (REPORTQA_MAX_UPLOAD_BYTES)"
        self.json_message = f"request body is larger than the limit of {json_limit} bytes"
        self.json_limit = json_limit
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_upload = scope["method"] == "POST" and scope["path"].rstrip("/") in self.upload_paths
        limit = self.upload_limit if is_upload else self.json_limit
        detail = self.upload_message if is_upload else self.json_message
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_413(scope, send, detail)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(detail)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            # Normally the exception handlers answer; this catches a limit hit outside routing.
            if not started:
                await _send_413(scope, send, detail)
            else:
                raise


async def _send_413(scope: Scope, send: Send, detail: str) -> None:
    await envelope(413, "too_large", detail)(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def install_middleware(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    """Outermost first: request log + metrics (sees every status), CORS (also on 429s), rate limit, body limit."""
    json_limit = max(JSON_BODY_LIMIT, 24 * settings.max_question_chars)  # a raised question limit raises this too
    app.add_middleware(BodyLimitMiddleware, upload_limit=settings.max_upload_bytes, json_limit=json_limit)
    if settings.rate_limit is not None:
        app.add_middleware(RateLimitMiddleware, limit=settings.rate_limit)
    if settings.cors_origins:  # off by default: browsers then refuse cross-origin calls
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"], expose_headers=["Retry-After"], max_age=600)
    app.add_middleware(RequestLogMiddleware, metrics=metrics, log_questions=settings.log_questions)
