"""Make report files for tests: Chinese PDFs (reportlab, built-in STSong-Light CID font), DOCX, HTML.

Nothing here is committed as a binary: every test builds its files in a temporary folder.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

import docx
import pypdfium2 as pdfium
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph

from qa.ingest.chunking import squash

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
WIDTH, HEIGHT = A4
MARGIN = 72
HEADER = "杭州市人民政府 政府工作报告"

BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
H1 = ParagraphStyle("h1", fontName=FONT, fontSize=16, leading=28, spaceBefore=6, spaceAfter=6, wordWrap="CJK")
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=14, leading=24, wordWrap="CJK")
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=22, leading=36, alignment=1, spaceAfter=12, wordWrap="CJK")
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")

Block = tuple[str, str]  # (kind, text): kind is "title", "h1", "h2", "p", or "columns" (start a two-column page)


def blocks_from_report(text: str) -> list[Block]:
    """A .txt report (one paragraph per line) as blocks: 一、 lines are h1, （一） lines h2 when short."""
    out: list[Block] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line) <= 40 and _LEVEL1.match(line):
            out.append(("h1", line))
        elif len(line) <= 40 and _LEVEL2.match(line) and "。" not in line:
            out.append(("h2", line))
        else:
            out.append(("p", line))
    return out


def _chrome(c: canvas.Canvas, doc: BaseDocTemplate) -> None:
    c.saveState()
    c.setFont(FONT, 9)
    c.drawString(MARGIN, HEIGHT - 40, HEADER)
    c.drawRightString(WIDTH - MARGIN, HEIGHT - 40, "2024年1月")
    c.drawCentredString(WIDTH / 2, 30, f"第 {doc.page} 页")
    c.drawRightString(WIDTH - MARGIN, 30, str(doc.page))
    c.restoreState()


def _no_chrome(c: canvas.Canvas, doc: BaseDocTemplate) -> None:
    return None


def make_pdf(blocks: Sequence[Block], chrome: bool = True, encrypt: str | None = None, title: str = "") -> bytes:
    """A paged PDF: running header, page-number footers, paragraphs that flow (and split) across pages."""
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"title": title} if title else {}
    if encrypt is not None:
        kwargs["encrypt"] = pdfencrypt.StandardEncryption(encrypt, "owner-secret")
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, **kwargs)
    inner = WIDTH - 2 * MARGIN
    one = Frame(MARGIN, MARGIN, inner, HEIGHT - 2 * MARGIN, id="one")
    half = (inner - 24) / 2
    left = Frame(MARGIN, MARGIN, half, HEIGHT - 2 * MARGIN, id="left")
    right = Frame(MARGIN + half + 24, MARGIN, half, HEIGHT - 2 * MARGIN, id="right")
    on_page = _chrome if chrome else _no_chrome
    doc.addPageTemplates([PageTemplate("one", [one], onPage=on_page), PageTemplate("two", [left, right], onPage=on_page)])
    story: list[object] = []
    styles = {"title": TITLE, "h1": H1, "h2": H2, "p": BODY}
    for kind, text in blocks:
        if kind == "columns":
            story += [NextPageTemplate("two"), PageBreak()]
        elif kind == "single":
            story += [NextPageTemplate("one"), PageBreak()]
        else:
            story.append(Paragraph(escape(text), styles[kind]))
    doc.build(story)
    return buf.getvalue()


def image_only_pdf() -> bytes:
    """What a scan looks like to a text extractor: pages with pictures (here: drawn shapes), no text."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(2):
        for row in range(20):
            c.rect(MARGIN, HEIGHT - MARGIN - row * 30, 400, 12, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def make_docx(blocks: Sequence[Block], table: Sequence[Sequence[str]] = (), heading_style: str = "Heading") -> bytes:
    """A Word file: headings by style (`Heading 1`/`Heading 2`, Word's built-ins), body paragraphs, a table."""
    document = docx.Document()
    for kind, text in blocks:
        if kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind in ("h1", "h2"):
            document.add_paragraph(text, style=f"{heading_style} {kind[1]}")
        elif kind == "p":
            document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_page_texts(data: bytes) -> list[str]:
    """Each page's text as PDFium reads it (content order, no layout work), squashed: the page oracle."""
    pdf = pdfium.PdfDocument(data)
    try:
        return [squash(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()


def page_of(oracle: list[str], text: str, from_end: bool = False) -> int:
    """The one page whose PDFium text holds the start (or the end) of `text`: the shortest unambiguous slice."""
    flat = squash(text)
    for size in range(8, len(flat) + 1):
        piece = flat[-size:] if from_end else flat[:size]
        pages = [n for n, page in enumerate(oracle, 1) if piece in page]
        if len(pages) == 1:
            return pages[0]
    raise AssertionError(f"no single page holds {text[:30]!r}…")
