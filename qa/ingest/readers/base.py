"""What every reader returns: the document text that citations point into, plus hints for metadata."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.ingest.decode import DocumentError

__all__ = ["DocumentError", "Extracted", "clean_chars", "paragraphs_text"]

# Kangxi radicals (⼀ ⼈ ⼤…) and compatibility ideographs stand in for ordinary characters in many Chinese PDFs
# and Word files; NFKC maps them back. Applied per character, because NFKC would also turn full-width
# punctuation (，；：) into ASCII, which the sentence splitter and the gold answers rely on.
_COMPAT = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\u00ad\u200b-\u200d\u2060]")


@dataclass(frozen=True)
class Extracted:
    """One file's text as a reader sees it.

    Headings the format marks explicitly (Word heading styles, <h1>-<h6>) are written as markdown `#` lines,
    so layout clean-up and chunking treat every format alike.
    """

    text: str
    encoding: str  # the text encoding, or the format: "pdf", "docx", "html"
    pages: tuple[int, ...] = ()  # start offset of each page in `text` (PDF)
    title: str = ""  # title hint: PDF metadata or the first page's largest line, <title>/<h1>
    date: str = ""  # publication date hint, ISO "YYYY-MM-DD" where the file states one


def clean_chars(text: str) -> str:
    """Drop invisible control characters and map radical/compatibility look-alikes to ordinary characters."""
    text = _CONTROLS.sub("", text)
    return _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def paragraphs_text(paragraphs: list[str]) -> str:
    """Paragraphs separated by blank lines: the form layout clean-up reads best."""
    return "\n\n".join(p for p in paragraphs if p.strip()) + "\n"
