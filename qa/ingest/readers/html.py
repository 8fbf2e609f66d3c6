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
    try:
        result = trafilatura.bare_extraction(
            data, favor_recall=True, include_comments=False, include_tables=True, include_images=False,
            include_links=False, with_metadata=True,
        )
    # Malformed markup can fail anywhere in trafilatura or lxml; every such failure means the same to the user.
    except Exception as exc:  # noqa: BLE001
        raise DocumentError(f"{name}: cannot parse the web page ({type(exc).__name__}: {exc})") from exc
    body = getattr(result, "body", None)
    paragraphs = list(_paragraphs(body)) if body is not None else []
    if not paragraphs:
        raise DocumentError(f"{name}: no main text found in the web page (empty, or only navigation and scripts)")
    h1 = next((p.lstrip("# ") for p in paragraphs if p.startswith("# ")), "")
    title = h1 or _TITLE_SUFFIX.sub("", _SPACE.sub(" ", getattr(result, "title", None) or "")).strip()
    return Extracted(text=paragraphs_text(paragraphs), encoding="html", title=title,
                     date=str(getattr(result, "date", None) or ""))


def _paragraphs(body: Any) -> Iterator[str]:
    """Block elements of trafilatura's tree in order: headings with `#`, table rows with tab-separated cells."""
    for element in body.iter():
        tag = element.tag
        if tag not in _BLOCKS or any(a.tag in _BLOCKS for a in element.iterancestors()):
            continue
        if tag == "row":
            cells = [_text(cell) for cell in element if cell.tag == "cell"]
            if any(cells):
                yield "\t".join(cells)
            continue
        text = _text(element)
        if not text:
            continue
        level = _HEADING.match(element.get("rend", "") or "") if tag == "head" else None
        yield f"{'#' * int(level.group(1))} {text}" if level else text


def _text(element: Any) -> str:
    return _SPACE.sub(" ", clean_chars("".join(element.itertext()))).strip()
