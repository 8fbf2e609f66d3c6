"""A tiny client for the reportqa HTTP API (used by `reportqa chat`).

httpx is imported lazily so that importing this module costs nothing; it never imports torch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_URL = "http://127.0.0.1:8000"
MAX_TURN_CHARS = 2000  # history only needs the topic; keeps request bodies small


class ClientError(Exception):
    """Any failure talking to a backend; `message` is one human-readable line."""

    def __init__(self, message: str, code: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class ServerUnavailable(ClientError):
    """Connection refused, DNS failure or timeout: the server is not there (or too slow)."""


class ServerError(ClientError):
    """The server answered with an error envelope {"error": {"code", "message"}}."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _turn_dict(turn: Any) -> dict[str, str]:
    get = turn.get if isinstance(turn, Mapping) else lambda key, default: getattr(turn, key, default)
    return {"question": str(get("question", ""))[:MAX_TURN_CHARS], "answer": str(get("answer", ""))[:MAX_TURN_CHARS]}


def filters_body(filters: Mapping[str, Sequence[Any]] | None) -> dict[str, list] | None:
    """The `filters` request field: all three keys, or None when nothing is filtered."""
    if not filters or not any(filters.get(k) for k in ("doc_ids", "regions", "years")):
        return None
    return {
        "doc_ids": [str(d) for d in filters.get("doc_ids") or ()],
        "regions": [str(r) for r in filters.get("regions") or ()],
        "years": [int(y) for y in filters.get("years") or ()],
    }


class HTTPBackend:
    """Calls POST /ask, GET /documents, GET /passages/{id}, GET /health on a reportqa server."""

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 120.0, connect_timeout: float = 5.0,
                 token: str = "", transport: Any = None) -> None:
        import httpx

        self.url = url.rstrip("/")
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._httpx = httpx
        self._client = httpx.Client(
            base_url=self.url, headers=headers, transport=transport,
            timeout=httpx.Timeout(timeout, connect=connect_timeout), trust_env=False,
        )

    # ----- plumbing -------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HTTPBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        httpx = self._httpx
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ServerUnavailable(f"{self.url} 响应超时（{type(exc).__name__}）", code="timeout") from exc
        except httpx.TransportError as exc:  # connection refused, DNS, reset, ...
            raise ServerUnavailable(f"无法连接到 {self.url}（{_one_line(exc) or type(exc).__name__}）",
                                    code="unavailable") from exc
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.is_success:
            if data is None:
                raise ServerError(f"{method} {path}: 服务器返回的不是 JSON（HTTP {response.status_code}）",
                                  code="bad_response", status=response.status_code)
            return data
        code, message = f"http_{response.status_code}", response.reason_phrase or "error"
        if isinstance(data, dict):
            err = data.get("error")
            if isinstance(err, dict):
                code = str(err.get("code") or code)
                message = str(err.get("message") or message)
            elif isinstance(err, str):
                message = err
            elif isinstance(data.get("message"), str):  # e.g. GET /health's 503 body
                message = data["message"]
            elif "detail" in data:  # FastAPI's default error shape
                detail = data["detail"]
                message = detail if isinstance(detail, str) else str(detail)
        elif response.text:
            message = response.text[:200]
        raise ServerError(_one_line(message), code=code, status=response.status_code)

    # ----- API --------------------------------------------------------------------------
    def health(self) -> dict:
        return self._request("GET", "/health")

    def ask(self, question: str, top_k: int = 5, filters: Mapping[str, Sequence[Any]] | None = None,
            history: Sequence[Any] | None = None) -> dict:
        body = {
            "question": question,
            "top_k": top_k,
            "filters": filters_body(filters),
            "history": [_turn_dict(t) for t in history] if history else None,
        }
        return self._request("POST", "/ask", json=body)

    def documents(self) -> list[dict]:
        data = self._request("GET", "/documents")
        if isinstance(data, dict):  # tolerate {"documents": [...]}
            data = data.get("documents", [])
        return list(data)

    def passage(self, chunk_id: str, context: int = 1) -> dict:
        from urllib.parse import quote

        return self._request("GET", f"/passages/{quote(chunk_id, safe='')}", params={"context": context})
