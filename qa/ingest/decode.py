"""Turn report bytes into text: detect the encoding, reject binaries with a message naming the file."""

from __future__ import annotations

import codecs

_KNOWN_BINARY = {b"%PDF": "PDF", b"PK\x03\x04": "ZIP/DOCX", b"\xd0\xcf\x11\xe0": "DOC/XLS"}


class DocumentError(ValueError):
    """A file that cannot be read as a report; the message names the file."""


def decode_report(data: bytes, name: str) -> tuple[str, str]:
    """Decode report bytes as UTF-8 (with or without BOM), UTF-16 or GB18030; return (text, encoding)."""
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    for magic, kind in _KNOWN_BINARY.items():
        if data.startswith(magic):
            raise DocumentError(f"{name}: looks like a {kind} file, not text; give it its real extension (.pdf, .docx)")
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    elif b"\x00" in data[:65536]:
        return _decode_utf16_without_bom(data, name)
    else:
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise DocumentError(f"{name}: the file is empty")
        _check_plausible_text(text, name, encoding)
        return text, encoding
    tried = " or ".join(e.upper().replace("GB18030", "GB18030/GBK") for e, _ in candidates)
    raise DocumentError(f"{name}: cannot decode as {tried} (binary or corrupt file?); save it as UTF-8 text")


def _decode_utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    """Text with NUL bytes is UTF-16 without a BOM (ASCII puts a NUL in every other byte) or binary.
    The byte order with more NULs in the high byte goes first; the wrong one decodes to garbage and fails."""
    if len(data) % 2 == 0:
        sample = data[:65536]
        little_first = sample[1::2].count(0) >= sample[0::2].count(0)
        for encoding in ("utf-16-le", "utf-16-be") if little_first else ("utf-16-be", "utf-16-le"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not text.strip():
                raise DocumentError(f"{name}: the file is empty")
            if _plausible(text):
                return text, encoding
    raise DocumentError(f"{name}: contains NUL bytes; this is a binary file, not text")


def _plausible(text: str) -> bool:
    """GB18030 decodes most byte soup, so text that is mostly controls or rare symbols is not a report."""
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    cjk_or_ascii = sum(1 for ch in sample if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return controls <= len(sample) * 0.01 and cjk_or_ascii >= len(sample) * 0.85


def _check_plausible_text(text: str, name: str, encoding: str) -> None:
    if not _plausible(text):
        raise DocumentError(f"{name}: decoded as {encoding} but looks like binary or garbled data")
