"""The bad-input matrix for the CLI: each case exits non-zero with one clear `error:` line, never a traceback.

The commands run in-process through `main()` (lexical mode, no model, no server at REPORTQA_URL); a few
also run as real subprocesses to show that what reaches the terminal has no traceback either.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli.main import main
from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import REPO, SEEDS, free_port


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A lexical index built once, and a REPORTQA_URL where nothing listens (so `ask` answers in-process)."""
    root = tmp_path_factory.mktemp("cli")
    QAService(Settings(model="none", data_dir=root / "data", seeds_dir=SEEDS, project_root=REPO)).ensure_index()
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "report.pdf").write_bytes(b"%PDF-1.7 ...")
    (root / "empty_folder").mkdir()
    (root / "not_json.jsonl").write_text('{"question": "杭州"}\nnot json\n', encoding="utf-8")
    (root / "no_question.jsonl").write_text('{"id": "q1", "gold": []}\n', encoding="utf-8")
    (root / "a_file").write_text("not a folder", encoding="utf-8")
    return {"REPORTQA_MODEL": "none", "REPORTQA_DATA_DIR": str(root / "data"), "REPORTQA_SEEDS_DIR": str(SEEDS),
            "REPORTQA_URL": f"http://127.0.0.1:{free_port()}", "ROOT": str(root)}


def run_cli(argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    for key in ("REPORTQA_API_TOKEN", "REPORTQA_RATE_LIMIT", "REPORTQA_MAX_QUESTION_CHARS", "REPORTQA_MAX_UPLOAD_BYTES"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    argv = [a.replace("{ROOT}", env["ROOT"]) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


CASES = [
    ("ask-empty", ["ask", ""], {}, "question is empty"),
    ("ask-blank", ["ask", " \t\u3000"], {}, "question is empty"),
    ("ask-controls", ["ask", "\x01\x02\x1b"], {}, "question is empty"),
    ("ask-1001", ["ask", "问" * 1001], {}, "question is 1001 characters; the limit is 1000"),
    ("ask-bad-utf8-argv", ["ask", "杭州\udcff\udcfe"], {}, "invalid Unicode"),
    ("ask-top-k-0", ["ask", "杭州", "--top-k", "0"], {}, "argument --top-k: 0 is out of range; use 1 to 50"),
    ("ask-top-k-neg", ["ask", "杭州", "--top-k", "-1"], {}, "-1 is out of range"),
    ("ask-top-k-1e9", ["ask", "杭州", "--top-k", "1000000000"], {}, "out of range"),
    ("ask-top-k-text", ["ask", "杭州", "--top-k", "five"], {}, "'five' is not a whole number"),
    ("ask-year-text", ["ask", "杭州", "--year", "2021年"], {}, "argument --year"),
    ("ask-region-nothing", ["ask", "杭州", "--region", "不存在区"], {}, "matches the filters (regions=不存在区)"),
    ("ask-doc-nothing", ["ask", "杭州", "--doc", "nope"], {}, "no indexed report matches the filters (doc_ids=nope)"),
    ("ask-combination", ["ask", "研发", "--region", "钱塘", "--year", "2024"], {}, "regions=钱塘; years=2024"),
    ("ask-url-and-local", ["ask", "杭州", "--local", "--url", "http://x"], {}, "not allowed with argument"),
    ("ask-no-question", ["ask"], {}, "required: question"),
    ("unknown-command", ["frobnicate"], {}, "invalid choice"),
    ("index-missing-path", ["index", "/no/such/report.txt"], {}, "no readable reports (.txt .md .pdf .docx .html) found"),
    ("index-binary", ["index", "{ROOT}/binary.txt"], {}, "binary"),
    ("index-pdf", ["index", "{ROOT}/report.pdf"], {}, "the PDF is truncated or damaged"),
    ("index-empty-folder", ["index", "{ROOT}/empty_folder"], {}, "no readable reports (.txt .md .pdf .docx .html) found"),
    ("index-add-and-replace", ["index", "--add", "--replace"], {}, "not allowed with argument"),
    ("eval-missing-file", ["eval", "{ROOT}/missing.jsonl"], {}, "No such file or directory"),
    ("eval-not-json", ["eval", "{ROOT}/not_json.jsonl"], {}, "not_json.jsonl:2: not valid JSON"),
    ("eval-no-question", ["eval", "{ROOT}/no_question.jsonl"], {}, 'no_question.jsonl:1: each line needs a "question"'),
    ("env-question-limit", ["ask", "杭州"], {"REPORTQA_MAX_QUESTION_CHARS": "lots"}, "REPORTQA_MAX_QUESTION_CHARS must be"),
    ("env-upload-limit", ["ask", "杭州"], {"REPORTQA_MAX_UPLOAD_BYTES": "0"}, "REPORTQA_MAX_UPLOAD_BYTES must be at least 1"),
    ("env-rate-limit", ["ask", "杭州"], {"REPORTQA_RATE_LIMIT": "lots"}, "REPORTQA_RATE_LIMIT must look like 60/minute"),
    ("serve-port", ["serve", "--port", "70000"], {}, "70000 is out of range; use 1 to 65535"),
    ("chat-top-k", ["chat", "--top-k", "0"], {}, "--top-k 必须在 1 到 50 之间"),
    ("data-dir-is-a-file", ["--data-dir", "{ROOT}/a_file/data", "index"], {}, "error:"),
]


@pytest.mark.parametrize(("argv", "extra_env", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cli_rejects_bad_input_clearly(argv: list[str], extra_env: dict[str, str], fragment: str, env: dict[str, str],
                                       monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(argv, {**env, **extra_env}, monkeypatch, capsys)
    assert code == 2, (code, out, err)
    assert fragment in err, err
    assert "Traceback" not in err + out and out == ""


def test_cli_odd_but_valid_questions_are_answered(env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    for question in ("杭州\x1b2020年经济增速是多少😀", "Hangzhou 杭州 2020年 GDP 增速"):
        code, out, err = run_cli(["ask", question, "--json"], env, monkeypatch, capsys)
        assert code == 0, err
        assert '"retrieval": "lexical"' in out and "001_9ecc862bbb333f7d" in out


@pytest.mark.parametrize(("argv", "extra_env", "fragment"), [
    (["eval", "{ROOT}/not_json.jsonl"], {}, "not valid JSON"),
    (["ask", "杭州"], {"REPORTQA_RATE_LIMIT": "many"}, "REPORTQA_RATE_LIMIT must look like"),
    (["ask", "", "--local"], {}, "question is empty"),
])
def test_real_process_prints_no_traceback(argv: list[str], extra_env: dict[str, str], fragment: str, env: dict[str, str]) -> None:
    full_env = {**os.environ, **env, **extra_env, "HF_HUB_OFFLINE": "1"}
    argv = [a.replace("{ROOT}", env["ROOT"]) for a in argv]
    out = subprocess.run([sys.executable, "-m", "qa", *argv], capture_output=True, text=True, env=full_env, cwd=REPO,
                         timeout=120)
    assert out.returncode == 2 and fragment in out.stderr, out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_data_dir_inside_a_file_names_the_path(env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["--data-dir", "{ROOT}/a_file/data", "index"], env, monkeypatch, capsys)
    assert code == 2 and str(Path(env["ROOT"]) / "a_file") in err, err
