"""Errors the core raises for bad input; the HTTP layer maps `code` to a status."""

from __future__ import annotations


class QAError(Exception):
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(QAError):
    code = "bad_request"


class NotFound(QAError):
    code = "not_found"


class Unsupported(QAError):
    code = "unsupported_media_type"


class TooLarge(QAError):
    code = "too_large"


class NotReady(QAError):
    code = "not_ready"


class Conflict(QAError):
    code = "conflict"


class NoMatch(QAError):
    """Filters that select no indexed report: answered as 404, naming what is indexed."""

    code = "no_match"


class InsufficientStorage(QAError):
    """The disk filled up during a write; the previous index is still the one served."""

    code = "insufficient_storage"
