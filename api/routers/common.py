"""The error responses every router documents."""

from __future__ import annotations

from typing import Any

from api.schemas import ErrorOut


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorOut} for status in statuses}
