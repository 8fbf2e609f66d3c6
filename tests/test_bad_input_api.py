"""The bad-input matrix for the HTTP API: every case gets its exact status and error code, never a 5xx.

Decisions recorded here: blanks (controls, spaces, zero-width) in a question collapse to one space and a
question of only blanks is empty (422); mixed scripts and emoji are ordinary questions (200); unknown
fields are a 422 (`extra="forbid"`); `top_k` 5.0 is the integer 5 (as JSON Schema counts it) but "5" and
5.5 are 422s; history holds at most 20 turns (422 beyond); filters that select no report are a 404
naming what is indexed; uploads are stored under the data folder with a sanitised name only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.chat.http import HTTPBackend
from qa.core.records import Filters, Turn
from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import REPO, SEEDS, FakeEncoder

AUTH = {"Authorization": "Bearer secret"}
JSON = {"content-type": "application/json"}
HZ_DOC = "001_9ecc862bbb333f7d"


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    kwargs: Callable[[], dict[str, Any]] = dict  # built lazily: some bodies are megabytes
    status: int = 422
    code: str = "validation_error"
    fragments: tuple[str, ...] = field(default=())


def ask(body: object, status: int = 422, code: str = "validation_error", *fragments: str, id: str) -> Case:
    return Case(id, "POST", "/ask", lambda: {"json": body}, status, code, fragments)


def get(path: str, params: object, status: int = 422, code: str = "validation_error", *fragments: str, id: str) -> Case:
    return Case(id, "GET", path, lambda: {"params": params}, status, code, fragments)


def raw(body: bytes, status: int, code: str, *fragments: str, id: str, headers: dict[str, str] = JSON) -> Case:
    return Case(id, "POST", "/ask", lambda: {"content": body, "headers": headers}, status, code, fragments)


def history(turns: int, answer: str = "") -> list[dict[str, str]]:
    return [{"question": "杭州2020年经济增速是多少", "answer": answer}] * turns


REJECTED = [
    # ----- questions
    ask({"question": ""}, 422, "validation_error", "question is empty", id="q-empty"),
    ask({"question": " \n\t\u3000"}, 422, "validation_error", "question is empty", id="q-whitespace"),
    ask({"question": "问" * 1001}, 422, "validation_error", "question is 1001 characters; the limit is 1000", id="q-1001"),
    ask({"question": "a" * 1_000_000}, 422, "validation_error", "question is 1000000 characters", id="q-1M-chars"),
    ask({"question": "问" * 350_000}, 413, "too_large", "1048576", id="q-1MB-body"),
    ask({"question": "\x00\x01\x02\x1b\x7f\x9f"}, 422, "validation_error", "question is empty", id="q-only-controls"),
    ask({"question": "\u200b\u200d\ufeff\u2060"}, 422, "validation_error", "question is empty", id="q-only-zero-width"),
    raw(b'{"question": "\\ud800\\u676d\\u5dde"}', 422, "validation_error", "invalid Unicode", id="q-lone-surrogate"),
    # ----- JSON types, missing and extra fields
    ask({"question": 123}, 422, "validation_error", "question", id="q-number"),
    ask({"question": None}, 422, "validation_error", "question", id="q-null"),
    ask({"question": ["杭州"]}, 422, "validation_error", "question", id="q-list"),
    ask({}, 422, "validation_error", "question: Field required", id="missing-question"),
    ask([1, 2], 422, "validation_error", "body", id="body-list"),
    ask("杭州经济", 422, "validation_error", "body", id="body-string"),
    ask({"question": "杭州", "topk": 3}, 422, "validation_error", "topk: unknown field", id="extra-field"),
    ask({"question": "杭州", "filters": {"region": ["萧山"]}}, 422, "validation_error", "filters.region: unknown field",
        id="extra-filter-field"),
    ask({"question": "杭州", "history": [{"question": "x", "q": "y"}]}, 422, "validation_error", "history.0.q",
        id="extra-turn-field"),
    ask({"question": "杭州", "top_k": 0}, 422, "validation_error", "top_k", id="top_k-0"),
    ask({"question": "杭州", "top_k": -1}, 422, "validation_error", "top_k", id="top_k-neg"),
    ask({"question": "杭州", "top_k": 10**9}, 422, "validation_error", "top_k", id="top_k-1e9"),
    ask({"question": "杭州", "top_k": "5"}, 422, "validation_error", "top_k", id="top_k-string"),
    ask({"question": "杭州", "top_k": 5.5}, 422, "validation_error", "top_k", id="top_k-float"),
    ask({"question": "杭州", "top_k": True}, 422, "validation_error", "top_k", id="top_k-bool"),
    ask({"question": "杭州今年", "as_of": 1800}, 422, "validation_error", "as_of", id="as_of-1800"),
    ask({"question": "杭州今年", "as_of": "2021"}, 422, "validation_error", "as_of", id="as_of-string"),
    ask({"question": "杭州", "filters": {"years": ["2021年"]}}, 422, "validation_error", "filters.years.0", id="year-string"),
    ask({"question": "杭州", "filters": {"years": [1800]}}, 422, "validation_error", "filters.years.0", id="year-1800"),
    ask({"question": "杭州", "filters": {"regions": ["萧山"] * 51}}, 422, "validation_error", "filters.regions", id="regions-51"),
    ask({"question": "杭州", "history": history(1000)}, 422, "validation_error", "history", "at most 20", id="history-1000"),
    ask({"question": "杭州", "history": history(1, "答" * 2001)}, 422, "validation_error", "history.0.answer", id="turn-long"),
    raw(b'{"question": "\xff\xfe\xfd"}', 400, "bad_request", "UTF-8", id="invalid-utf8"),
    raw(b'{"question": ', 422, "validation_error", "malformed JSON", id="truncated-json"),
    raw("question=杭州".encode(), 422, "validation_error", id="text-plain", headers={"content-type": "text/plain"}),
    # ----- GET /ask
    get("/ask", {}, 422, "validation_error", "q: Field required", id="get-no-q"),
    get("/ask", {"q": ""}, 422, "validation_error", "question is empty", id="get-empty"),
    get("/ask", {"q": "\t \x00"}, 422, "validation_error", "question is empty", id="get-blank"),
    get("/ask", {"q": "问" * 1001}, 422, "validation_error", "limit is 1000", id="get-1001"),
    get("/ask", {"q": "杭州", "top_k": "5.0"}, 422, "validation_error", "whole number", id="get-top_k-5.0"),
    get("/ask", {"q": "杭州", "top_k": "abc"}, 422, "validation_error", "top_k", id="get-top_k-abc"),
    get("/ask", {"q": "杭州", "top_k": "51"}, 422, "validation_error", "top_k", id="get-top_k-51"),
    get("/ask", {"q": "杭州今年", "as_of": "abc"}, 422, "validation_error", "as_of", id="get-as_of-abc"),
    get("/ask", {"q": "杭州", "year": "abc"}, 422, "validation_error", "year", id="get-year-abc"),
    # ----- filters that select nothing: a 404 naming what is indexed
    ask({"question": "杭州", "filters": {"regions": ["不存在区"]}}, 404, "no_match", "regions=不存在区",
        "indexed: 萧山区 2021, 2024; 杭州市 2021; 钱塘区 2021", id="region-nothing"),
    ask({"question": "杭州", "filters": {"years": [1999]}}, 404, "no_match", "years=1999", "萧山区 2021, 2024",
        id="year-nothing"),
    ask({"question": "杭州", "filters": {"doc_ids": ["nope"]}}, 404, "no_match", "doc_ids=nope", "GET /documents",
        id="doc-nothing"),
    ask({"question": "杭州", "filters": {"levels": ["province"]}}, 404, "no_match", "levels=province",
        id="level-nothing"),
    ask({"question": "杭州", "filters": {"year_from": 2030}}, 404, "no_match", "years 2030–", id="range-nothing"),
    get("/ask", [("q", "研发"), ("region", "钱塘"), ("year", "2024")], 404, "no_match", "regions=钱塘; years=2024",
        id="get-combination-nothing"),
    # ----- unknown and path-traversal ids
    get("/documents/nope", {}, 404, "not_found", "unknown doc_id 'nope'", id="doc-unknown"),
    get("/documents/nope/text", {}, 404, "not_found", "unknown doc_id 'nope'", id="doc-text-unknown"),
    get("/passages/nope", {}, 404, "not_found", "unknown chunk_id 'nope'", id="chunk-unknown"),
    get("/passages/%2e%2e", {}, 404, "not_found", "unknown chunk_id '..'", id="chunk-dotdot"),
    get("/documents/..%2f..%2fetc%2fpasswd", {}, 404, "not_found", "no such endpoint", id="doc-traversal"),
    get("/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/text", {}, 404, "not_found", "no such endpoint", id="text-traversal"),
    get("/documents/%2e%2e", {}, 404, "not_found", "unknown doc_id '..'", id="doc-dotdot"),
    get(f"/passages/{HZ_DOC}", {"context": "21"}, 422, "validation_error", "context", id="context-21"),
    get(f"/passages/{HZ_DOC}", {"context": "-1"}, 422, "validation_error", "context", id="context-neg"),
    Case("delete-traversal", "DELETE", "/documents/..%2fseeds", lambda: {"headers": AUTH}, 404, "not_found"),
    Case("put-ask", "PUT", "/ask", lambda: {"json": {"question": "杭州"}}, 405, "method_not_allowed", ("GET, POST",)),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("bad-input")
    settings = Settings(model="fake", data_dir=root / "data", seeds_dir=SEEDS, project_root=REPO, api_token="secret")
    service = QAService(settings, encoder=FakeEncoder())
    service.ensure_index()
    service.embed_pending()
    with TestClient(create_app(settings, service=service), raise_server_exceptions=False) as c:
        yield c


def assert_error(resp: Any, status: int, code: str, *fragments: str) -> None:
    assert resp.status_code == status, resp.text[:500]
    assert resp.headers["content-type"] == "application/json", resp.headers
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    for fragment in fragments:
        assert fragment in body["error"]["message"], body
    assert "Traceback" not in body["error"]["message"]


@pytest.mark.parametrize("case", REJECTED, ids=[c.id for c in REJECTED])
def test_rejected_with_exact_status_and_code(client: TestClient, case: Case) -> None:
    assert_error(client.request(case.method, case.path, **case.kwargs()), case.status, case.code, *case.fragments)
    assert len(client.get("/documents").json()) == 4  # bad input loses nothing


@pytest.mark.parametrize(("question", "expected"), [
    ("杭州\x00\x1b2020年\u200b经济增速是多少", "杭州 2020年 经济增速是多少"),  # blanks collapse to one space
    ("  Hangzhou 杭州 2020年 GDP рост 增速?  ", "Hangzhou 杭州 2020年 GDP рост 增速?"),  # mixed scripts
    ("杭州2020年经济增速是多少😀🚀", "杭州2020年经济增速是多少😀🚀"),  # emoji
])
def test_odd_but_valid_questions_are_answered(client: TestClient, question: str, expected: str) -> None:
    for resp in (client.post("/ask", json={"question": question}), client.get("/ask", params={"q": question})):
        assert resp.status_code == 200, resp.text
        data = resp.json()
        assert data["question"] == expected and data["passages"]
        assert data["passages"][0]["citation"]["doc_id"] == HZ_DOC  # the words still find Hangzhou's report


def test_emoji_only_question_is_valid_but_unanswerable(client: TestClient) -> None:
    data = client.post("/ask", json={"question": "😀🚀"}).json()
    assert data["question"] == "😀🚀" and data["answerable"] is False and data["answer"].startswith("报告中没有找到")


def test_integral_float_top_k_is_an_integer(client: TestClient) -> None:
    data = client.post("/ask", json={"question": "杭州2020年经济增速是多少", "top_k": 2.0}).json()
    assert len(data["passages"]) == 2


def test_twenty_turns_of_history_are_accepted(client: TestClient) -> None:
    resp = client.post("/ask", json={"question": "那萧山呢？", "history": history(20, "答" * 2000)})
    assert resp.status_code == 200 and resp.json()["rewritten_question"], resp.text


def test_a_long_chat_stays_within_the_history_limits(client: TestClient) -> None:
    """The chat keeps every turn, but its HTTP backend sends only what the API accepts (last 20, truncated)."""
    sent: list[dict] = []

    def forward(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        resp = client.request(request.method, request.url.path, content=request.content, headers=dict(request.headers))
        return httpx.Response(resp.status_code, content=resp.content, headers=resp.headers)

    backend = HTTPBackend("http://test", transport=httpx.MockTransport(forward))
    turns = [Turn(f"第{i}个问题：杭州2020年新增多少家国家高新技术企业" + "？" * 1000, "答" * 5000) for i in range(30)]
    result = backend.ask("那萧山呢？", 3, Filters(), turns)
    assert result.rewritten_question and "萧山" in result.rewritten_question
    history = sent[0]["history"]
    assert len(history) == 20 and history[0]["question"].startswith("第10个问题")
    assert max(len(t["question"]) for t in history) == 1000 and max(len(t["answer"]) for t in history) == 2000
