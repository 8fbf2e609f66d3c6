"""The chat loop, decoupled from the terminal so tests can drive it with scripted input.

`run_loop(read_line, write, backend, plain)` reads one line at a time, sends questions (with the
conversation history and the active filters) to a backend and writes rendered text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.cells import cell_len
from rich.markup import escape

from qa.chat.backends import ChatBackend, ChatError
from qa.chat.render import Renderer, highlight, match_spans, query_terms, snippet
from qa.chat.session import ChatSession, UsageError, parse_filter_args, parse_timeline_args
from qa.core.records import Answer, Filters

MAX_HISTORY = 10  # turns sent to the backend (the server only needs the recent topic)
NO_ANSWER = "报告中没有找到相关内容。"

_COMMANDS = [
    ("/sources", "重新列出上一次回答的来源"),
    ("/open N", "查看第 N 条来源的全文、前后段落与字符位置"),
    ("/filter 地区=浙江 含下级=是 级别=市 从=2019 到=2023", "只在这些报告中检索（也可用 region= year= level= from= to= doc=）"),
    ("/filter", "查看当前筛选条件；/filter clear 清除"),
    ("/timeline 指标 [地区=… 从=2015 到=2024]", "历年对比：每个报告年份一句带出处的原文和其中的数字"),
    ("/docs", "列出已索引的报告"),
    ("/history", "查看本次对话；/clear 清空对话（之后的问题不再当作追问）"),
    ("/help", "显示本帮助；/quit 或 /exit 退出（也可按 Ctrl-D）"),
]
_CLEAR_WORDS = ("clear", "reset", "none", "off", "清除", "清空")


def help_text() -> str:
    width = max(cell_len(c) for c, _ in _COMMANDS) + 2
    rows = "\n".join(f"  {c}{' ' * (width - cell_len(c))}{d}" for c, d in _COMMANDS)
    return "直接输入问题即可提问；可以接着追问，例如“那萧山呢？”“2024年呢？”。\n命令：\n" + rows


def _markers(markup: str) -> str:
    """Colour the `[n]` citation markers of an (escaped) answer."""
    return re.sub(r"(?<!\\)\[(\d+)\]", lambda m: f"[cyan][{m.group(1)}][/cyan]", markup)


class ChatLoop:
    """One chat: reads lines, dispatches commands, writes rendered output."""

    def __init__(self, write: Callable[[str], None], backend: ChatBackend, renderer: Renderer,
                 session: ChatSession | None = None, echo: bool = False) -> None:
        self.write_raw = write
        self.backend = backend
        self.render = renderer
        self.session = session or ChatSession()
        self.echo = echo
        self.commands: dict[str, Callable[[str], None]] = {
            "help": self.cmd_help, "?": self.cmd_help, "sources": self.cmd_sources, "open": self.cmd_open,
            "filter": self.cmd_filter, "docs": self.cmd_docs, "timeline": self.cmd_timeline, "clear": self.cmd_clear,
            "history": self.cmd_history,
        }

    def out(self, markup: str = "") -> None:
        self.write_raw(self.render(markup))

    def error(self, message: str) -> None:
        self.out(f"[bold red]错误：[/]{escape(' '.join(str(message).split()))}")

    def handle(self, line: str) -> bool:
        """Process one input line; False means the user asked to quit."""
        line = line.strip()
        if not line:
            return True
        if self.echo:
            self.out(f"[bold cyan]›[/] {escape(line)}")
        name, _, rest = line[1:].partition(" ") if line.startswith("/") else ("", "", "")
        name = name.lower().strip()
        if name in ("quit", "exit", "q"):
            return False
        command = self.commands.get(name) if line.startswith("/") else None
        if line.startswith("/") and command is None:
            self.out(f"[yellow]未知命令 /{escape(name)}。[/]输入 /help 查看可用命令；/quit 退出。")
            return True
        try:
            if command is None:
                self.ask(line)
            else:
                command(rest.strip())
        except ChatError as exc:  # a failed request must not end the chat
            self.error(exc.message)
        return True

    # ----- asking -----------------------------------------------------------------------
    def ask(self, question: str) -> None:
        s = self.session
        result = self.backend.ask(question, s.top_k, s.filters, s.history[-MAX_HISTORY:])
        s.remember(question, result)
        self.show_answer(result)

    def show_answer(self, result: Answer) -> None:
        for warning in result.warnings:
            if warning not in self.session.warned:
                self.session.warned.add(warning)
                self.out(f"[yellow]注意：{escape(warning)}[/]")
        if result.rewritten_question:
            self.out(f"[dim]（理解为：{escape(result.rewritten_question)}）[/]")
        answer = result.answer.strip() or NO_ANSWER
        self.out(f"[bold]{_markers(escape(answer)) if result.answerable else escape(answer)}[/]")
        self.list_sources(result)
        meta = [result.retrieval, f"{result.took_ms:.0f} ms"]
        if not self.session.filters.empty:
            meta.append("筛选：" + self.session.describe_filters())
        self.out(f"[dim]（{escape(' · '.join(m for m in meta if m))}）[/]")

    def list_sources(self, result: Answer) -> None:
        if not result.passages:
            return
        self.out("[bold]来源：[/]" if result.answerable else "[bold]可能相关：[/]")
        words, cjk = query_terms(result.question, result.rewritten_question)
        for p in result.passages:
            c = p.citation
            head = " · ".join(x for x in (c.title or c.doc_id, c.section) if x)
            self.out(f" [cyan][{p.rank}][/] {escape(head)} · {snippet(p.text, words, cjk)}")

    # ----- commands ---------------------------------------------------------------------
    def cmd_help(self, _: str) -> None:
        self.out(escape(help_text()))

    def cmd_sources(self, _: str) -> None:
        if not self.session.last or not self.session.last.passages:
            self.out("还没有来源。先提一个问题吧。")
            return
        self.list_sources(self.session.last)

    def cmd_open(self, rest: str) -> None:
        last = self.session.last
        if last is None or not last.passages:
            self.out("还没有来源可以打开。先提一个问题，再用 /open N 查看第 N 条来源。")
            return
        try:
            n = int(rest.strip().lstrip("[").rstrip("]"))
        except ValueError:
            self.out(f"用法：/open N （N 为 1–{len(last.passages)}）")
            return
        chosen = next((p for p in last.passages if p.rank == n), None)
        if chosen is None:
            self.out(f"没有第 {n} 条来源；可选 1–{len(last.passages)}。")
            return
        data = self.backend.passage(chosen.chunk_id, 1)
        c = data.passage.citation
        words, cjk = query_terms(last.question, last.rewritten_question)
        self.out(f"[bold cyan][{n}][/] [bold]{escape(c.title)}[/] · {escape(c.section or '（无标题）')}")
        self.out(f"[dim]{escape(c.source)} · 字符 {c.start}–{c.end} · doc_id {escape(c.doc_id)}[/]")
        for chunk in data.before:
            self.out(f"[dim]……前文（字符 {chunk.start}–{chunk.end}）[/]")
            self.out(f"[dim]{escape(chunk.text)}[/]")
        self.out(f"[bold]—— 第 {n} 条来源（字符 {c.start}–{c.end}）——[/]")
        self.out(highlight(data.passage.text, match_spans(data.passage.text, words, cjk)))
        for chunk in data.after:
            self.out(f"[dim]……后文（字符 {chunk.start}–{chunk.end}）[/]")
            self.out(f"[dim]{escape(chunk.text)}[/]")

    def cmd_filter(self, rest: str) -> None:
        s = self.session
        if rest.lower() in _CLEAR_WORDS:
            s.filters = Filters()
            self.out("已清除筛选条件：在全部报告中检索。")
            return
        if rest:
            try:
                s.filters = parse_filter_args(rest, s.filters)
            except UsageError as exc:
                self.out(f"[yellow]{escape(str(exc))}[/]")
                return
        if s.filters.empty:
            self.out("当前没有筛选条件。示例：/filter 地区=萧山 年份=2024")
        else:
            self.out(f"筛选条件：{escape(s.describe_filters())}（/filter clear 清除）")

    def cmd_timeline(self, rest: str) -> None:
        question, region, year_from, year_to = parse_timeline_args(rest)
        if not question:
            self.out("用法：/timeline 城镇新增就业目标 地区=国务院 从=2015 到=2024")
            return
        result = self.backend.timeline(question, region, year_from, year_to)
        by_year = {e.year: e for e in result.entries}
        self.out(f"[bold]{escape(result.region)} · {escape(result.question)}[/]")
        rows = []
        for year in result.years:
            entry = by_year.get(year)
            figures = "、".join(f.text for f in entry.figures) if entry and entry.figures else "（无数字）"
            sentence = " ".join(entry.sentence.split())[:60] if entry else "（无相关段落）"
            rows.append([str(year), figures, sentence])
        self.write_raw(self.render.table(["年份", "数字", "原文"], rows))
        self.out(f"[dim]共 {len(result.years)} 个报告年份；/open 不适用于历年视图，可用 /filter 年份=… 再提问查看原文[/]")

    def cmd_docs(self, _: str) -> None:
        docs = self.backend.documents()
        if not docs:
            self.out("还没有索引任何报告。")
            return
        rows = [[d.doc_id, d.title, d.region, "" if d.year is None else str(d.year), str(d.chunks)] for d in docs]
        self.write_raw(self.render.table(["doc_id", "标题", "地区", "年份", "段落"], rows, right=(3, 4)))
        self.out(f"[dim]共 {len(docs)} 份报告；/filter doc=<doc_id> 只在某份报告中检索[/]")

    def cmd_clear(self, _: str) -> None:
        self.session.history.clear()
        self.out("已清空对话历史；接下来的问题将独立理解。")

    def cmd_history(self, _: str) -> None:
        if not self.session.history:
            self.out("对话历史为空。")
            return
        for i, turn in enumerate(self.session.history, 1):
            answer = " ".join(turn.answer.split())
            short = answer[:60] + ("…" if len(answer) > 60 else "")
            self.out(f"[cyan]{i}.[/] 问：{escape(turn.question)}")
            self.out(f"   [dim]答：{escape(short)}[/]")


def run_loop(read_line: Callable[[], str], write: Callable[[str], None], backend: ChatBackend, renderer: Renderer,
             session: ChatSession | None = None, echo: bool = False) -> ChatSession:
    """Read lines until EOF, /quit or Ctrl-C; return the session as it was left."""
    loop = ChatLoop(write, backend, renderer, session=session, echo=echo)
    try:
        while True:
            try:
                line = read_line()
            except EOFError:
                break
            if not loop.handle(line):
                break
    except KeyboardInterrupt:
        write(renderer("[dim]（已中断）[/]"))
    return loop.session
