"""The `reportqa chat` loop, decoupled from terminal I/O so it can be driven by tests.

`run_loop(read_line, write, backend, plain)` reads one line at a time, sends questions (with the
conversation history and the active filters) to a backend and writes rendered text.  Output is
composed as rich markup; in plain mode the markup is stripped (no ANSI codes at all), in colour
mode it is rendered to ANSI text with rich.
"""

from __future__ import annotations

import io
import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rich.cells import cell_len
from rich.markup import escape

from qa.http_client import ClientError
from qa.records import Turn

HIGHLIGHT = "bold yellow"
SNIPPET_CHARS = 80
MAX_HISTORY = 10  # turns sent to the backend (the server only needs the recent topic)

_COMMANDS = [
    ("/sources", "重新列出上一次回答的来源"),
    ("/open N", "查看第 N 条来源的全文、前后段落与字符位置"),
    ("/filter 地区=萧山 年份=2024", "只在这些报告中检索（也可用 region= year= doc=/文档=；多个年份用逗号分隔）"),
    ("/filter", "查看当前筛选条件；/filter clear 清除"),
    ("/docs", "列出已索引的报告"),
    ("/history", "查看本次对话；/clear 清空对话（之后的问题不再当作追问）"),
    ("/help", "显示本帮助；/quit 或 /exit 退出（也可按 Ctrl-D）"),
]


def help_text() -> str:
    width = max(cell_len(c) for c, _ in _COMMANDS) + 2
    rows = "\n".join(f"  {c}{' ' * (width - cell_len(c))}{d}" for c, d in _COMMANDS)
    return "直接输入问题即可提问；可以接着追问，例如“那萧山呢？”“2024年呢？”。\n命令：\n" + rows


class ChatBackend(Protocol):
    """What the chat loop needs: the HTTP client and the in-process service both fit."""

    def ask(self, question: str, top_k: int, filters: dict[str, list] | None, history: list[Turn]) -> dict: ...

    def documents(self) -> list[dict]: ...

    def passage(self, chunk_id: str, context: int) -> dict: ...


@dataclass
class ChatSession:
    """Conversation state: the turns so far, the active filters and the last answer."""

    top_k: int = 5
    history: list[Turn] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    last: dict | None = None
    warned: set[str] = field(default_factory=set)

    @property
    def filters(self) -> dict[str, list] | None:
        """Only the non-empty fields, or None when nothing is filtered."""
        data = {"doc_ids": list(self.doc_ids), "regions": list(self.regions), "years": list(self.years)}
        data = {k: v for k, v in data.items() if v}
        return data or None

    def clear_filters(self) -> None:
        self.regions, self.years, self.doc_ids = [], [], []

    def describe_filters(self) -> str:
        parts = []
        if self.regions:
            parts.append("地区=" + ",".join(self.regions))
        if self.years:
            parts.append("年份=" + ",".join(map(str, self.years)))
        if self.doc_ids:
            parts.append("文档=" + ",".join(self.doc_ids))
        return " ".join(parts)

    def remember(self, question: str, result: dict) -> None:
        self.last = result
        self.history.append(Turn(question=question, answer=str(result.get("answer", ""))))


# ----- rendering ---------------------------------------------------------------------------
class Renderer:
    """Turns rich markup into the final text: stripped in plain mode, ANSI in colour mode."""

    def __init__(self, plain: bool, width: int | None = None, color_system: str | None = "standard") -> None:
        self.plain = plain
        self.width = width or 100
        self._buffer = io.StringIO()
        self._console = None
        if not plain:
            from rich.console import Console

            self._console = Console(
                file=self._buffer, force_terminal=True, color_system=color_system or "standard", width=self.width,
                highlight=False, emoji=False, soft_wrap=True, legacy_windows=False,
            )

    def __call__(self, markup: str) -> str:
        if self._console is None:
            from rich.text import Text

            return Text.from_markup(markup).plain
        return self._render(markup)

    def _render(self, renderable: Any, soft_wrap: bool = True) -> str:
        assert self._console is not None
        self._buffer.seek(0)
        self._buffer.truncate()
        self._console.print(renderable, soft_wrap=soft_wrap)
        return self._buffer.getvalue().rstrip("\n")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> str:
        """A table with full-width (CJK) characters counted as two cells."""
        right = set(right)
        if self._console is not None:
            from rich import box
            from rich.table import Table

            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
            for i, h in enumerate(headers):
                table.add_column(h, justify="right" if i in right else "left", overflow="fold")
            for row in rows:
                table.add_row(*(escape(c) for c in row))
            return self._render(table, soft_wrap=False)
        return plain_table(headers, rows, right)


