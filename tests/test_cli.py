"""What a new user hit: `index PATH` adds (never silently replaces), `ask` uses a running server, `--top-k 1`
cites only what it returns, and the terminal shows no debug noise or duplicated progress bars."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from qa.cli import ask as ask_command
from qa.cli.evaluation import load_questions
from qa.cli.main import configure_logging, main
from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import REPO, SAMPLE_REPORT, SEEDS, FakeEncoder, free_port, real_model

MARKER = re.compile(r"\[(\d+)\]")


def run_cli(argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.delenv("REPORTQA_API_TOKEN", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "linan_2023.txt").write_text(SAMPLE_REPORT, encoding="utf-8")
    return {"REPORTQA_MODEL": "none", "REPORTQA_DATA_DIR": str(tmp_path / "data"), "REPORTQA_SEEDS_DIR": str(SEEDS),
            "REPORTQA_URL": f"http://127.0.0.1:{free_port()}", "EXTRA": str(tmp_path / "extra")}


def test_index_path_adds_by_default_and_replace_replaces(env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["index"], env, monkeypatch, capsys)[1].startswith("lexical index: indexed 4, unchanged 0")
    code, out, _ = run_cli(["index", env["EXTRA"]], env, monkeypatch, capsys)
    assert code == 0 and "indexed 1," in out and ": 5 reports" in out, out  # the seeds are still there
    code, out, _ = run_cli(["index", env["EXTRA"], "--add"], env, monkeypatch, capsys)  # the old flag still works
    assert code == 0 and "indexed 0, unchanged 1" in out and ": 5 reports" in out, out
    code, out, _ = run_cli(["index", "--replace", env["EXTRA"]], env, monkeypatch, capsys)
    assert code == 0 and "indexed 0, unchanged 1" in out and "removed 4: 1 reports" in out, out
    code, out, _ = run_cli(["ask", "天目山竹笋", "--json", "--local"], env, monkeypatch, capsys)
    assert '"doc_id": "linan_2023"' in out and "001_9ecc862bbb333f7d" not in out


# ----- `ask` with and without a server -------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn serving the fake-encoder index, so its answers say "hybrid" (the CLI's own would be lexical)."""
    settings = Settings(model="fake", data_dir=tmp_path_factory.mktemp("srv") / "data", seeds_dir=SEEDS, project_root=REPO)
    service = QAService(settings, encoder=FakeEncoder())
    service.ensure_index()
    service.embed_pending()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(settings, service=service), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def no_model_loading(*_: object, **__: object) -> QAService:
    raise AssertionError("the service was loaded in-process although a server was running")


@pytest.mark.parametrize("via", ["--url", "REPORTQA_URL"])
def test_ask_uses_a_running_server(server: str, via: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(QAService, "create", no_model_loading)
    argv = ["ask", "萧山2023年财政总收入多少", "--json", "--top-k", "2"]
    code, out, err = run_cli(argv + ["--url", server] if via == "--url" else argv, {**env, "REPORTQA_URL": server}
                             if via == "REPORTQA_URL" else env, monkeypatch, capsys)
    assert code == 0, err
    assert f"answered by the server at {server}" in err
    assert '"retrieval": "hybrid"' in out and out.count('"chunk_id"') == 2


def test_ask_reports_server_errors_clearly(server: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["ask", "杭州", "--region", "火星", "--url", server], env, monkeypatch, capsys)
    assert code == 2 and out == "" and "error: no indexed report matches the filters (regions=火星)" in err


def test_ask_falls_back_in_process_when_no_server(env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["ask", "萧山2023年财政总收入多少", "--json"], env, monkeypatch, capsys)
    assert code == 0, err
    assert f"no server ready at {env['REPORTQA_URL']}; answering in-process" in err
    assert '"retrieval": "lexical"' in out


def test_ask_local_never_looks_for_a_server(env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(ask_command, "find_server", no_model_loading)
    code, out, err = run_cli(["ask", "萧山2023年财政总收入多少", "--local"], env, monkeypatch, capsys)
    assert code == 0 and "server" not in err and "来源" in out


# ----- citations never point past the returned passages -----------------------------------------
def test_answers_cite_only_returned_passages(fake_service: QAService) -> None:
    questions = [item["question"] for item in load_questions(REPO / "eval" / "dev_qa.jsonl")]
    cited = 0
    for top_k in (1, 2):
        for question in questions:
            result = fake_service.ask(question, top_k=top_k)
            markers = [int(m) for m in MARKER.findall(result.answer)]
            assert len(result.passages) <= top_k and all(1 <= m <= len(result.passages) for m in markers), (question, top_k)
            cited += bool(markers)
    assert cited > len(questions) // 2  # most answers do cite: the check is not vacuous


def test_cli_top_k_1_cites_only_passage_1(env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["ask", "杭州2020年地区生产总值增长多少", "--top-k", "1", "--local"], env, monkeypatch, capsys)
    assert code == 0, err
    assert set(MARKER.findall(out)) == {"1"}


# ----- a quiet terminal ----------------------------------------------------------------------------------
@pytest.mark.model
def test_index_prints_one_progress_bar_and_no_debug_lines(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "linan_2023.txt").write_text(SAMPLE_REPORT * 3, encoding="utf-8")
    env = {**os.environ, "REPORTQA_MODEL": real_model(), "REPORTQA_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-m", "qa", "index", "--replace", str(tmp_path / "r")], capture_output=True,
                         text=True, env=env, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "DEBUG" not in out.stderr and "bm25s" not in out.stderr, out.stderr
    assert len(re.findall(r"embedding passages:\s+0%", out.stderr)) == 1, out.stderr
    assert "100%" in out.stderr and out.stdout.startswith("lexical index: indexed 1,")


def test_library_debug_lines_are_dropped_even_if_a_library_resets_its_level(capsys: pytest.CaptureFixture[str]) -> None:
    root, ours, bm25s = logging.getLogger(), logging.getLogger("reportqa"), logging.getLogger("bm25s")
    saved = root.handlers[:], ours.level, bm25s.level
    root.handlers = [logging.StreamHandler(sys.stderr)]
    try:
        configure_logging(verbose=True)
        logging.getLogger("bm25s").setLevel(logging.DEBUG)  # what `import bm25s` does
        logging.getLogger("bm25s").debug("Building index from tokens")
        logging.getLogger("reportqa.api").info("ready")
    finally:
        root.handlers = saved[0]
        ours.setLevel(saved[1])
        bm25s.setLevel(saved[2])
    err = capsys.readouterr().err
    assert "Building index" not in err and "ready" in err


def test_the_project_root_is_the_checkout_from_any_working_directory(tmp_path) -> None:
    # Relative model folders and the seeds resolve against it, wherever a command runs from.
    code = "from qa.core.settings import project_root; print(project_root())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.stdout.strip() == str(REPO), out.stderr
