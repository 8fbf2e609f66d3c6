"""Web pages: the main text only (trafilatura drops navigation, footers, scripts), headings as `#` lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import trafilatura

from qa.ingest.readers.base import DocumentError, Extracted, clean_chars, paragraphs_text

_HEADING = re.compile(r"^h([1-6])$")
_TITLE_SUFFIX = re.compile(r"\s*[_|｜\-–—]+\s*[^_|｜\-–—]*(?:政府|网|门户|首页|官网)[^_|｜\-–—]*$")
_SPACE = re.compile(r"\s+")
_BLOCKS = {"p", "head", "quote", "item", "row", "code"}


def read_html(data: bytes, name: str) -> Extracted:
    """Main text of a saved web page; raise DocumentError when the page has none."""
    if data.startswith((b"%PDF", b"PK\x03\x04")):
        raise DocumentError(f"{name}: this is a PDF or Word file with an .html name; rename it to its real type")
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    result = _extract(data, name, favor_recall=False)
    blocks = list(_blocks(result.body)) if result is not None and result.body is not None else []
    if not blocks:  # a page of many short paragraphs can fall below the default extraction's thresholds
        result = _extract(data, name, favor_recall=True)
        blocks = list(_blocks(result.body)) if result is not None and result.body is not None else []
    if result is None or not blocks:
        raise DocumentError(f"{name}: no main text found in the web page (empty, or only navigation and scripts)")
    # One <h1> is the page's title: a line of text, so the report's own sections (h2, h3…) are the top level.
    h1 = [text for level, text in blocks if level == 1]
    shift = 1 if len(h1) == 1 else 0
    paragraphs = [f"{'#' * (level - shift)} {text}" if level - shift > 0 else text for level, text in blocks]
    title = h1[0] if len(h1) == 1 else _TITLE_SUFFIX.sub("", _SPACE.sub(" ", result.title or "")).strip()
    return Extracted(text=paragraphs_text(paragraphs), encoding="html", title=title, date=str(result.date or ""))


def _extract(data: bytes, name: str, favor_recall: bool) -> Any:
    try:
        return trafilatura.bare_extraction(
            data, favor_recall=favor_recall, include_comments=False, include_tables=True, include_images=False,
            include_links=False, with_metadata=True,
        )
    # Malformed markup can fail anywhere in trafilatura or lxml; every such failure means the same to the user.
    except Exception as exc:  # noqa: BLE001
        raise DocumentError(f"{name}: cannot parse the web page ({type(exc).__name__}: {exc})") from exc


def _blocks(body: Any) -> Iterator[tuple[int, str]]:
    """(heading level or 0, text) for the block elements of trafilatura's tree; table rows as tab-separated cells."""
    for element in body.iter():
        tag = element.tag
        if tag not in _BLOCKS or any(a.tag in _BLOCKS for a in element.iterancestors()):
            continue
        if tag == "row":
            cells = [_text(cell) for cell in element if cell.tag == "cell"]
            if any(cells):
                yield 0, "\t".join(cells)
            continue
        text = _text(element)
        if not text:
            continue
        level = _HEADING.match(element.get("rend", "") or "") if tag == "head" else None
        yield (int(level.group(1)) if level else 0), text


def _text(element: Any) -> str:
    return _SPACE.sub(" ", clean_chars("".join(element.itertext()))).strip()
