"""Latency of `QAService.ask` in-process and of `POST /ask` over HTTP against a real server, in one run;
also the server's memory (RSS) while it serves."""

from __future__ import annotations

import functools
import http.client
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import httpx

from qa.cli.common import load_service
from qa.core.settings import Settings

TOP_K = 5
WARMUP = 3


def questions(path: Path) -> list[str]:
    """Read the "question" of every non-empty JSONL line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def _stats(name: str, latencies_ms: list[float], wall_s: float) -> dict:
    """Summarise one run: count, p50, p95, mean (ms) and throughput (req/s)."""
    ordered = sorted(latencies_ms)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"name": name, "n": len(ordered), "p50": statistics.median(ordered), "p95": p95,
            "mean": statistics.fmean(ordered), "rps": len(ordered) / wall_s if wall_s > 0 else 0.0}


def _timed(fn: Callable[[], object]) -> float:
    """Run fn once and return its wall time in ms."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def bench_in_process(settings: Settings, work: list[str]) -> dict | None:
    """Time `service.ask` for every question in `work`, after a short warm-up."""
    service = load_service(settings)
    if service is None:
        return None
    for q in work[:WARMUP]:
        service.ask(q, top_k=TOP_K)
    start = time.perf_counter()
    latencies = [_timed(functools.partial(service.ask, q, top_k=TOP_K)) for q in work]
    return _stats("in-process", latencies, time.perf_counter() - start)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout_s: float = 180.0) -> None:
    """Poll GET /health until status is "ok"; raise if the server dies or times out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            health = httpx.get(f"{base}/health", timeout=5).json()
            if health.get("status") == "ok" and health.get("retrieval") != "partial":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server not healthy after {timeout_s:.0f} s")


class _Client(Protocol):
    def ask(self, question: str) -> None: ...

    def close(self) -> None: ...


class _StdlibClient:
    """POST /ask on one keep-alive connection with the standard library: httpx's own work costs 0.5-1 ms a
    request on this machine (measured against GET /health), which is the client's time, not the server's."""

    def __init__(self, base: str) -> None:
        host, _, port = base.removeprefix("http://").partition(":")
        self._conn = http.client.HTTPConnection(host, int(port), timeout=120)

    def ask(self, question: str) -> None:
        body = json.dumps({"question": question, "top_k": TOP_K}).encode()
        self._conn.request("POST", "/ask", body=body, headers={"Content-Type": "application/json"})
        response = self._conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"POST /ask answered {response.status}: {data[:200]!r}")

    def close(self) -> None:
        self._conn.close()


class _HttpxClient:
    def __init__(self, base: str) -> None:
        self._client = httpx.Client(base_url=base, timeout=120)

    def ask(self, question: str) -> None:
        self._client.post("/ask", json={"question": question, "top_k": TOP_K}).raise_for_status()

    def close(self) -> None:
        self._client.close()


CLIENTS: dict[str, Callable[[str], _Client]] = {"stdlib": _StdlibClient, "httpx": _HttpxClient}


def bench_http(base: str, work: list[str], concurrency: int, client: str = "stdlib") -> dict:
    """POST /ask for every question with `concurrency` threads, one keep-alive connection per thread."""
    local = threading.local()
    clients: list[_Client] = []

    def ask(q: str) -> float:
        conn: _Client | None = getattr(local, "client", None)
        if conn is None:
            conn = local.client = CLIENTS[client](base)
            clients.append(conn)
        start = time.perf_counter()
        conn.ask(q)
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(ask, work[: max(WARMUP, concurrency)]))  # warm-up (also opens connections)
        start = time.perf_counter()
        latencies = list(pool.map(ask, work))
        wall = time.perf_counter() - start
    for conn in clients:
        conn.close()
    suffix = "" if client == "stdlib" else f", {client} client"
    return _stats(f"HTTP c={concurrency}{suffix}", latencies, wall)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve(settings: Settings) -> tuple[subprocess.Popen, str]:
    """Start `python -m qa serve` on a free port and return it with its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "qa", "--model", settings.model, "--data-dir", str(settings.data_dir),
               "serve", "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def server_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields.get("VmRSS", "0 kB").split()[0]) / 1024, int(fields.get("VmHWM", "0 kB").split()[0]) / 1024


def run_latency(settings: Settings, questions: list[str], concurrency: list[int]) -> dict | None:
    """In-process, then HTTP at each concurrency against a real `reportqa serve` on the same index."""
    inproc = bench_in_process(settings, questions)
    if inproc is None:
        return None
    rows = [inproc]
    proc, base = serve(settings)
    try:
        wait_healthy(base, proc)
        rows += [bench_http(base, questions, c) for c in concurrency]
        if 1 in concurrency:  # the same requests from httpx, to show what the client itself costs
            rows.append(bench_http(base, questions, 1, client="httpx"))
        rss, peak = server_rss_mb(proc.pid)
    finally:
        stop(proc)
    return {"rows": rows, "server_rss_mb": round(rss), "server_peak_rss_mb": round(peak),
            "bench_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def table(rows: list[dict]) -> str:
    lines = ["| run | requests | p50 ms | p95 ms | mean ms | req/s |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['name']} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['mean']:.1f} | {r['rps']:.1f} |"
              for r in rows]
    return "\n".join(lines)


def machine() -> str:
    return f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}"
