"""The chat loop, driven with scripted input and a fake backend (no model, no server)."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import httpx
import pytest
from rich.text import Text
from wcwidth import wcswidth

from qa.chat.backends import BackendUnavailable, ChatError, LocalBackend
from qa.chat.http import HTTPBackend
from qa.chat.loop import run_loop
from qa.chat.render import Renderer, plain_table, query_terms, snippet
from qa.chat.session import ChatSession, parse_filter_args
from qa.chat.terminal import history_path
from qa.cli import chat as chat_command
from qa.core.errors import NotFound
from qa.core.records import (
    Answer,
    Chunk,
    Citation,
    DocumentInfo,
    Figure,
    Filters,
    Health,
    Passage,
    PassageContext,
    ServiceState,
    Timeline,
    TimelineEntry,
    Turn,
)
from qa.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

HZ_TEXT = ("2020年，全市地区生产总值增长3.9%，一般公共预算收入增长6.5%，城乡居民人均可支配收入分别增长3.4%和6.9%。"
           "数字经济核心产业增加值增长13.3%。")
XS_TEXT = "2020年萧山区实现地区生产总值1900亿元，增长3.1%，经济运行稳中向好，数字经济加快发展。"
LEXICAL = "lexical-only mode: point REPORTQA_MODEL at a model"


def _passage(rank: int, chunk_id: str, title: str, section: str, text: str, start: int) -> Passage:
    cite = Citation(f"doc-{chunk_id}", title, f"seeds/{chunk_id}.txt", section, start, start + len(text))
    return Passage(rank=rank, score=0.9 - rank / 10, text=text, chunk_id=chunk_id, citation=cite)


def _doc(doc_id: str, title: str, region: str, chunks: int) -> DocumentInfo:
    return DocumentInfo(doc_id, title, region, 2021, "city", "full", f"seeds/{doc_id}.txt", "0" * 64, "utf-8", (),
                        20000, chunks)


class FakeBackend:
    """Canned records shaped like the real service's; records what the chat sends."""

    def __init__(self, fail: bool = False) -> None:
        self.asked: list[dict] = []
        self.opened: list[tuple[str, int]] = []
        self.fail = fail
        self.closed = False

    def health(self) -> Health:
        return Health(status=ServiceState.OK, model="fake", retrieval="hybrid", documents=2, chunks=49)

    def ask(self, question, top_k, filters, history) -> Answer:
        self.asked.append({"question": question, "top_k": top_k, "filters": filters, "history": list(history)})
        if self.fail:
            raise ChatError("index is still being built; try again shortly", code="not_ready", status=503)
        hz = _passage(1, "c-hz", "杭州市2021年政府工作报告", "一、过去一年", HZ_TEXT, 40)
        xs = _passage(1, "c-xs", "萧山区2021年政府工作报告", "一、2020年工作回顾", XS_TEXT, 120)
        if "萧山" in question:
            return Answer(question, "萧山区2020年地区生产总值增长3.1%。[1]", True, "hybrid", (xs,), 12.3,
                          rewritten_question="萧山2020年地区生产总值增长多少")
        if "火星" in question:
            return Answer(question, "报告中没有找到相关内容。", False, "hybrid", (hz,), 12.3)
        xs2 = _passage(2, "c-xs", "萧山区2021年政府工作报告", "一、2020年工作回顾", XS_TEXT, 120)
        return Answer(question, "2020年，全市地区生产总值增长3.9%。[1]", True, "hybrid", (hz, xs2), 12.3,
                      warnings=(LEXICAL,))

    def documents(self) -> list[DocumentInfo]:
        return [_doc("hz-2021", "杭州市2021年政府工作报告", "杭州市", 42),
                _doc("xs-2021", "萧山区2021年政府工作报告", "萧山区", 7)]

    def passage(self, chunk_id, context) -> PassageContext:
        self.opened.append((chunk_id, context))
        before = Chunk("c-prev", "doc-c-hz", 0, "一、过去一年", 0, 39, "过去一年，我们统筹推进疫情防控和经济社会发展。")
        after = Chunk("c-next", "doc-c-hz", 2, "一、过去一年", 120, 160, "改革开放持续深化，营商环境不断优化。")
        return PassageContext(_passage(1, chunk_id, "杭州市2021年政府工作报告", "一、过去一年", HZ_TEXT, 40), (before,), (after,))

    def close(self) -> None:
        self.closed = True


