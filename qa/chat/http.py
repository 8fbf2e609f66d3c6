"""The chat's HTTP backend: calls a running `reportqa serve` and turns its JSON back into records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError

from qa.chat.backends import BackendUnavailable, ChatError
from qa.core.records import (
    MAX_HISTORY_TURNS,
    MAX_TURN_ANSWER_CHARS,
    MAX_TURN_QUESTION_CHARS,
    Answer,
    DocumentInfo,
    Filters,
    Health,
    PassageContext,
    Timeline,
    Turn,
)

DEFAULT_URL = "http://127.0.0.1:8000"
T = TypeVar("T")


def filters_body(filters: Filters) -> dict[str, Any] | None:
    """The `filters` request field, or None when nothing is filtered."""
    if filters.empty:
        return None
    body: dict[str, Any] = {"doc_ids": list(filters.doc_ids), "regions": list(filters.regions), "years": list(filters.years)}
    if filters.levels:
        body["levels"] = list(filters.levels)
    if filters.year_from is not None:
        body["year_from"] = filters.year_from
    if filters.year_to is not None:
        body["year_to"] = filters.year_to
    if filters.include_subregions:
        body["include_subregions"] = True
    return body


def _error_message(response: httpx.Response) -> tuple[str, str]:
    code, message = f"http_{response.status_code}", response.reason_phrase or "error"
    try:
        data = response.json()
    except ValueError:
        return code, response.text[:200] or message
    err = data.get("error") if isinstance(data, dict) else None
    if isinstance(err, dict):
        return str(err.get("code") or code), str(err.get("message") or message)
    if isinstance(data, dict) and isinstance(data.get("message"), str):  # GET /health's 503 body
        return code, data["message"]
    return code, message


class HTTPBackend:
    """POST /ask, GET /documents, GET /passages/{id}, GET /health on a reportqa server."""

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 120.0, connect_timeout: float = 5.0,
                 token: str = "", transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            base_url=self.url, headers=headers, transport=transport,
            timeout=httpx.Timeout(timeout, connect=connect_timeout), trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def _request(self, kind: type[T] | Any, method: str, path: str, **kwargs: Any) -> T:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(f"{self.url} 响应超时（{type(exc).__name__}）", code="timeout") from exc
        except httpx.TransportError as exc:  # connection refused, DNS, reset, ...
            raise BackendUnavailable(f"无法连接到 {self.url}（{exc or type(exc).__name__}）", code="unavailable") from exc
        if not response.is_success:
            code, message = _error_message(response)
            raise ChatError(message, code=code, status=response.status_code)
        try:
            return TypeAdapter(kind).validate_json(response.content)
        except ValidationError as exc:
            raise ChatError(f"{method} {path}: 服务器返回的内容无法识别（{exc.error_count()} 处不符）",
                            code="bad_response", status=response.status_code) from exc

    def health(self) -> Health:
        return self._request(Health, "GET", "/health")

    def ask(self, question: str, top_k: int, filters: Filters, history: Sequence[Turn], as_of: int | None = None) -> Answer:
        body = {
            "question": question, "top_k": top_k, "filters": filters_body(filters),
            # Follow-ups only need the recent topic; the server refuses more than the API's history limits.
            "history": [{"question": t.question[:MAX_TURN_QUESTION_CHARS], "answer": t.answer[:MAX_TURN_ANSWER_CHARS]}
                        for t in list(history)[-MAX_HISTORY_TURNS:]] or None,
        }
        if as_of is not None:
            body["as_of"] = as_of
        return self._request(Answer, "POST", "/ask", json=body)

    def documents(self) -> list[DocumentInfo]:
        return self._request(list[DocumentInfo], "GET", "/documents")

    def timeline(self, question: str, region: str | None, year_from: int | None, year_to: int | None) -> Timeline:
        params: dict[str, str | int] = {"q": question}
        for key, value in (("region", region), ("from", year_from), ("to", year_to)):
            if value is not None:
                params[key] = value
        return self._request(Timeline, "GET", "/timeline", params=params)

    def passage(self, chunk_id: str, context: int) -> PassageContext:
        return self._request(PassageContext, "GET", f"/passages/{quote(chunk_id, safe='')}", params={"context": context})
