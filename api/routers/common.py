"""The error responses every router documents."""

from __future__ import annotations

from typing import Any

from api.schemas import ErrorOut

DESCRIPTIONS = {
    400: "Bad request: an unreadable body or upload (not UTF-8 JSON; an upload that is not decodable text)",
    401: "Missing or wrong `Authorization: Bearer <REPORTQA_API_TOKEN>`",
    403: "Write endpoints are disabled: the server has no REPORTQA_API_TOKEN",
    404: "Unknown id",
    409: "Conflict (e.g. deleting the only indexed report)",
    413: "Too large: JSON bodies over 1 MiB, uploads over REPORTQA_MAX_UPLOAD_BYTES (default 20 MiB)",
    415: "Unsupported upload: only .txt and .md file names are accepted",
    422: "Invalid field: wrong type, out of range, unknown field, empty or over-long question",
    429: "Too many requests from this client (REPORTQA_RATE_LIMIT); wait for the Retry-After seconds",
    503: "Still loading the model and index, or the index cannot be served (see GET /health)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorOut, "description": DESCRIPTIONS[status]} for status in statuses}


def json_error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """For routes whose success is not JSON: FastAPI would give a `model` response the route's media type."""
    schema = {"$ref": "#/components/schemas/ErrorOut"}  # registered by every other route's error_responses
    return {status: {"description": DESCRIPTIONS[status], "content": {"application/json": {"schema": schema}}}
            for status in statuses}
