"""One reader per file format, each turning a file's bytes into the same `Extracted` record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qa.ingest.readers.base import DocumentError, Extracted
from qa.ingest.readers.docx import read_docx
from qa.ingest.readers.html import read_html
from qa.ingest.readers.pdf import read_pdf
from qa.ingest.readers.text import read_text

# Bump when a reader changes the text it produces: the text is what citation offsets point into,
# so an index built by an older reader must be rebuilt, not reused (this is part of the chunker fingerprint).
READERS_VERSION = "1"


@dataclass(frozen=True)
class Format:
    name: str
    read: Callable[[bytes, str], Extracted]
    media_type: str  # of the original file, for GET /documents/{id}/file


FORMATS: dict[str, Format] = {
    ".txt": Format("text", read_text, "text/plain"),
    ".md": Format("markdown", read_text, "text/markdown"),
    ".pdf": Format("PDF", read_pdf, "application/pdf"),
    ".docx": Format("Word", read_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".html": Format("web page", read_html, "text/html"),
    ".htm": Format("web page", read_html, "text/html"),
}
SUPPORTED_SUFFIXES = tuple(FORMATS)
_HINTS = {".doc": "save it as .docx", ".wps": "save it as .docx", ".rtf": "save it as .docx or .txt",
          ".mhtml": "save the page as .html", ".mht": "save the page as .html"}


def unsupported_reason(suffix: str) -> str:
    """Why a file type is not read, with what to do instead."""
    hint = _HINTS.get(suffix.lower(), "")
    listed = ", ".join(SUPPORTED_SUFFIXES)
    kind = suffix or "(no extension)"
    return f"unsupported file type {kind}" + (f"; {hint}" if hint else "") + f" (supported: {listed})"


def format_for(suffix: str) -> Format:
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise DocumentError(unsupported_reason(suffix))
    return fmt


def media_type(suffix: str, encoding: str) -> str:
    """The original file's media type; text files say the charset they were decoded with."""
    base = format_for(suffix).media_type
    if base in ("text/plain", "text/markdown"):
        charset = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
        return f"{base}; charset={charset}"
    return base


__all__ = ["FORMATS", "READERS_VERSION", "SUPPORTED_SUFFIXES", "DocumentError", "Extracted", "Format",
           "format_for", "media_type", "unsupported_reason"]