def script(lines: list[str], backend=None, plain: bool = True, end_with_eof: bool = True,
           renderer: Renderer | None = None) -> tuple[str, FakeBackend, ChatSession]:
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
    session = run_loop(read_line, out.append, backend, renderer or Renderer(plain=plain))
    return "\n".join(out), backend, session


def chat(lines: list[str], backend=None, plain: bool = True, renderer: Renderer | None = None) -> tuple[str, FakeBackend]:
    out, backend, _ = script(lines, backend, plain, renderer=renderer)
    return out, backend


def test_two_turn_followup_sends_history_and_shows_rewrite():
    out, backend = chat(["杭州2020年地区生产总值增长多少", "那萧山呢？"])
    assert len(backend.asked) == 2
    assert backend.asked[0]["history"] == []
    assert backend.asked[1]["history"] == [Turn("杭州2020年地区生产总值增长多少", "2020年，全市地区生产总值增长3.9%。[1]")]
    assert backend.asked[1]["question"] == "那萧山呢？"
    assert backend.asked[1]["filters"] == Filters() and backend.asked[1]["top_k"] == 5
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
    assert backend.asked[0]["filters"] == Filters(regions=("萧山",), years=(2024,))
    assert backend.asked[1]["filters"] == Filters()
    assert "筛选条件：地区=萧山 年份=2024" in out
    assert "已清除筛选条件" in out


def test_filter_aliases_and_multiple_years():
    assert parse_filter_args("region=杭州 year=2023,2024 doc=abc") == Filters(("abc",), ("杭州",), (2023, 2024))
    assert parse_filter_args("文档=x 年份=2023年 年份=2024") == Filters(doc_ids=("x",), years=(2023, 2024))
    kept = parse_filter_args("年份=2024", Filters(regions=("萧山",), years=(2021,)))
    assert kept == Filters(regions=("萧山",), years=(2024,))
    out, backend = chat(["/filter 年份=二零", "/filter foo", "问题"])
    assert "年份应为四位数字" in out and "看不懂筛选条件" in out
    assert backend.asked[0]["filters"] == Filters()


def test_docs_lists_documents_aligned():
    out, _ = chat(["/docs"])
    lines = out.splitlines()
    assert any("hz-2021" in line and "杭州市2021年政府工作报告" in line and "2021" in line and "42" in line for line in lines)
    row_hz = next(line for line in lines if line.startswith("hz-2021"))
    row_xs = next(line for line in lines if line.startswith("xs-2021"))
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


@pytest.mark.parametrize("command", ["/quit", "/exit", "/q"])
def test_quit_and_exit_stop_reading(command):
    # end_with_eof=False: asking for another line after the command fails the test.
    out, backend, session = script(["杭州2020年地区生产总值增长多少", command], end_with_eof=False)
    assert len(backend.asked) == 1 and len(session.history) == 1
    assert out.splitlines()[-1] == "（hybrid · 12 ms）"


def test_eof_exits_cleanly():
    out, backend = chat([])
    assert out == "" and backend.asked == []


