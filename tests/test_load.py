"""Load at a reduced size for CI: many concurrent /ask requests against a real `reportqa serve` with the real
model, while reports are uploaded and deleted; no request fails and memory does not creep.
`reportqa bench --load 5000 --load-concurrency 32` runs the full-size version (see BENCHMARKS.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli.bench_latency import questions, stop, wait_healthy
from qa.cli.bench_load import run_load

from .conftest import REPO, free_port, real_model

REQUESTS = 600
CONCURRENCY = 16


@pytest.mark.model
def test_concurrent_asks_with_writes_meanwhile(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "REPORTQA_MODEL": real_model(), "REPORTQA_DATA_DIR": str(tmp_path / "data"),
           "REPORTQA_API_TOKEN": "load-test-token-0123456789", "HF_HUB_OFFLINE": "1"}
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed below, after the server stops
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port)], env=env, cwd=REPO,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, timeout_s=600)
        result = run_load(base, questions(REPO / "eval" / "dev_qa.jsonl"), REQUESTS, CONCURRENCY, proc.pid,
                          env["REPORTQA_API_TOKEN"])
    finally:
        stop(proc)
        log.close()
    summary = result.summary()
    print(summary)
    assert summary["requests"] == REQUESTS and result.errors == [], result.errors[:5]
    assert result.write_errors == [] and summary["writes"] >= 4
    assert summary["rss_growth"] < 0.10, summary
    assert "Traceback" not in (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
