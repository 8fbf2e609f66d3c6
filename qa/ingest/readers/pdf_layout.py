"""Page geometry -> reading-order text: drop running headers/footers, order columns, rejoin wrapped lines.

Input is what a PDF page shows: text fragments with boxes (top-down coordinates, points). Output is
paragraphs separated by blank lines, plus the offset where each page starts, so every character of
the text keeps its page.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from qa.ingest.layout import starts_item

EDGE_BAND = 0.12  # share of the page height at the top and bottom where running headers/footers live
MASKED_MAX = 24  # longest running header/footer that may differ from page to page by its numbers
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·•\s]*\d{1,4}[-—–－~·•\s]*|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-—–]?\s*[ivxlcIVXLC]{1,6}\s*[-—–]?)$"
)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_TERMINAL = tuple("。！？；：!?;:")
_CLOSERS = "”’」』）)】》\"'"


@dataclass(frozen=True)
class Fragment:
    """A run of text on one baseline, with its box; `size` is the font height."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def size(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    fragments: tuple[Fragment, ...]


@dataclass
class _Line:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    page: int
    left: float = 0.0  # the left and right edges of the column (or page) the line sits in
    right: float = 0.0
    region: int = 0
    gap: float = 0.0  # usual vertical gap between lines of that region
    parts: list[Fragment] = field(default_factory=list)

    @property
    def size(self) -> float:
        return self.bottom - self.top


def page_chrome_key(text: str) -> str:
    """Running headers and footers differ only by their numbers: compare them with digits masked."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _edge_fragments(page: Page) -> list[Fragment]:
    """Fragments on the two outermost lines at the top and at the bottom of a page, inside the edge bands."""
    lines: list[list[Fragment]] = []
    for frag in sorted(page.fragments, key=lambda f: f.middle):
        if lines and abs(lines[-1][0].middle - frag.middle) < 0.5 * min(frag.size, lines[-1][0].size):
            lines[-1].append(frag)
        else:
            lines.append([frag])
    top = [f for line in lines[:2] for f in line if f.middle < page.height * EDGE_BAND]
    bottom = [f for line in lines[-2:] for f in line if f.middle > page.height * (1 - EDGE_BAND)]
    return top + [f for f in bottom if f not in top]


def drop_chrome(pages: list[Page]) -> list[Page]:
    """Remove page numbers and running headers/footers: text repeating at the page edges on many pages.

    A line repeats verbatim, or with only its numbers changed when it is short ("2023年政府工作报告 · 7");
    a long body line that happens to open a page is never a running header.
    """
    edges = [_edge_fragments(page) for page in pages]
    exact: Counter[str] = Counter()
    masked: Counter[str] = Counter()
    for frags in edges:
        exact.update({re.sub(r"\s+", "", f.text) for f in frags})
        masked.update({page_chrome_key(f.text) for f in frags})
    need = max(2, math.ceil(0.4 * len(pages)))

    def chrome(frag: Fragment) -> bool:
        if is_page_number(frag.text):
            return True
        if len(pages) < 2:
            return False
        key = page_chrome_key(frag.text)
        return exact[re.sub(r"\s+", "", frag.text)] >= need or (len(key) <= MASKED_MAX and masked[key] >= need)

    kept = []
    for page, frags in zip(pages, edges, strict=True):
        drop = {id(f) for f in frags if chrome(f)}
        kept.append(Page(page.width, page.height, tuple(f for f in page.fragments if id(f) not in drop)))
    return kept


def title_hint(pages: list[Page]) -> str:
    """The first page's largest-type lines, when they stand out from the body text."""
    if not pages or not pages[0].fragments:
        return ""
    sizes = [f.size for p in pages[:5] for f in p.fragments for _ in f.text]
    body = statistics.median(sizes)
    first = [f for f in pages[0].fragments if not is_page_number(f.text) and f.top < pages[0].height / 2]
    big = max((f.size for f in first), default=0.0)
    if big < 1.5 * body:
        return ""
    return "".join(f.text.strip() for f in sorted(first, key=lambda f: (f.top, f.x0)) if f.size >= 0.9 * big)[:80]


def _lines(frags: list[Fragment], page: int) -> list[_Line]:
    """Merge fragments that share a baseline into lines, top to bottom."""
    lines: list[_Line] = []
    for frag in sorted(frags, key=lambda f: (f.top, f.x0)):
        host = next((ln for ln in reversed(lines[-3:])
                     if abs((ln.top + ln.bottom) / 2 - frag.middle) < 0.4 * min(ln.size, frag.size)), None)
        if host is None:
            lines.append(_Line(frag.x0, frag.x1, frag.top, frag.bottom, "", page, parts=[frag]))
        else:
            host.parts.append(frag)
            host.x0, host.x1 = min(host.x0, frag.x0), max(host.x1, frag.x1)
            host.top, host.bottom = min(host.top, frag.top), max(host.bottom, frag.bottom)
    for line in lines:
        parts = sorted(line.parts, key=lambda f: f.x0)
        text = parts[0].text
        for a, b in zip(parts, parts[1:], strict=False):
            text += (" " if b.x0 - a.x1 > 0.6 * min(a.size, b.size) else "") + b.text
        line.text = text.strip()
    return [ln for ln in lines if ln.text]


