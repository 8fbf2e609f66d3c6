"""One JSON error envelope for every failure: `{"error": {"code": str, "message": str}}`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from qa.core.errors import BadRequest, QAError

log = logging.getLogger("reportqa.api")

STATUS_BY_CODE = {
    "bad_request": 400,
    "validation_error": 422,
    "not_found": 404,
    "unsupported_media_type": 415,
    "too_large": 413,
    "not_ready": 503,
    "conflict": 409,
    "no_match": 404,
    "insufficient_storage": 507,
    "rate_limited": 429,
}
CODE_BY_STATUS = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
    503: "not_ready",
}


class InvalidInput(QAError):
    """A core BadRequest about the request's own fields (e.g. the question): answered as 422."""

    code = "validation_error"


def envelope(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


@contextmanager
def as_validation_error() -> Iterator[None]:
    """Turn the core's BadRequest for a field (empty/over-long question, bad top_k) into a 422."""
    try:
        yield
    except BadRequest as exc:
        raise InvalidInput(exc.message) from exc


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            where = err.get("loc", ("body", "?"))[-1]
            parts.append(f"malformed JSON body at character {where}: {err.get('ctx', {}).get('error', 'decode error')}")
            continue
        # Only `loc` and `msg`: the offending input may be huge or undecodable, so it is never echoed.
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {_hint(err)}")
    return "; ".join(parts) or "invalid request"


def _hint(err: dict[str, Any]) -> str:
    """pydantic's message, except where its wording would puzzle an API user."""
    if err.get("type") == "extra_forbidden":
        return "unknown field (check its spelling; /docs lists the fields)"
    if "Expected UploadFile" in str(err.get("msg", "")):
        return "expected a file: a multipart/form-data part named `file` with a file name ending in .txt or .md"
    return str(err.get("msg", "invalid value"))


async def _qa_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, QAError)
    return envelope(STATUS_BY_CODE.get(exc.code, 400), exc.code, exc.message)


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return envelope(422, "validation_error", _validation_message(exc))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = CODE_BY_STATUS.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_")
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    headers = getattr(exc, "headers", None)
    if status == 405:
        # Starlette's Allow names only the first route for the path; /ask has GET and POST routes.
        allowed = _allowed_methods(request) or (headers or {}).get("Allow", "")
        headers = {**(headers or {}), "Allow": allowed} if allowed else headers
        message = f"{request.method} is not allowed on {request.url.path}" + (f"; use {allowed}" if allowed else "")
    elif status == 404 and message == "Not Found":
        message = f"no such endpoint: {request.method} {request.url.path}; see /docs"
    elif status == 400 and message == "There was an error parsing the body":
        message = "cannot parse the request body (is it valid UTF-8 JSON or multipart form data?)"
    return envelope(status, code, message, headers)


def _allowed_methods(request: Request) -> str:
    methods: set[str] = set()
    for route in _walk(request.app.router.routes):
        if route.matches(request.scope)[0] == Match.PARTIAL:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def _walk(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """Leaf routes; newer FastAPI wraps included routers (`original_router`), older ones inline them."""
    for route in routes:
        inner = getattr(route, "routes", None) or getattr(getattr(route, "original_router", None), "routes", None)
        yield from _walk(inner) if inner else (route,)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return envelope(500, "internal_error", f"internal error ({type(exc).__name__}); see the server log")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(QAError, _qa_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
