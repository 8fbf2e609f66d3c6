"""A real `reportqa serve` subprocess with the real embedding model, for end-to-end tests (API and browser)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from .conftest import REPO, free_port, real_model

READY_TIMEOUT_S = 180


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path
    statuses: list[str] = field(default_factory=list)

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def wait_until_ready(server: Server) -> list[str]:
    """Poll /health until "ok" with every passage embedded (the dense pass runs after the lexical index is
    ready); return the statuses seen. Fail with the server log otherwise."""
    seen: list[str] = []
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"server exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            health = httpx.get(f"{server.url}/health", timeout=5).json()
            status = health["status"] if health.get("retrieval") != "partial" else "ok (embedding)"
        except httpx.TransportError:
            status = "(no answer)"
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == "ok":
            return seen
        if status == "error":
            pytest.fail(f"server reported an error on /health:\n{server.log_tail()}")
        time.sleep(0.5)
    pytest.fail(f"server not ready after {READY_TIMEOUT_S} s (statuses {seen}):\n{server.log_tail()}")


@contextmanager
def serving(tmp: Path, token: str) -> Iterator[Server]:
    """Start `python -m qa serve` on a free port with a fresh data folder under `tmp`, wait until it is
    hybrid, and stop it with SIGTERM afterwards (failing if it does not stop within 30 s)."""
    port = free_port()
    env = {**os.environ, "REPORTQA_MODEL": real_model(), "REPORTQA_DATA_DIR": str(tmp / "data"),
           "REPORTQA_API_TOKEN": token, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    log = tmp / "server.log"
    with open(log, "wb") as out:  # a file, not a pipe: a full pipe would stall the server
        proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port)],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    srv = Server(f"http://127.0.0.1:{port}", proc, log)
    try:
        srv.statuses = wait_until_ready(srv)
        yield srv
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                pytest.fail(f"server did not stop within 30 s of SIGTERM:\n{srv.log_tail()}")