def test_ctrl_c_exits_cleanly_keeping_the_conversation():
    lines = iter(["杭州2020年地区生产总值增长多少"])

    def read_line():
        line = next(lines, None)
        if line is None:
            raise KeyboardInterrupt
        return line

    out: list[str] = []
    session = run_loop(read_line, out.append, FakeBackend(), Renderer(plain=True))
    assert out[-1] == "（已中断）"
    assert [t.question for t in session.history] == ["杭州2020年地区生产总值增长多少"]
    assert session.last is not None and session.last.answerable


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
    lines = ["杭州2020年地区生产总值增长多少", "那萧山呢？", "/open 1", "/docs", "/filter 地区=萧山", "/history", "/nope"]
    plain, _ = chat(lines, plain=True)
    assert "\x1b[" not in plain
    assert "[bold" not in plain and "[/]" not in plain  # markup is stripped, not printed
    colour, _ = chat(lines, plain=False, renderer=Renderer(plain=False, width=120))
    assert "\x1b[" in colour
    assert "3.9%" in colour and "理解为" in colour


def test_snippet_highlights_question_terms():
    words, cjk = query_terms("杭州2020年地区生产总值增长多少")
    markup = snippet(HZ_TEXT * 3, words, cjk)
    assert "[bold yellow]地区生产总值增长[/]" in markup
    assert "[bold yellow]2020[/]" in markup
    assert "[bold yellow]多少" not in markup and "[bold yellow]是多" not in markup
    plain = Text.from_markup(markup).plain
    assert len(plain.strip("…")) <= 80


def test_session_describes_its_filters():
    s = ChatSession(filters=Filters(regions=("萧山",), years=(2021, 2024)))
    assert s.describe_filters() == "地区=萧山 年份=2021,2024"
    assert ChatSession().describe_filters() == ""


# ----- HTTP backend and server-down behaviour ----------------------------------------------
def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_http_backend_server_unavailable():
    backend = HTTPBackend(f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(BackendUnavailable) as info:
        backend.health()
    backend.close()
    assert "无法连接到" in info.value.message and "\n" not in info.value.message


def test_http_backend_maps_envelopes_and_parses_records():
    seen: list[httpx.Request] = []
    answer = FakeBackend().ask("杭州2020年地区生产总值增长多少", 3, Filters(), [])
    context = FakeBackend().passage("abc123", 1)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content) if request.content else {}
        if request.url.path == "/ask" and not body.get("question"):
            return httpx.Response(422, json={"error": {"code": "validation_error", "message": "question is empty"}})
        if request.url.path == "/ask":
            return httpx.Response(200, json=_jsonable(answer))
        if request.url.path.startswith("/passages/"):
            return httpx.Response(200, json=_jsonable(context))
        if request.url.path == "/health":
            return httpx.Response(200, json={"status": "oops"})
        return httpx.Response(200, json=[_jsonable(d) for d in FakeBackend().documents()])

    backend = HTTPBackend("http://test", transport=httpx.MockTransport(handler))
    with pytest.raises(ChatError) as info:
        backend.ask("", 3, Filters(years=(2024,)), [Turn("q1", "a1")])
    assert info.value.message == "question is empty" and info.value.code == "validation_error" and info.value.status == 422
    assert json.loads(seen[0].content) == {"question": "", "top_k": 3, "history": [{"question": "q1", "answer": "a1"}],
                                           "filters": {"doc_ids": [], "regions": [], "years": [2024]}}
    assert backend.ask("杭州2020年地区生产总值增长多少", 3, Filters(), []) == answer
    assert json.loads(seen[-1].content)["filters"] is None and json.loads(seen[-1].content)["history"] is None
    assert backend.documents() == FakeBackend().documents()
    assert backend.passage("abc123", 1) == context
    assert seen[-1].url.path == "/passages/abc123" and seen[-1].url.params["context"] == "1"
    with pytest.raises(ChatError) as bad:
        backend.health()
    assert bad.value.code == "bad_response"


def _jsonable(record: object) -> object:
    return json.loads(json.dumps(asdict(record), ensure_ascii=False))  # type: ignore[arg-type]


def test_chat_command_server_down_prints_one_line(capsys):
    url = f"http://127.0.0.1:{_closed_port()}"
    args = argparse.Namespace(url=url, local=False, top_k=5)
    assert chat_command.run(args, Settings()) == 1
    captured = capsys.readouterr()
    text = (captured.out + captured.err).strip()
    assert text == f"无法连接到 {url} （服务未启动？）——请先运行 `reportqa serve`，或使用 `reportqa chat --local`"


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


