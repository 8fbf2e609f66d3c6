"""Undo PDF line layout: drop boilerplate lines, rejoin broken sentences, find headings.

Every block keeps, per display character, the raw offset it came from, so any slice
of a block's display text maps back to an exact `source[start:end]` span.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

TERMINAL = "。！？；!?;："
PLAIN_HEADING = 9  # the level of a short unnumbered heading line, below every numbered level
WRAP_MIN_WIDTH = 14
_CLOSERS = "”’」』）)】》\"'"
_CONTINUES = "，、（(“《【"
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]")
_SPACE = re.compile(r"[ \t\u3000\xa0\f\v]+")
_EDITED = re.compile(r"[ \t\u3000\xa0\f\v*]")  # a line without these displays as it is
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_LEVEL3 = re.compile(r"^(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)]|\d{1,2}\s+(?=[\u4e00-\u9fff]))")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^(?:[★■●◆▲•·▶►√]|[-–—*+]\s)")
_LETTER_ITEM = re.compile(r"^[A-H]\s+(?=[\u4e00-\u9fff])")
_YEAR_LEAD = re.compile(r"^(?:19|20)\d{2}年(?!\d)")  # "2021年全区经济社会发展主要预期目标" is a heading, "2.5%" is not
_CHROME = re.compile(r"(https?://|www\.|浏览次数|^时间[：:].{0,40}来源[：:]|^第\s*\d+\s*页|^-?\s*\d{1,3}\s*-?$|^共\s*\d+\s*页)")


def rules() -> list[str]:
    """The patterns and constants that decide blocks and headings (part of the chunker fingerprint)."""
    patterns = [_CJK, _SPACE, _LEVEL1, _LEVEL2, _LEVEL3, _MD_HEADING, _BULLET, _LETTER_ITEM, _YEAR_LEAD, _CHROME]
    return [TERMINAL, _CLOSERS, _CONTINUES, "table rows: tab-separated cells",
            "list items: short lines opening with the same two characters", "width: ASCII counts half",
            f"wrap: same column width, >= {WRAP_MIN_WIDTH}",
            *(p.pattern for p in patterns)]


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    boiler: bool

    @property
    def row(self) -> bool:
        """A table row: readers write cells separated by tabs, one row per line."""
        return "\t" in self.text


@dataclass(frozen=True)
class Block:
    """A paragraph or heading: display text plus the raw offset of each display char."""

    text: str
    offsets: tuple[int, ...]
    heading_level: int  # 0 = body paragraph
    after_barrier: bool  # boilerplate or a gap the chunker must not span

    @property
    def start(self) -> int:
        return self.offsets[0]

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1


def split_lines(source: str) -> list[Line]:
    """Non-empty lines with raw offsets of their stripped content; boilerplate flagged."""
    raw: list[tuple[int, int, str]] = []
    pos = 0
    for piece in source.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            raw.append((pos + lead, pos + lead + len(stripped), stripped))
        pos += len(piece)
    counts = Counter(text for _, _, text in raw)
    return [Line(s, e, t, _is_boilerplate(t, counts[t])) for s, e, t in raw]


def _is_boilerplate(text: str, count: int) -> bool:
    if _CHROME.search(text) and (count >= 2 or len(text) < 80):
        return True
    # Running headers/footers repeat verbatim; report sentences almost never do.
    return count >= 3 and len(text) >= 12 and not text.endswith(tuple(TERMINAL))


def display(text: str) -> tuple[str, list[int]]:
    """Display form of one raw line: drop `*`, collapse spaces, remove spaces between CJK."""
    out: list[str] = []
    offs: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "*":
            i += 1
            continue
        if _SPACE.match(ch):
            j = i
            while j < len(text) and (_SPACE.match(text[j]) or text[j] == "*"):
                j += 1
            nxt = text[j] if j < len(text) else ""
            if out and nxt and not (_CJK.match(out[-1]) and _CJK.match(nxt)) and out[-1] != " ":
                out.append(" ")
                offs.append(i)
            i = j
            continue
        out.append(ch)
        offs.append(i)
        i += 1
    return "".join(out), offs


def heading_level(text: str) -> int:
    """1-3 for numbered headings, markdown depth for `#`, 9 for a plain short heading, 0 for body."""
    if m := _MD_HEADING.match(text):
        return len(m.group(1))
    if _BULLET.match(text) or len(text) > 40 or any(p in text for p in "。！？；!?;"):
        return 0
    if text.endswith(tuple(_CONTINUES + "：:")) or not re.search(r"[\u4e00-\u9fff]", text):
        return 0
    if _LEVEL1.match(text):
        return 1
    if _LEVEL2.match(text):
        return 2
    if _LEVEL3.match(text):
        return 3
    return PLAIN_HEADING if len(text) <= 24 and (_YEAR_LEAD.match(text) or not re.match(r"^[\d.%]", text)) else 0


def starts_item(text: str) -> bool:
    """A line that opens a new item even without a blank line before it."""
    return bool(
        _LEVEL1.match(text) or _LEVEL2.match(text) or _LEVEL3.match(text)
        or _BULLET.match(text) or _MD_HEADING.match(text) or _LETTER_ITEM.match(text)
    )


def _ends_terminal(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(tuple(TERMINAL))


def width(text: str) -> float:
    """Printed width in CJK characters: digits and Latin letters are about half as wide."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _parallel(a: str, b: str) -> bool:
    """Two short lines opening alike ("坚持一图到底…" / "坚持双片合璧…") are items of a list, not one wrapped line."""
    return len(a) <= 24 and len(b) <= 24 and a[:2] == b[:2] and bool(_CJK.match(a[0])) and bool(_CJK.match(a[1:2] or "a"))


