"""Plain text and markdown: decode the bytes; the text is the file's own."""

from __future__ import annotations

from qa.ingest.decode import decode_report
from qa.ingest.readers.base import Extracted


def read_text(data: bytes, name: str) -> Extracted:
    text, encoding = decode_report(data, name)
    return Extracted(text=text, encoding=encoding)