def test_chat_client_does_not_import_torch():
    code = ("import sys; from qa.cli import main; main.parser(); "
            "print([m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_chat_help_lists_its_options():
    proc = _run("chat", "--help")
    assert proc.returncode == 0 and "--local" in proc.stdout and "--url" in proc.stdout


def test_history_path_honours_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert history_path() == tmp_path / "reportqa" / "chat_history"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert history_path() == Path.home() / ".local" / "share" / "reportqa" / "chat_history"


def test_local_backend_passes_records_and_converts_errors():
    class StubService:
        def health(self) -> Health:
            return Health(status=ServiceState.OK, model=None, retrieval="lexical")

        def ask(self, question, top_k=5, filters=None, history=None, as_of=None):
            self.seen = (question, top_k, filters, history)
            return Answer(question=question, answer="答[1]", answerable=True, retrieval="lexical", passages=(), took_ms=1.0)

        def documents(self):
            return []

        def passage(self, chunk_id, context=0):
            raise NotFound(f"unknown chunk_id {chunk_id!r}")

    stub = StubService()
    backend = LocalBackend(stub)
    result = backend.ask("那萧山呢？", 3, Filters(regions=("萧山",), years=(2024,)), [Turn("q", "a")])
    assert result.answer == "答[1]" and result.answerable is True
    assert stub.seen == ("那萧山呢？", 3, Filters(regions=("萧山",), years=(2024,)), [Turn("q", "a")])
    with pytest.raises(ChatError) as info:
        backend.passage("nope", 1)
    assert info.value.code == "not_found" and "nope" in info.value.message
    out, _ = chat(["问题", "/open 1"], backend=_OpenFails())
    assert "错误：unknown chunk_id 'c-hz'" in out


class _OpenFails(FakeBackend):
    def passage(self, chunk_id, context):
        raise ChatError(f"unknown chunk_id {chunk_id!r}", code="not_found", status=404)


def test_timeline_command_shows_one_row_per_report_year():
    class WithTimeline(FakeBackend):
        def timeline(self, question, region, year_from, year_to):
            self.asked_timeline = (question, region, year_from, year_to)
            hz = _passage(1, "c-hz", "杭州市2021年政府工作报告", "一、过去一年", HZ_TEXT, 40)
            return Timeline(question, region or "国务院", (2020, 2021, 2022),
                            (TimelineEntry(2021, hz, "地区生产总值增长3.9%", (Figure("3.9%", 3.9, None, "%", ""),)),), 5.0)

    backend = WithTimeline()
    out, _ = chat(["/timeline 地区生产总值增长 地区=杭州市 从=2020 到=2022年", "/timeline"], backend=backend)
    assert backend.asked_timeline == ("地区生产总值增长", "杭州市", 2020, 2022)
    lines = out.splitlines()
    assert "杭州市 · 地区生产总值增长" in lines[0]
    assert any(line.startswith("2021") and "3.9%" in line for line in lines)
    assert any(line.startswith("2020") and "（无数字）" in line and "（无相关段落）" in line for line in lines)
    assert "用法：/timeline" in out


def test_filter_takes_levels_ranges_and_subregions():
    parsed = parse_filter_args("地区=浙江 含下级=是 级别=市,省 从=2019 到=2023年")
    assert parsed == Filters(regions=("浙江",), levels=("city", "province"), year_from=2019, year_to=2023,
                             include_subregions=True)
    out, backend = chat(["/filter 级别=市 从=2019", "杭州经济", "/filter 级别=村"])
    assert backend.asked[0]["filters"] == Filters(levels=("city",), year_from=2019)
    assert "筛选条件：级别=city 年份范围=2019–" in out and "级别应为 国家/省/市/区/县" in out