def _width(text: str) -> int:
    from wcwidth import wcswidth

    w = wcswidth(text)
    return w if w >= 0 else cell_len(text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> str:
    """Columns padded by display width (wcwidth), so Chinese text lines up in a terminal."""
    right = set(right)
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(row)).rstrip())
    return "\n".join(lines)


# ----- highlighting ------------------------------------------------------------------------
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_ALNUM_RUN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%]*[0-9A-Za-z%]|[0-9A-Za-z]")
_DIGITS = re.compile(r"\d")
# Question words that should not light up on their own.
_NOT_TERMS = frozenset(
    "多少 什么 哪些 哪个 怎么 怎样 如何 是否 是不 是什 情况 方面 请问 一下 有没 没有 为什 具体 目标 报告 提到 提出 呢 "
    "年的 的是 是多 少亿 了多 有哪 些什 么样".split()
)


def query_terms(*texts: str | None) -> tuple[list[str], str]:
    """Whole numbers/latin words to match exactly, plus the CJK text to match substrings against."""
    words: list[str] = []
    cjk: list[str] = []
    for text in texts:
        if not text:
            continue
        for m in _ALNUM_RUN.finditer(text):
            word = m.group().rstrip(".")
            if word and word.lower() not in {w.lower() for w in words} and (len(word) > 1 or word.isdigit()):
                words.append(word)
        cjk.extend(_CJK_RUN.findall(text))
    return words, "\u0000".join(cjk)


def match_spans(text: str, words: Sequence[str], cjk: str) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of `text` that also occur in the question."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for word in words:
        for m in re.finditer(re.escape(word.lower()), lowered):
            a, b = m.span()
            # A number must match whole: "2020" must not light up inside "20201".
            if word[0].isdigit() and a > 0 and _DIGITS.match(text[a - 1]):
                continue
            if word[-1].isdigit() and b < len(text) and _DIGITS.match(text[b]):
                continue
            spans.append((a, b))
    if cjk:
        i = 0
        while i < len(text) - 1:
            length = 0
            while i + length < len(text) and text[i: i + length + 1] in cjk:
                length += 1
            if length >= 2 and text[i: i + length] not in _NOT_TERMS:
                spans.append((i, i + length))
                i += length
            else:
                i += 1
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            continue
        merged.append((a, b))
    return merged


