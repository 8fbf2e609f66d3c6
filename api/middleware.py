"""Reject request bodies over a limit with 413, counting bytes as they stream in (never buffering them)."""

from __future__ import annotations

from fastapi.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import envelope

JSON_BODY_LIMIT = 64 * 1024  # questions are capped at ~1000 chars; 64 KiB leaves room for history
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
