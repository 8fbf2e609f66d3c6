"""End-to-end: a real `reportqa serve` subprocess with the real embedding model, over real HTTP."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from .conftest import REPO, SAMPLE_REPORT
from .serving import Server, serving, wait_until_ready

TOKEN = "e2e-token"
REPORT = SAMPLE_REPORT

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("server"), TOKEN) as srv:
        yield srv


def test_health_after_startup(server: Server) -> None:
    health = httpx.get(f"{server.url}/health").json()
    assert health["status"] == "ok" and health["retrieval"] == "hybrid" and health["documents"] == 4
    # The service reports the model folder it resolved; the environment may name it relative to the repo.
    assert Path(health["model"]) == (REPO / os.environ["REPORTQA_MODEL"]).resolve() and health["chunks"] > 100
    assert server.statuses[-1] == "ok" and "error" not in server.statuses


def test_ask_answers_with_citation(server: Server) -> None:
    resp = httpx.post(f"{server.url}/ask", json={"question": "杭州2020年地区生产总值增长多少"}, timeout=60)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["answerable"] is True and data["retrieval"] == "hybrid"
    hits = [p for p in data["passages"] if p["citation"]["doc_id"] == "001_9ecc862bbb333f7d" and "3.9%" in p["text"]]
    assert hits, data
    cite = hits[0]["citation"]
    text = httpx.get(f"{server.url}/documents/{cite['doc_id']}/text").text
    assert "3.9%" in text[cite["start"]:cite["end"]]


def test_errors_over_http(server: Server) -> None:
    empty = httpx.post(f"{server.url}/ask", json={"question": "  "})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "validation_error"
    huge = httpx.post(f"{server.url}/ask", content=b'{"question": "' + b"a" * 1_100_000 + b'"}',
                      headers={"content-type": "application/json"})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "too_large"
    nope = httpx.post(f"{server.url}/documents", files={"file": ("x.txt", REPORT.encode())})
    assert nope.status_code == 401 and nope.json()["error"]["code"] == "unauthorized"


def test_upload_then_find_it(server: Server) -> None:
    resp = httpx.post(f"{server.url}/documents", files={"file": ("linan_2023.txt", REPORT.encode("gbk"))},
                      headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert resp.status_code == 201, resp.text
    assert resp.json()["doc_id"] == "linan_2023" and resp.json()["chunks"] >= 1
    data = httpx.post(f"{server.url}/ask", json={"question": "临安区新建了几个天目山竹笋深加工基地？"}, timeout=60).json()
    top = data["passages"][0]
    assert top["citation"]["doc_id"] == "linan_2023" and "竹笋深加工基地7个" in top["text"], data


def test_concurrent_asks(server: Server) -> None:
    questions = ["杭州2020年地区生产总值增长多少", "萧山2024年有哪些重点工作", "钱塘区2020年规上工业增加值",
                 "杭州亚运会筹备情况", "数字经济核心产业增加值", "城乡居民收入增长多少", "新增国家高新技术企业多少家",
                 "2021年民生实事有哪些"]

    def ask(question: str) -> tuple[int, dict]:
        resp = httpx.post(f"{server.url}/ask", json={"question": question, "top_k": 3}, timeout=120)
        return resp.status_code, resp.json()

    # The upload before this test is searchable at once and embedded in the background ("partial" until then).
    wait_until_ready(server)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ask, questions))
    assert [status for status, _ in results] == [200] * 8
    assert [data["question"] for _, data in results] == questions
    assert all(data["passages"] and data["retrieval"] == "hybrid" for _, data in results), \
        [(data["question"], len(data["passages"]), data["retrieval"], data.get("reason")) for _, data in results]
    assert httpx.get(f"{server.url}/health").json()["status"] == "ok"


def test_zz_server_stops_cleanly(server: Server) -> None:
    """Runs last in this module: SIGTERM must shut uvicorn down gracefully, without tracebacks."""
    server.proc.send_signal(signal.SIGTERM)
    # Recent uvicorn re-raises the signal after a graceful shutdown, so -SIGTERM is a clean exit too.
    assert server.proc.wait(timeout=30) in (0, -signal.SIGTERM), server.log_tail()
    log = server.log_tail(100_000)
    assert "Application shutdown complete" in log and "Finished server process" in log, log[-4000:]
    assert "Traceback" not in log, log[-4000:]
