"""The chat loop, driven with scripted input and a fake backend (no model, no server)."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from qa.chat import ChatSession, Renderer, parse_filter_args, plain_table, query_terms, run_loop, snippet
from qa.http_client import HTTPBackend, ServerError, ServerUnavailable
from qa.records import Turn
from qa.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

HZ_TEXT = ("2020年，全市地区生产总值增长3.9%，一般公共预算收入增长6.5%，城乡居民人均可支配收入分别增长3.4%和6.9%。"
           "数字经济核心产业增加值增长13.3%。")
XS_TEXT = "2020年萧山区实现地区生产总值1900亿元，增长3.1%，经济运行稳中向好，数字经济加快发展。"


def _passage(rank: int, chunk_id: str, title: str, section: str, text: str, start: int) -> dict:
    return {
        "rank": rank, "score": 0.9 - rank / 10, "text": text, "chunk_id": chunk_id,
        "citation": {"doc_id": f"doc-{chunk_id}", "title": title, "source": f"seeds/{chunk_id}.txt",
                     "section": section, "start": start, "end": start + len(text)},
    }


class FakeBackend:
    """Canned responses shaped like the real API; records what the chat sends."""

    def __init__(self, fail: bool = False) -> None:
        self.asked: list[dict] = []
        self.opened: list[tuple[str, int]] = []
        self.fail = fail

    def ask(self, question, top_k, filters, history):
        self.asked.append({"question": question, "top_k": top_k, "filters": filters, "history": list(history)})
        if self.fail:
            raise ServerError("index is still being built; try again shortly", code="not_ready", status=503)
        base = {"question": question, "retrieval": "hybrid", "took_ms": 12.3}
        if "萧山" in question:
            return {**base, "answer": "萧山区2020年地区生产总值增长3.1%。[1]", "answerable": True,
                    "rewritten_question": "萧山2020年地区生产总值增长多少",
                    "passages": [_passage(1, "c-xs", "萧山区2021年政府工作报告", "一、2020年工作回顾", XS_TEXT, 120)]}
        if "火星" in question:
            return {**base, "answer": "报告中没有找到相关内容。", "answerable": False,
                    "passages": [_passage(1, "c-hz", "杭州市2021年政府工作报告", "一、过去一年", HZ_TEXT, 40)]}
        return {**base, "answer": "2020年，全市地区生产总值增长3.9%。[1]", "answerable": True,
                "warnings": ["lexical-only mode: point REPORTQA_MODEL at a model"],
                "passages": [_passage(1, "c-hz", "杭州市2021年政府工作报告", "一、过去一年", HZ_TEXT, 40),
                             _passage(2, "c-xs", "萧山区2021年政府工作报告", "一、2020年工作回顾", XS_TEXT, 120)]}

    def documents(self):
        return [
            {"doc_id": "hz-2021", "title": "杭州市2021年政府工作报告", "region": "杭州市", "year": 2021,
             "level": "city", "kind": "report", "source": "seeds/a.txt", "chunks": 42, "chars": 20000},
            {"doc_id": "xs-2021", "title": "萧山区2021年政府工作报告", "region": "萧山区", "year": 2021,
             "level": "district", "kind": "report", "source": "seeds/b.txt", "chunks": 7, "chars": 9000},
        ]

    def passage(self, chunk_id, context):
        self.opened.append((chunk_id, context))
        return {
            "passage": _passage(1, chunk_id, "杭州市2021年政府工作报告", "一、过去一年", HZ_TEXT, 40),
            "before": [{"chunk_id": "c-prev", "doc_id": "doc-c-hz", "ordinal": 0, "section": "一、过去一年",
                        "start": 0, "end": 39, "text": "过去一年，我们统筹推进疫情防控和经济社会发展。"}],
            "after": [{"chunk_id": "c-next", "doc_id": "doc-c-hz", "ordinal": 2, "section": "一、过去一年",
                       "start": 120, "end": 160, "text": "改革开放持续深化，营商环境不断优化。"}],
        }


def chat(lines: list[str], backend=None, plain: bool = True, end_with_eof: bool = True, **kw) -> tuple[str, FakeBackend]:
    backend = backend or FakeBackend()
    feed = iter(lines)

    def read_line() -> str:
        try:
            return next(feed)
        except StopIteration:
            if end_with_eof:
                raise EOFError from None
            raise AssertionError("the loop asked for more input after /quit") from None

    out: list[str] = []
    assert run_loop(read_line, out.append, backend, plain, **kw) == 0
    return "\n".join(out), backend


def test_two_turn_followup_sends_history_and_shows_rewrite():
    out, backend = chat(["杭州2020年地区生产总值增长多少", "那萧山呢？"])
    assert len(backend.asked) == 2
    assert backend.asked[0]["history"] == []
    assert backend.asked[1]["history"] == [Turn("杭州2020年地区生产总值增长多少", "2020年，全市地区生产总值增长3.9%。[1]")]
    assert backend.asked[1]["question"] == "那萧山呢？"
    assert backend.asked[1]["filters"] is None and backend.asked[1]["top_k"] == 5
    assert "3.9%" in out and "[1]" in out
    assert "（理解为：萧山2020年地区生产总值增长多少）" in out
    assert "来源：" in out and "杭州市2021年政府工作报告 · 一、过去一年 · " in out
    assert out.count("lexical-only mode") == 1  # warnings are shown once


def test_warning_shown_once_across_turns():
    out, _ = chat(["杭州2020年地区生产总值增长多少", "杭州2020年地区生产总值增长多少"])
    assert out.count("lexical-only mode") == 1


def test_open_shows_neighbours_and_range():
    out, backend = chat(["杭州2020年地区生产总值增长多少", "/open 1"])
    assert backend.opened == [("c-hz", 1)]
    assert "过去一年，我们统筹推进疫情防控和经济社会发展。" in out
    assert "改革开放持续深化，营商环境不断优化。" in out
    assert f"字符 40–{40 + len(HZ_TEXT)}" in out
    assert "seeds/c-hz.txt" in out


def test_open_bad_index_and_before_asking():
    out, backend = chat(["/open 1", "杭州2020年地区生产总值增长多少", "/open 9", "/open x"])
    assert "先提一个问题" in out and "没有第 9 条来源" in out and "用法：/open N" in out
    assert backend.opened == []


def test_filter_sets_and_clears():
    out, backend = chat(["/filter 地区=萧山 年份=2024", "杭州经济", "/filter", "/filter clear", "杭州经济"])
    assert backend.asked[0]["filters"] == {"regions": ["萧山"], "years": [2024]}
    assert backend.asked[1]["filters"] is None
    assert "筛选条件：地区=萧山 年份=2024" in out
    assert "已清除筛选条件" in out


def test_filter_aliases_and_multiple_years():
    assert parse_filter_args("region=杭州 year=2023,2024 doc=abc") == {
        "regions": ["杭州"], "years": [2023, 2024], "doc_ids": ["abc"]}
    assert parse_filter_args("文档=x 年份=2023年 年份=2024") == {"doc_ids": ["x"], "years": [2023, 2024]}
    out, backend = chat(["/filter 年份=二零", "/filter foo", "问题"])
    assert "年份应为四位数字" in out and "看不懂筛选条件" in out
    assert backend.asked[0]["filters"] is None


def test_docs_lists_documents_aligned():
    out, _ = chat(["/docs"])
    lines = out.splitlines()
    assert any("hz-2021" in line and "杭州市2021年政府工作报告" in line and "2021" in line and "42" in line for line in lines)
    row_hz = next(line for line in lines if line.startswith("hz-2021"))
    row_xs = next(line for line in lines if line.startswith("xs-2021"))
    from wcwidth import wcswidth

    assert wcswidth(row_hz) == wcswidth(row_xs)  # full-width characters are padded by display width


def test_plain_table_pads_by_display_width():
    table = plain_table(["a", "b"], [["杭州", "1"], ["xyz", "22"]], right=(1,))
    assert table.splitlines() == ["a      b", "----  --", "杭州   1", "xyz   22"]


def test_clear_and_history():
    out, backend = chat(["杭州2020年地区生产总值增长多少", "/history", "/clear", "/history", "那萧山呢？"])
    assert "1. 问：杭州2020年地区生产总值增长多少" in out
    assert "对话历史为空" in out
    assert backend.asked[1]["history"] == []


def test_unknown_command_hint_and_empty_lines_ignored():
    out, backend = chat(["", "   ", "/frobnicate"])
    assert "未知命令 /frobnicate" in out and "/help" in out
    assert backend.asked == []


def test_help_and_sources():
    out, _ = chat(["/sources", "/help", "杭州2020年地区生产总值增长多少", "/sources"])
    assert "还没有来源" in out and "/open N" in out
    assert out.count("萧山区2021年政府工作报告 · 一、2020年工作回顾") == 2


def test_quit_and_exit_stop_reading():
    out, backend = chat(["/quit"], end_with_eof=False)
    assert backend.asked == []
    chat(["/exit"], end_with_eof=False)


def test_eof_exits_cleanly():
    out, backend = chat([])
    assert out == "" and backend.asked == []


def test_ctrl_c_exits_cleanly():
    def read_line():
        raise KeyboardInterrupt

    assert run_loop(read_line, lambda s: None, FakeBackend(), True) == 0


def test_unanswerable_lists_possibly_related():
    out, _ = chat(["火星的GDP是多少"])
    assert "报告中没有找到相关内容" in out
    assert "可能相关：" in out and "来源：" not in out
    assert "杭州市2021年政府工作报告" in out


def test_server_error_is_one_line_and_loop_continues():
    out, backend = chat(["问题一", "问题二"], backend=FakeBackend(fail=True))
    assert len(backend.asked) == 2
    assert out.count("错误：index is still being built") == 2
    assert "Traceback" not in out


def test_plain_mode_has_no_ansi_and_colour_mode_does():
    script = ["杭州2020年地区生产总值增长多少", "那萧山呢？", "/open 1", "/docs", "/filter 地区=萧山", "/history", "/nope"]
    plain, _ = chat(script, plain=True)
    assert "\x1b[" not in plain
    assert "[bold" not in plain and "[/]" not in plain  # markup is stripped, not printed
    colour, _ = chat(script, plain=False, renderer=Renderer(plain=False, width=120))
    assert "\x1b[" in colour
    assert "3.9%" in colour and "理解为" in colour


def test_snippet_highlights_question_terms():
    words, cjk = query_terms("杭州2020年地区生产总值增长多少")
    markup = snippet(HZ_TEXT * 3, words, cjk)
    assert "[bold yellow]地区生产总值增长[/]" in markup
    assert "[bold yellow]2020[/]" in markup
    from rich.text import Text

    plain = Text.from_markup(markup).plain
    assert len(plain.strip("…")) <= 80


def test_session_filters_property():
    s = ChatSession()
    assert s.filters is None
    s.years = [2024]
    assert s.filters == {"years": [2024]}


# ----- HTTP client and server-down behaviour ------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_http_client_server_unavailable():
    with HTTPBackend(f"http://127.0.0.1:{_closed_port()}") as backend, pytest.raises(ServerUnavailable) as info:
        backend.health()
    assert "无法连接到" in info.value.message and "\n" not in info.value.message


def test_http_client_maps_error_envelope_and_request_body():
    import httpx

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/ask":
            return httpx.Response(400, json={"error": {"code": "bad_request", "message": "question is empty"}})
        if request.url.path.startswith("/passages/"):
            return httpx.Response(200, json={"passage": {}, "before": [], "after": []})
        return httpx.Response(200, json=[{"doc_id": "a"}])

    backend = HTTPBackend("http://test", transport=httpx.MockTransport(handler))
    with pytest.raises(ServerError) as info:
        backend.ask("", 3, {"years": [2024]}, [Turn("q1", "a1")])
    assert info.value.message == "question is empty" and info.value.code == "bad_request"
    import json

    body = json.loads(seen[0].content)
    assert body == {"question": "", "top_k": 3, "filters": {"doc_ids": [], "regions": [], "years": [2024]},
                    "history": [{"question": "q1", "answer": "a1"}]}
    assert backend.documents() == [{"doc_id": "a"}]
    backend.passage("abc123", 1)
    assert seen[-1].url.path == "/passages/abc123" and seen[-1].url.params["context"] == "1"


def test_run_chat_server_down_prints_one_line(capsys):
    from qa.chat_cli import run_chat

    url = f"http://127.0.0.1:{_closed_port()}"
    args = argparse.Namespace(url=url, local=False, top_k=5)
    assert run_chat(args, Settings()) == 1
    captured = capsys.readouterr()
    text = (captured.out + captured.err).strip()
    assert len(text.splitlines()) == 1
    assert "reportqa serve" in text and "--local" in text and url in text
    assert "Traceback" not in text


def _run(*argv: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "qa", *argv], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


def test_piped_chat_server_down_subprocess():
    proc = _run("chat", "--url", f"http://127.0.0.1:{_closed_port()}", stdin="杭州2020年地区生产总值增长多少\n")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    assert len(lines) == 1 and "reportqa serve" in lines[0] and "--local" in lines[0]


def test_chat_cli_module_import_is_light():
    code = ("import sys, qa.chat_cli; bad = [m for m in ('torch', 'sentence_transformers', 'rich', 'prompt_toolkit', 'httpx')"
            " if m in sys.modules]; print(bad)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_chat_help_is_fast():
    proc = _run("chat", "--help")
    assert proc.returncode == 0 and "--local" in proc.stdout


def test_history_path_honours_xdg(monkeypatch, tmp_path):
    from qa.chat_cli import history_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert history_path() == tmp_path / "reportqa" / "chat_history"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert history_path() == Path.home() / ".local" / "share" / "reportqa" / "chat_history"


def test_local_backend_converts_records_and_errors():
    from qa.chat_cli import LocalBackend
    from qa.errors import NotFound
    from qa.records import Answer, Filters

    class StubService:
        def ask(self, question, top_k, filters, history):
            self.seen = (question, top_k, filters, history)
            return Answer(question=question, answer="答[1]", answerable=True, retrieval="lexical", passages=(), took_ms=1.0)

        def documents(self):
            return []

        def passage(self, chunk_id, context):
            raise NotFound(f"unknown chunk_id {chunk_id!r}")

    stub = StubService()
    backend = LocalBackend(stub)
    result = backend.ask("那萧山呢？", 3, {"regions": ["萧山"], "years": [2024]}, [Turn("q", "a")])
    assert result["answer"] == "答[1]" and result["answerable"] is True
    assert stub.seen == ("那萧山呢？", 3, Filters(regions=("萧山",), years=(2024,)), [Turn("q", "a")])
    with pytest.raises(ServerError) as info:
        backend.passage("nope", 1)
    assert info.value.code == "not_found" and "nope" in info.value.message
    out, _ = chat(["问题", "/open 1"], backend=_OpenFails())
    assert "错误：unknown chunk_id" in out


class _OpenFails(FakeBackend):
    def passage(self, chunk_id, context):
        raise ServerError(f"unknown chunk_id {chunk_id!r}", code="not_found", status=404)