def _gutter(frags: list[Fragment], width: float) -> float | None:
    """The x of a vertical gap that splits the page into two text columns, if there is one."""
    textual = [f for f in frags if len(f.text.strip()) >= 2]
    if len(textual) < 6:
        return None
    best: tuple[int, float, float] | None = None
    for step in range(int(width * 0.3), int(width * 0.7), 2):
        x = float(step)
        crossing = sum(1 for f in textual if f.x0 < x < f.x1)
        key = (crossing, abs(x - width / 2), x)
        if best is None or key < best:
            best = key
    assert best is not None
    crossing, _, x = best
    left = [f for f in textual if f.x1 <= x]
    right = [f for f in textual if f.x0 >= x]
    if len(left) < 3 or len(right) < 3 or crossing > 0.2 * (len(left) + len(right)):
        return None
    # Text columns are mostly full lines; a two-column table or a scatter of labels is not.
    for side in (left, right):
        widest = max(f.x1 - f.x0 for f in side)
        if sum(1 for f in side if f.x1 - f.x0 >= 0.7 * widest) < max(3, 0.5 * len(side)):
            return None
    return x


def _region_stats(lines: list[_Line]) -> None:
    """Each line learns its column's edges and the column's usual line gap."""
    by_region: dict[int, list[_Line]] = {}
    for line in lines:
        by_region.setdefault(line.region, []).append(line)
    for members in by_region.values():
        left, right = min(ln.x0 for ln in members), max(ln.x1 for ln in members)
        ordered = sorted(members, key=lambda ln: ln.top)
        gaps = [b.top - a.bottom for a, b in zip(ordered, ordered[1:], strict=False) if b.top > a.bottom]
        gap = statistics.median(gaps) if gaps else 0.0
        for line in members:
            line.left, line.right, line.gap = left, right, gap


def order_page(page: Page, number: int) -> list[_Line]:
    """A page's lines in reading order: full-width lines split it into bands; a band reads left column first."""
    frags = list(page.fragments)
    x = _gutter(frags, page.width)
    if x is None:
        lines = _lines(frags, number)
        _region_stats(lines)
        return lines
    spanning = [f for f in frags if f.x0 < x < f.x1]
    left = [f for f in frags if f.x1 <= x]
    right = [f for f in frags if f.x0 >= x]
    tagged: list[_Line] = []
    for region, group in enumerate((spanning, left, right)):
        for line in _lines(group, number):
            line.region = region
            tagged.append(line)
    _region_stats(tagged)
    out: list[_Line] = []
    band: list[_Line] = []
    for line in sorted(tagged, key=lambda ln: (ln.top, ln.x0)):
        if line.region == 0:
            out.extend(sorted(band, key=lambda ln: (ln.region, ln.top)))
            band = []
            out.append(line)
        else:
            band.append(line)
    out.extend(sorted(band, key=lambda ln: (ln.region, ln.top)))
    return out


def _continues(a: _Line, b: _Line) -> bool:
    """Whether line b continues the paragraph of line a (a soft wrap, possibly across a column or page)."""
    size = max(1.0, min(a.size, b.size))
    if starts_item(b.text) or abs(a.size - b.size) > 0.25 * size:
        return False
    if b.x0 - b.left > 0.9 * size:  # indented first line, or a centred heading
        return False
    # A short line ends its paragraph; but ragged-right wrapping leaves a few characters' room before a long
    # number or a quotation mark that may not start a line, so only a sentence end makes a slightly short line final.
    room = a.right - a.x1
    if room > 4 * size or (room > 1.2 * size and a.text.rstrip(_CLOSERS).endswith(_TERMINAL)):
        return False
    if a.page == b.page and a.region == b.region and b.top > a.top:
        return b.top - a.bottom <= max(1.6 * a.gap, a.gap + 0.4 * size)
    return True  # a full line at the foot of a column or page runs on into the next


def compose(pages: list[Page]) -> tuple[str, tuple[int, ...]]:
    """Paragraphs separated by blank lines, and the start offset of each page in that text."""
    parts: list[str] = []
    length = 0
    starts: list[int] = []
    prev: _Line | None = None
    for number, page in enumerate(pages, 1):
        lines = order_page(page, number)
        page_start: int | None = None
        for line in lines:
            if prev is None:
                sep = ""
            elif _continues(prev, line):
                sep = " " if _ASCII_WORD.match(prev.text[-1]) and _ASCII_WORD.match(line.text[0]) else ""
            else:
                sep = "\n\n"
            parts.append(sep)
            length += len(sep)
            if page_start is None:
                page_start = length
            parts.append(line.text)
            length += len(line.text)
            prev = line
        starts.append(length if page_start is None else page_start)
    text = "".join(parts)
    return (text + "\n" if text else text), tuple(starts)
