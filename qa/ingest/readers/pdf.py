"""PDF: text page by page with PDFium, every character keeping its page; scanned or locked files say so."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from qa.ingest.readers.base import DocumentError, Extracted, clean_chars
from qa.ingest.readers.pdf_layout import Fragment, Page, compose, drop_chrome, title_hint

SCANNED = "no text layer: this looks like a scanned PDF; OCR is not supported"
_PDF_DATE = re.compile(r"^D?:?((?:19|20)\d{2})(\d{2})?(\d{2})?")
_EOF_WINDOW = 8192  # the %%EOF marker sits in the last bytes of a complete file (after any trailing junk)


def read_pdf(data: bytes, name: str) -> Extracted:
    """Read a PDF's text layer; raise DocumentError for damaged, encrypted or image-only files."""
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise DocumentError(f"{name}: not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise DocumentError(f"{name}: the PDF is truncated or damaged (no end-of-file marker); download it again")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentError(_open_error(name, exc)) from exc
    pages: list[Page] = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                pages.append(_page(page))
            finally:
                page.close()
        metadata = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"{name}: the PDF is damaged ({exc}); nothing was indexed from it") from exc
    finally:
        pdf.close()
    if not pages:
        raise DocumentError(f"{name}: the PDF has no pages")
    if not any(f.text.strip() for p in pages for f in p.fragments):
        raise DocumentError(f"{name}: {SCANNED}")
    title = metadata.get("Title", "").strip()
    if not re.search(r"[\u4e00-\u9fff]", title):  # "Microsoft Word - 1.docx" and the like say nothing
        title = title_hint(pages)
    text, starts = compose(drop_chrome(pages))
    if not text.strip():
        raise DocumentError(f"{name}: the PDF shows only page numbers and running headers; no report text found")
    return Extracted(text=text, encoding="pdf", pages=starts, title=title,
                     date=_date(metadata.get("CreationDate", "") or metadata.get("ModDate", "")))


def _open_error(name: str, exc: pdfium.PdfiumError) -> str:
    if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
        return (f"{name}: the PDF is encrypted and needs a password; save an unprotected copy "
                "(e.g. `qpdf --decrypt in.pdf out.pdf`) and index that")
    if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
        return f"{name}: the PDF uses an unsupported encryption (security handler); save an unprotected copy"
    return f"{name}: not a readable PDF ({exc}); the file is damaged or truncated"


def _page(page: pdfium.PdfPage) -> Page:
    """A page's text as fragments: runs of characters on one baseline without a wide gap."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    frags: list[Fragment] = []
    run: list[tuple[str, float, float, float, float]] = []  # (char, x0, x1, top, bottom)

    def flush() -> None:
        if run:
            text = run[0][0]
            for a, b in zip(run, run[1:], strict=False):
                text += (" " if b[1] - a[2] > 0.6 * (a[4] - a[3]) else "") + b[0]
            frags.append(Fragment(min(c[1] for c in run), max(c[2] for c in run), min(c[3] for c in run),
                                  max(c[4] for c in run), clean_chars(text)))
            run.clear()

    try:
        for i in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
            if char.isspace() or not char.isprintable():
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            y0, y1 = height - top, height - bottom
            size = y1 - y0
            if size <= 0:
                continue
            if run:
                _, _, px1, py0, py1 = run[-1]
                psize = py1 - py0
                same_line = abs((y0 + y1) / 2 - (py0 + py1) / 2) < 0.5 * min(size, psize)
                if not same_line or left < px1 - 0.5 * size or left - px1 > 2.5 * max(size, psize):
                    flush()
            run.append((char, left, right, y0, y1))
        flush()
    finally:
        textpage.close()
    return Page(width, height, tuple(f for f in frags if f.text.strip()))


def _date(value: str) -> str:
    """`D:20240115093000+08'00'` -> `2024-01-15` (as much of it as is there)."""
    m = _PDF_DATE.match(value.strip())
    if not m:
        return ""
    return "-".join(part for part in m.groups() if part)
