"""Word .docx: paragraphs in order, heading styles (or outline levels, or numbering) as `#` lines, tables as rows."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from qa.ingest.readers.base import DocumentError, Extracted, clean_chars, paragraphs_text

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-6])$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|标题)$", re.IGNORECASE)
_SENTENCE_PUNCT = re.compile(r"[。！？；!?;]")


def read_docx(data: bytes, name: str) -> Extracted:
    """Read a .docx file's body; raise DocumentError for legacy .doc, non-Word ZIPs and damaged files."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"{name}: this is a legacy Word .doc file; open it in Word and save it as .docx")
    if not data.startswith(b"PK\x03\x04"):
        raise DocumentError(f"{name}: not a Word .docx file (a .docx is a ZIP package; this file is not one)")
    try:
        document = docx.Document(io.BytesIO(data))
    # A damaged package can fail anywhere in python-docx or lxml; every such failure means the same to the user.
    except Exception as exc:  # noqa: BLE001
        raise DocumentError(f"{name}: not a readable Word .docx file ({type(exc).__name__}: {exc})") from exc
    items = list(_items(document, _Styles(document)))
    styled = any(item.level for item in items)
    paragraphs: list[str] = []
    for item in items:
        level = item.level
        # Without heading styles, Word's own numbering marks headings: a short numbered line, not a sentence.
        if not styled and item.numbered is not None and len(item.text) <= 40 and not _SENTENCE_PUNCT.search(item.text):
            level = min(item.numbered + 1, 6)
        paragraphs.append(f"{'#' * level} {item.text}" if level else item.text)
    text = paragraphs_text(paragraphs)
    if not text.strip():
        raise DocumentError(f"{name}: the Word file has no text in its body")
    title = (document.core_properties.title or "").strip()
    if not re.search(r"[\u4e00-\u9fff]", title):
        title = next((item.text for item in items if item.title), "")
    created = document.core_properties.created
    return Extracted(text=text, encoding="docx", title=title, date=created.date().isoformat() if created else "")


@dataclass(frozen=True)
class _Item:
    text: str
    level: int  # heading level from the style or outline level; 0 for body text and table rows
    numbered: int | None = None  # Word list-numbering level (0-based) when the paragraph is numbered
    title: bool = False  # in Word's "Title" style


class _Styles:
    """Paragraph styles by id, looked up once: python-docx's `paragraph.style` rescans the styles part each call."""

    def __init__(self, document: WordDocument) -> None:
        self.by_id = {s.style_id: s for s in document.styles if isinstance(s, ParagraphStyle)}
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default = default if isinstance(default, ParagraphStyle) else None

    def of(self, paragraph: Paragraph) -> ParagraphStyle | None:
        ppr = paragraph._p.pPr
        node = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = node.get(qn("w:val")) if node is not None else None
        return self.by_id.get(style_id, self.default) if style_id else self.default


def _items(document: WordDocument, styles: _Styles) -> Iterator[_Item]:
    """Each paragraph and table row, in document order."""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in _table_rows(block):
                yield _Item(row, 0)
            continue
        text = _clean(block.text)
        if text:
            style = styles.of(block)
            is_title = style is not None and bool(_TITLE_STYLE.match(style.name or ""))
            yield _Item(text, _heading_level(block, style), _numbering_level(block, style), is_title)


def _clean(text: str) -> str:
    # Tabs inside a paragraph are spacing; in the extracted text a tab marks table cells.
    return clean_chars(text).replace("\t", " ").replace("\n", " ").strip()


def _table_rows(table: Table) -> Iterator[str]:
    """One line per row, cells separated by tabs; a merged cell counts once."""
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(_clean(" ".join(p.text for p in cell.paragraphs)))
        if any(cells):
            yield "\t".join(cells)


def _heading_level(paragraph: Paragraph, style: ParagraphStyle | None) -> int:
    """From the style name (Heading 1 / 标题 1) or an outline level set on the paragraph or its styles."""
    outline = _outline_level(paragraph._p.pPr)
    while style is not None and outline is None:
        if m := _HEADING_STYLE.match(style.name or ""):
            return int(m.group(1))
        outline = _outline_level(style.element.pPr)
        base = style.base_style
        style = base if isinstance(base, ParagraphStyle) else None
    return outline + 1 if outline is not None and outline < 6 else 0


def _outline_level(ppr: object) -> int | None:
    if ppr is None:
        return None
    node = ppr.find(qn("w:outlineLvl"))  # type: ignore[attr-defined]
    value = node.get(qn("w:val")) if node is not None else None
    return int(value) if value is not None and value.isdigit() and int(value) < 9 else None


def _numbering_level(paragraph: Paragraph, style: ParagraphStyle | None) -> int | None:
    """The list level of a paragraph numbered directly or through its style; None when not numbered."""
    for ppr in (paragraph._p.pPr, style.element.pPr if style is not None else None):
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None:
            ilvl = numpr.find(qn("w:ilvl"))
            value = ilvl.get(qn("w:val")) if ilvl is not None else None
            return int(value) if value is not None and value.isdigit() else 0
    return None