def _local_width(lines: list[Line], i: int) -> float:
    window = lines[max(0, i - 2): i + 3]
    return max(width(line.text) for line in window)


def _joins(lines: list[Line], i: int, source: str) -> bool:
    """Whether line i continues line i-1 (a soft wrap) rather than starting a new block."""
    prev, cur = lines[i - 1], lines[i]
    if starts_item(cur.text) or prev.row or cur.row:
        return False
    if heading_level(prev.text) in (1, 2, 3) and starts_item(prev.text):
        return False
    gap = source[prev.end: cur.start]
    blank = gap.count("\n") >= 2
    if _parallel(prev.text, cur.text):
        return False
    full = width(prev.text) >= 0.85 * _local_width(lines, i)
    if not blank:
        return not (_ends_terminal(prev.text) and not full)
    if _ends_terminal(prev.text):
        return False
    # Across a blank line, a wrap shows as: a line as wide as the column, one ending mid-phrase ("，"),
    # or a line as wide as the next (a first line is two characters narrower for its indent) in a column
    # of at least WRAP_MIN_WIDTH characters. A short label over its figure ("财政总收入" / "567亿元") stays apart.
    wcur = width(cur.text)
    same_column = wcur >= WRAP_MIN_WIDTH and abs(width(prev.text) + 2 - min(wcur, _local_width(lines, i))) <= 2
    return full or prev.text.endswith(tuple(_CONTINUES)) or same_column


def blocks(source: str) -> list[Block]:
    """Group a report's lines into paragraphs and headings with raw offsets."""
    lines = split_lines(source)
    out: list[Block] = []
    group: list[Line] = []
    barrier = False

    def flush() -> None:
        nonlocal group, barrier
        if group:
            out.append(_make_block(group, barrier))
            barrier = False
        group = []

    for i, line in enumerate(lines):
        if line.boiler:
            flush()
            barrier = True
            continue
        if group and not (i > 0 and not lines[i - 1].boiler and _joins(lines, i, source)):
            flush()
        group.append(line)
    flush()
    return out


def _make_block(group: list[Line], barrier: bool) -> Block:
    text_parts: list[str] = []
    offsets: list[int] = []
    for line in group:
        shown, offs = display(line.text)
        if not shown:
            continue
        if text_parts:
            prev_ch = text_parts[-1][-1]
            if not (_CJK.match(prev_ch) and _CJK.match(shown[0])) and prev_ch != " ":
                text_parts.append(" ")
                offsets.append(line.start - 1)
        text_parts.append(shown)
        offsets.extend(line.start + o for o in offs)
    text = "".join(text_parts)
    level = 0 if any(line.row for line in group) else heading_level(text)
    return Block(text=text, offsets=tuple(offsets), heading_level=level, after_barrier=barrier)


def render(source: str, spans: tuple[tuple[int, int], ...]) -> str:
    """Rebuild a chunk's display text from its raw piece spans, as `_make_block` and the chunker join them.

    The index stores each report's text once and these spans, not the chunk text; where this rebuild
    would differ (rare: a piece that starts inside a collapsed space run), the index keeps the text.
    """
    pieces = []
    for start, end in spans:
        parts: list[str] = []
        for line in source[start:end].splitlines():
            line = line.strip()
            # Most report lines have no space or emphasis; only those need the character walk.
            shown = display(line)[0] if _EDITED.search(line) else line
            if not shown:
                continue
            if parts and not (_CJK.match(parts[-1][-1]) and _CJK.match(shown[0])) and parts[-1][-1] != " ":
                parts.append(" ")
            parts.append(shown)
        pieces.append("".join(parts))
    return "\n".join(pieces).strip()