def highlight(text: str, spans: Sequence[tuple[int, int]], style: str = HIGHLIGHT) -> str:
    """Escaped markup for `text` with the spans styled."""
    out, pos = [], 0
    for a, b in spans:
        out.append(escape(text[pos:a]))
        out.append(f"[{style}]{escape(text[a:b])}[/]")
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def snippet(text: str, words: Sequence[str], cjk: str, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters around the densest run of matched terms, highlighted."""
    flat = " ".join(text.split())
    spans = match_spans(flat, words, cjk)
    start = 0
    if len(flat) > width and spans:
        best = -1
        for a, _ in spans:
            s = max(0, min(a - 8, len(flat) - width))
            covered = sum(min(e, s + width) - max(b, s) for b, e in spans if e > s and b < s + width)
            if covered > best:
                best, start = covered, s
    end = min(len(flat), start + width)
    window = [(max(a, start) - start, min(b, end) - start) for a, b in spans if b > start and a < end]
    body = highlight(flat[start:end], window)
    return ("…" if start > 0 else "") + body + ("…" if end < len(flat) else "")


# ----- the loop ----------------------------------------------------------------------------
_FILTER_KEYS = {
    "地区": "regions", "区域": "regions", "region": "regions", "regions": "regions", "地方": "regions",
    "年份": "years", "年": "years", "year": "years", "years": "years",
    "文档": "doc_ids", "报告": "doc_ids", "doc": "doc_ids", "docs": "doc_ids", "doc_id": "doc_ids", "doc_ids": "doc_ids",
}
_SPLIT_VALUES = re.compile(r"[,，、;；]+")
_YEAR_VALUE = re.compile(r"^(\d{4})年?$")


class UsageError(ValueError):
    pass


def parse_filter_args(text: str) -> dict[str, list]:
    """`地区=萧山 年份=2023,2024 doc=abc` -> {"regions": [...], "years": [...], "doc_ids": [...]}."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        tokens = text.split()
    parsed: dict[str, list] = {}
    for token in tokens:
        token = token.replace("＝", "=").replace("：", "=")
        key, sep, value = token.partition("=")
        if not sep:
            key, sep, value = token.partition(":")
        field_name = _FILTER_KEYS.get(key.strip().lower())
        if not sep or field_name is None:
            raise UsageError(f"看不懂筛选条件 {token!r}；示例：/filter 地区=萧山 年份=2024 （或 region= year= doc=）")
        values = [v.strip() for v in _SPLIT_VALUES.split(value) if v.strip()]
        if not values:
            raise UsageError(f"筛选条件 {key} 没有给出取值")
        if field_name == "years":
            years = []
            for v in values:
                m = _YEAR_VALUE.match(v)
                if not m:
                    raise UsageError(f"年份应为四位数字，例如 年份=2024（收到 {v!r}）")
                years.append(int(m.group(1)))
            values = years
        bucket = parsed.setdefault(field_name, [])
        bucket.extend(v for v in values if v not in bucket)
    if not parsed:
        raise UsageError("示例：/filter 地区=萧山 年份=2024；/filter clear 清除筛选")
    return parsed


class ChatLoop:
    """One chat: reads lines, dispatches commands, writes rendered output."""

    def __init__(self, write: Callable[[str], None], backend: ChatBackend, plain: bool,
                 session: ChatSession | None = None, renderer: Renderer | None = None, echo: bool = False) -> None:
        self.write_raw = write
        self.backend = backend
        self.plain = plain
        self.session = session or ChatSession()
        self.render = renderer or Renderer(plain)
        self.echo = echo

    def out(self, markup: str = "") -> None:
        self.write_raw(self.render(markup))

    def error(self, message: str) -> None:
        self.out(f"[bold red]错误：[/]{escape(' '.join(str(message).split()))}")

    # ----- dispatch ---------------------------------------------------------------------
    def handle(self, line: str) -> bool:
        """Process one input line; False means the user asked to quit."""
        line = line.strip()
        if not line:
            return True
        if self.echo:
            self.out(f"[bold cyan]›[/] {escape(line)}")
        if not line.startswith("/"):
            self.ask(line)
            return True
        name, _, rest = line[1:].partition(" ")
        name, rest = name.lower().strip(), rest.strip()
        if name in ("quit", "exit", "q"):
            return False
        command = {
            "help": self.cmd_help, "?": self.cmd_help, "sources": self.cmd_sources, "open": self.cmd_open,
            "filter": self.cmd_filter, "docs": self.cmd_docs, "clear": self.cmd_clear, "history": self.cmd_history,
        }.get(name)
        if command is None:
            self.out(f"[yellow]未知命令 /{escape(name)}。[/]输入 /help 查看可用命令；/quit 退出。")
            return True
        try:
            command(rest)
        except ClientError as exc:
            self.error(exc.message)
        except Exception as exc:  # noqa: BLE001 - a bad response must not end the chat
            self.error(f"{type(exc).__name__}: {exc}")
        return True

    # ----- asking -----------------------------------------------------------------------
    def ask(self, question: str) -> None:
        s = self.session
        history = s.history[-MAX_HISTORY:]
        try:
            result = self.backend.ask(question, s.top_k, s.filters, list(history))
        except ClientError as exc:
            self.error(exc.message)
            return
        except Exception as exc:  # noqa: BLE001
            self.error(f"{type(exc).__name__}: {exc}")
            return
        s.remember(question, result)
        self.show_answer(result)

    def _terms(self, result: dict) -> tuple[list[str], str]:
        return query_terms(result.get("question"), result.get("rewritten_question"))

    def show_answer(self, result: dict) -> None:
        for warning in result.get("warnings") or ():
            if warning not in self.session.warned:
                self.session.warned.add(warning)
                self.out(f"[yellow]注意：{escape(warning)}[/]")
        rewritten = result.get("rewritten_question")
        if rewritten:
            self.out(f"[dim]（理解为：{escape(rewritten)}）[/]")
        answer = str(result.get("answer") or "").strip()
        answerable = bool(result.get("answerable"))
        if answerable:
            self.out(f"[bold]{_markers(escape(answer))}[/]")
        else:
            self.out(f"[bold]{escape(answer or '报告中没有找到相关内容。')}[/]")
        self.list_sources(result)
        meta = [str(result.get("retrieval") or "")]
        if isinstance(result.get("took_ms"), int | float):
            meta.append(f"{result['took_ms']:.0f} ms")
        if self.session.filters:
            meta.append("筛选：" + self.session.describe_filters())
        self.out(f"[dim]（{escape(' · '.join(m for m in meta if m))}）[/]")

    def list_sources(self, result: dict) -> None:
        passages = result.get("passages") or []
        if not passages:
            return
        self.out("[bold]来源：[/]" if result.get("answerable") else "[bold]可能相关：[/]")
        words, cjk = self._terms(result)
        for i, p in enumerate(passages, 1):
            c = p.get("citation") or {}
            head = " · ".join(x for x in (str(c.get("title") or c.get("doc_id") or ""), str(c.get("section") or "")) if x)
            self.out(f" [cyan][{p.get('rank', i)}][/] {escape(head)} · {snippet(str(p.get('text', '')), words, cjk)}")

    # ----- commands ---------------------------------------------------------------------
    def cmd_help(self, _: str) -> None:
        self.out(escape(help_text()))

    def cmd_sources(self, _: str) -> None:
        if not self.session.last or not self.session.last.get("passages"):
            self.out("还没有来源。先提一个问题吧。")
            return
        self.list_sources(self.session.last)

    def cmd_open(self, rest: str) -> None:
        passages = (self.session.last or {}).get("passages") or []
        if not passages:
            self.out("还没有来源可以打开。先提一个问题，再用 /open N 查看第 N 条来源。")
            return
        try:
            n = int(rest.strip().lstrip("[").rstrip("]"))
        except ValueError:
            self.out(f"用法：/open N （N 为 1–{len(passages)}）")
            return
        by_rank = {int(p.get("rank", i)): p for i, p in enumerate(passages, 1)}
        p = by_rank.get(n)
        if p is None:
            self.out(f"没有第 {n} 条来源；可选 1–{len(passages)}。")
            return
        data = self.backend.passage(str(p["chunk_id"]), 1)
        full = data.get("passage") or p
        c = full.get("citation") or p.get("citation") or {}
        words, cjk = self._terms(self.session.last or {})
        text = str(full.get("text", ""))
        section = escape(str(c.get("section") or "（无标题）"))
        self.out(f"[bold cyan][{n}][/] [bold]{escape(str(c.get('title', '')))}[/] · {section}")
        self.out(f"[dim]{escape(str(c.get('source', '')))} · 字符 {c.get('start')}–{c.get('end')} · "
                 f"doc_id {escape(str(c.get('doc_id', '')))}[/]")
        for chunk in data.get("before") or []:
            self.out(f"[dim]……前文（字符 {chunk.get('start')}–{chunk.get('end')}）[/]")
            self.out(f"[dim]{escape(str(chunk.get('text', '')))}[/]")
        self.out(f"[bold]—— 第 {n} 条来源（字符 {c.get('start')}–{c.get('end')}）——[/]")
        self.out(highlight(text, match_spans(text, words, cjk)))
        for chunk in data.get("after") or []:
            self.out(f"[dim]……后文（字符 {chunk.get('start')}–{chunk.get('end')}）[/]")
            self.out(f"[dim]{escape(str(chunk.get('text', '')))}[/]")

    def cmd_filter(self, rest: str) -> None:
        s = self.session
        if rest.lower() in ("clear", "reset", "none", "off", "清除", "清空"):
            s.clear_filters()
            self.out("已清除筛选条件：在全部报告中检索。")
            return
        if rest:
            try:
                parsed = parse_filter_args(rest)
            except UsageError as exc:
                self.out(f"[yellow]{escape(str(exc))}[/]")
                return
            s.regions = [str(v) for v in parsed.get("regions", s.regions)]
            s.years = [int(v) for v in parsed.get("years", s.years)]
            s.doc_ids = [str(v) for v in parsed.get("doc_ids", s.doc_ids)]
        if s.filters:
            self.out(f"筛选条件：{escape(s.describe_filters())}（/filter clear 清除）")
        else:
            self.out("当前没有筛选条件。示例：/filter 地区=萧山 年份=2024")

    def cmd_docs(self, _: str) -> None:
        docs = self.backend.documents()
        if not docs:
            self.out("还没有索引任何报告。")
            return
        rows = [[str(d.get("doc_id", "")), str(d.get("title", "")), str(d.get("region") or ""),
                 "" if d.get("year") is None else str(d.get("year")), str(d.get("chunks", ""))] for d in docs]
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


def _markers(markup: str) -> str:
    """Colour the `[n]` citation markers of an (escaped) answer."""
    return re.sub(r"(?<!\\)\[(\d+)\]", lambda m: f"[cyan][{m.group(1)}][/cyan]", markup)


def run_loop(read_line: Callable[[], str], write: Callable[[str], None], backend: ChatBackend, plain: bool,
             *, session: ChatSession | None = None, renderer: Renderer | None = None, echo: bool = False) -> int:
    """Read lines until EOF, /quit or Ctrl-C; returns the exit status (0)."""
    loop = ChatLoop(write, backend, plain, session=session, renderer=renderer, echo=echo)
    try:
        while True:
            try:
                line = read_line()
            except EOFError:
                break
            if not loop.handle(line):
                break
    except KeyboardInterrupt:
        pass
    return 0
