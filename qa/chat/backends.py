"""What the chat talks to: anything that answers with records, in-process or over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from qa.core.errors import QAError
from qa.core.records import Answer, DocumentInfo, Filters, Health, PassageContext, Timeline, Turn

T = TypeVar("T")


class ChatError(Exception):
    """Any failure of a backend, as one human-readable line; the chat shows it and carries on."""

    def __init__(self, message: str, code: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.message = " ".join(str(message).split())
        self.code = code
        self.status = status


class BackendUnavailable(ChatError):
    """The server is not there: connection refused, DNS failure or timeout."""


class ChatBackend(Protocol):
    def health(self) -> Health: ...

    def ask(self, question: str, top_k: int, filters: Filters, history: Sequence[Turn], as_of: int | None = None) -> Answer: ...

    def documents(self) -> list[DocumentInfo]: ...

    def passage(self, chunk_id: str, context: int) -> PassageContext: ...

    def timeline(self, question: str, region: str | None, year_from: int | None, year_to: int | None) -> Timeline: ...

    def close(self) -> None: ...


class AskService(Protocol):
    """The part of `QAService` the chat uses (a protocol, so the chat never imports the service)."""

    def health(self) -> Health: ...

    def ask(self, question: str, top_k: int = 5, filters: Filters | None = None,
            history: Sequence[Turn] | None = None, as_of: int | None = None) -> Answer: ...

    def documents(self) -> list[DocumentInfo]: ...

    def passage(self, chunk_id: str, context: int = 0) -> PassageContext: ...

    def timeline(self, question: str, region: str | None = None, year_from: int | None = None,
                 year_to: int | None = None) -> Timeline: ...


class LocalBackend:
    """The in-process service behind the chat protocol; the service's errors become chat errors."""

    def __init__(self, service: AskService) -> None:
        self.service = service

    def _call(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except QAError as exc:
            raise ChatError(exc.message, code=exc.code) from exc

    def health(self) -> Health:
        return self._call(self.service.health)

    def ask(self, question: str, top_k: int, filters: Filters, history: Sequence[Turn], as_of: int | None = None) -> Answer:
        return self._call(lambda: self.service.ask(question, top_k=top_k, filters=filters, history=list(history),
                                                   as_of=as_of))

    def documents(self) -> list[DocumentInfo]:
        return self._call(self.service.documents)

    def passage(self, chunk_id: str, context: int) -> PassageContext:
        return self._call(lambda: self.service.passage(chunk_id, context))

    def timeline(self, question: str, region: str | None, year_from: int | None, year_to: int | None) -> Timeline:
        return self._call(lambda: self.service.timeline(question, region, year_from, year_to))

    def close(self) -> None:
        return None
