"""Load: many `/ask` requests at once against a running server while reports are uploaded and deleted.

Counts errors (anything but a 200 with passages), checks that answers never mix two index versions
(every cited span matches its report's text), and reads the server's memory at two points.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from qa.cli.bench_latency import server_rss_mb

# What the writer uploads (LOAD becomes a counter): a small report with its own words, so it can be found.
LOAD_REPORT = ("2023年负载测试区政府工作报告\n\n一、2022年工作回顾\n\n过去一年，第LOAD批负载测试项目全部完成，"
               "新建测试基地LOAD个，测试产业产值增长9.6%。\n").encode()


@dataclass
class LoadResult:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    rss_mb: dict[str, float] = field(default_factory=dict)
    writes: int = 0
    write_errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies_ms) or [0.0]

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

        first, last = self.rss_mb.get("early", 0.0), self.rss_mb.get("end", 0.0)
        return {"requests": self.requests, "errors": len(self.errors), "p50_ms": round(statistics.median(ordered), 1),
                "p95_ms": round(pct(0.95), 1), "p99_ms": round(pct(0.99), 1),
                "req_per_s": round(self.requests / self.wall_s, 1) if self.wall_s else 0.0,
                "rss_early_mb": round(first), "rss_end_mb": round(last),
                "rss_growth": round((last - first) / first, 4) if first else 0.0,
                "writes": self.writes, "write_errors": len(self.write_errors)}


def run_load(base: str, questions: list[str], total: int, concurrency: int, pid: int | None = None,
             token: str = "", upload: bytes | None = LOAD_REPORT) -> LoadResult:
    """`total` POST /ask at `concurrency`; with `token` and `upload`, a writer uploads and deletes meanwhile."""
    result = LoadResult()
    lock = threading.Lock()
    local = threading.local()
    texts: dict[str, str] = {}
    stop = threading.Event()

    def client() -> httpx.Client:
        if getattr(local, "client", None) is None:
            local.client = httpx.Client(base_url=base, timeout=120)
        return local.client

    def ask(i: int) -> None:
        q = questions[i % len(questions)]
        started = time.perf_counter()
        try:
            resp = client().post("/ask", json={"question": q, "top_k": 5})
            ok = resp.status_code == 200 and resp.json()["passages"]
            problem = None if ok else f"{resp.status_code}: {resp.text[:200]}"
            if ok and i % 25 == 0:
                problem = _check_citation(client(), resp.json()["passages"][0], texts)
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            result.requests += 1
            result.latencies_ms.append(elapsed)
            if problem:
                result.errors.append(problem)
            if pid is not None and result.requests == max(1, total // 5):
                result.rss_mb["early"] = server_rss_mb(pid)[0]

    def writer() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=120) as c:
            n = 0
            while not stop.is_set() and upload is not None:
                name = f"load-{n}.txt"
                up = c.post("/documents", files={"file": (name, upload.replace(b"LOAD", str(n).encode()))}, headers=headers)
                if up.status_code not in (200, 201):
                    result.write_errors.append(f"upload {up.status_code}: {up.text[:200]}")
                    break
                gone = c.delete(f"/documents/{up.json()['doc_id']}", headers=headers)
                if gone.status_code != 200:
                    result.write_errors.append(f"delete {gone.status_code}: {gone.text[:200]}")
                    break
                result.writes += 2
                n += 1
                stop.wait(0.2)

    writing = threading.Thread(target=writer, daemon=True) if token and upload else None
    started = time.perf_counter()
    if writing:
        writing.start()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(ask, range(total)))
    result.wall_s = time.perf_counter() - started
    stop.set()
    if writing:
        writing.join(timeout=120)
    if pid is not None:
        result.rss_mb["end"] = server_rss_mb(pid)[0]
    return result


def _check_citation(c: httpx.Client, passage: dict, texts: dict[str, str]) -> str | None:
    """The cited span of the report equals the passage text (whitespace and `*` aside)."""
    cite = passage["citation"]
    doc_id = cite["doc_id"]
    if doc_id not in texts:
        resp = c.get(f"/documents/{doc_id}/text")
        if resp.status_code != 200:
            return None if doc_id.startswith("load-") else f"text of {doc_id}: {resp.status_code}"  # deleted meanwhile
        texts[doc_id] = resp.text
    span = "".join(texts[doc_id][cite["start"]:cite["end"]].replace("*", "").split())
    return None if span == "".join(passage["text"].split()) else f"citation mismatch in {doc_id}"
