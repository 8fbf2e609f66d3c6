"""End to end: a real `reportqa serve` and `reportqa chat` driven in a pseudo-terminal with pexpect.

Needs the real embedding model (REPORTQA_MODEL); skipped without it, except under CI where a missing
model is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import free_port, real_model

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
HEALTH_TIMEOUT_S = 180


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import httpx

    model = real_model()
    tmp = tmp_path_factory.mktemp("chat_pty")
    port = free_port()
    log = tmp / "server.log"
    env = {**os.environ, "REPORTQA_MODEL": model, "REPORTQA_DATA_DIR": str(tmp / "data"), "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        status = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"`reportqa serve` exited with {proc.returncode}:\n{_tail(log)}")
            try:
                status = httpx.get(f"{url}/health", timeout=2, trust_env=False).json().get("status")
            except (httpx.HTTPError, ValueError):
                status = None
            if status == "ok":
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"/health did not report status 'ok' within {HEALTH_TIMEOUT_S} s (last: {status}):\n{_tail(log)}")
        yield url, tmp
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_chat_in_a_terminal(server):
    import pexpect

    url, tmp = server
    env = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp / "xdg"),
           "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "120", "LINES": "40"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "qa", "chat", "--url", url], cwd=str(ROOT), env=env,
                          dimensions=(40, 120), encoding="utf-8", timeout=120)
    transcript = tmp / "chat.log"
    child.logfile_read = open(transcript, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        child.expect("问›")
        child.sendline("杭州2020年地区生产总值增长多少")
        child.expect("3.9%")
        child.expect("问›")
        child.sendline("那萧山呢？")
        child.expect("理解为")
        child.expect("问›")
        child.sendline("/open 1")
        child.expect("字符 \\d+–\\d+")
        child.expect("问›")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, _tail(transcript)
        assert "Traceback" not in transcript.read_text(encoding="utf-8")
        assert (tmp / "xdg" / "reportqa" / "chat_history").is_file()  # prompt history is persisted
    except (pexpect.TIMEOUT, pexpect.EOF) as exc:
        pytest.fail(f"chat did not behave as expected ({type(exc).__name__}); transcript:\n{_tail(transcript)}")
    finally:
        child.logfile_read.close()
        if child.isalive():
            child.terminate(force=True)


@pytest.mark.parametrize("key", ["ctrl-d", "ctrl-c"])
def test_chat_exits_cleanly_on_ctrl_d_and_ctrl_c(server, key):
    import pexpect

    url, tmp = server
    env = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp / "xdg"),
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(sys.executable, ["-m", "qa", "chat", "--url", url], cwd=str(ROOT), env=env,
                          dimensions=(40, 120), encoding="utf-8", timeout=60)
    try:
        child.expect("问›")
        if key == "ctrl-d":
            child.sendeof()
        else:
            child.sendintr()
        child.expect(pexpect.EOF)
        child.close()
        output = child.before or ""
        assert child.exitstatus == 0, output
        assert "Traceback" not in output
    finally:
        if child.isalive():
            child.terminate(force=True)
