"""`reportqa bench`'s HTTP clients: each sends every question once as a JSON POST /ask on a kept-alive
connection, and a failed request stops the run instead of being timed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qa.cli.bench_latency import bench_http


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn does
    seen: list[dict] = []
    connections: set[int] = set()
    fail_on = "坏问题"

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "type": self.headers["Content-Type"], **body})
        type(self).connections.add(self.client_address[1])
        status = 422 if body["question"] == self.fail_on else 200
        payload = json.dumps({"answer": "ok"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def base() -> Iterator[str]:
    _Recorder.seen = []
    _Recorder.connections = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("client", ["stdlib", "httpx"])
def test_every_question_is_posted_once_after_the_warm_up(base: str, client: str) -> None:
    work = ["杭州GDP增长多少", "萧山2021年目标", "钱塘区的人口", "浙江省财政收入"]
    row = bench_http(base, work, 1, client=client)
    assert row["n"] == 4 and row["p50"] > 0 and row["rps"] > 0
    assert row["name"] == ("HTTP c=1" if client == "stdlib" else "HTTP c=1, httpx client")
    # three warm-up requests, then each question once, all as JSON on one connection
    assert [r["question"] for r in _Recorder.seen] == work[:3] + work
    assert {(r["path"], r["type"], r["top_k"]) for r in _Recorder.seen} == {("/ask", "application/json", 5)}
    assert len(_Recorder.connections) == 1


@pytest.mark.parametrize("client", ["stdlib", "httpx"])
def test_a_failed_request_stops_the_run(base: str, client: str) -> None:
    with pytest.raises(Exception, match="422"):
        bench_http(base, ["杭州GDP增长多少", "坏问题", "萧山2021年目标", "钱塘区的人口"], 1, client=client)
