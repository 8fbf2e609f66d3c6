"""Rendering for the chat: rich markup to plain text or ANSI, tables by display width, highlighted snippets."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal, cast

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from wcwidth import wcswidth

from qa.lang.tokens import QUESTION_WORDS, STOPWORDS

HIGHLIGHT = "bold yellow"
SNIPPET_CHARS = 80


def _only_function_words(span: str) -> bool:
    """`情况`, `年的`: a stopword, or only one-character stopwords, says nothing about the topic."""
    return span in STOPWORDS or all(ch in STOPWORDS for ch in span)


class Renderer:
    """Turns rich markup into the final text: stripped in plain mode, ANSI in colour mode."""

    def __init__(self, plain: bool, width: int | None = None, color_system: str | None = "standard") -> None:
        system = cast(Literal["auto", "standard", "256", "truecolor", "windows"], color_system or "standard")
        self.plain = plain
        self.width = width or 100
        self._buffer = io.StringIO()
        self._console: Console | None = None
        if not plain:
            self._console = Console(
                file=self._buffer, force_terminal=True, color_system=system, width=self.width,
                highlight=False, emoji=False, soft_wrap=True, legacy_windows=False,
            )

    def __call__(self, markup: str) -> str:
        if self._console is None:
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
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
            for i, h in enumerate(headers):
                table.add_column(h, justify="right" if i in right else "left", overflow="fold")
            for row in rows:
                table.add_row(*(escape(c) for c in row))
            return self._render(table, soft_wrap=False)
        return plain_table(headers, rows, right)


def _width(text: str) -> int:
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


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_ALNUM_RUN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%]*[0-9A-Za-z%]|[0-9A-Za-z]")
_DIGITS = re.compile(r"\d")
_ASKING = re.compile("|".join(sorted(QUESTION_WORDS, key=len, reverse=True)))


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
        # Question words are cut out first, so neither they nor their fragments (是多, 有哪) light up.
        cjk.extend(_CJK_RUN.findall(_ASKING.sub(" ", text)))
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
            if length >= 2 and not _only_function_words(text[i: i + length]):
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
