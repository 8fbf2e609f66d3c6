"""Read report files: detect encodings, reject binaries, attach catalog metadata."""

from __future__ import annotations

import codecs
import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.places import PlaceMatcher, short_name
from qa.records import Document

SUPPORTED_SUFFIXES = (".txt", ".md")
CATALOG_NAME = "catalog.toml"
_KNOWN_BINARY = {b"%PDF": "PDF", b"PK\x03\x04": "ZIP/DOCX", b"\xd0\xcf\x11\xe0": "DOC/XLS"}


class DocumentError(ValueError):
    """A file that cannot be read as a report; the message names the file."""


@dataclass(frozen=True)
class CatalogEntry:
    title: str
    region: str
    year: int | None
    level: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str = ""


def decode_report(data: bytes, name: str) -> tuple[str, str]:
    """Decode report bytes as UTF-8 (with or without BOM) or GB18030; return (text, encoding)."""
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    for magic, kind in _KNOWN_BINARY.items():
        if data.startswith(magic):
            raise DocumentError(f"{name}: looks like a {kind} file; only .txt and .md are supported")
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    else:
        if b"\x00" in data[:65536]:
            raise DocumentError(f"{name}: contains NUL bytes; this is a binary file, not text")
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        _check_plausible_text(text, name, encoding)
        return text, encoding
    raise DocumentError(f"{name}: cannot decode as UTF-8 or GB18030/GBK (binary or corrupt file?); save it as UTF-8 text")


def _check_plausible_text(text: str, name: str, encoding: str) -> None:
    """GB18030 decodes most byte soup, so reject text that is mostly controls or rare symbols."""
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    cjk_or_ascii = sum(1 for ch in sample if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    if controls > len(sample) * 0.01 or cjk_or_ascii < len(sample) * 0.85:
        raise DocumentError(f"{name}: decoded as {encoding} but looks like binary or garbled data")


def load_catalog(folder: Path) -> dict[str, CatalogEntry]:
    """Read `catalog.toml` from a folder, keyed by file name; missing file means no entries."""
    path = folder / CATALOG_NAME
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {}
    for file_name, item in data.get("documents", {}).items():
        entries[file_name] = CatalogEntry(
            title=item["title"], region=item["region"], year=item.get("year"),
            level=item.get("level", "city"), kind=item.get("kind", "full"),
            aliases=tuple(item.get("aliases", ())), parent=item.get("parent", ""),
        )
    return entries


_TITLE = re.compile(r"((?:19|20)\d{2})年?\s*([\u4e00-\u9fff]{2,12}?)(?:人民)?政府(?:\(筹\)|（筹）)?工作报告")
_DELIVERY = re.compile(r"[（(]\s*((?:19|20)\d{2})年\d{1,2}月\d{1,2}日在([\u4e00-\u9fff]{2,12}?)第[\u4e00-\u9fff]+届人民代表大会")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


def infer_metadata(text: str, fallback_title: str, matcher: PlaceMatcher) -> CatalogEntry:
    """Guess title, region, year, level and kind from a report's opening text."""
    head = text[:3000]
    title = region = ""
    year: int | None = None
    if m := _TITLE.search(head):
        year, region, title = int(m.group(1)), m.group(2), m.group(0)
    if m := _DELIVERY.search(head):
        year = year or int(m.group(1))
        region = region or m.group(2)
    if region:
        region = matcher.canonical(region)
    if not region:
        counts = Counter(p for p in matcher.find_all(text[:20000]))
        region = counts.most_common(1)[0][0] if counts else ""
    if year is None:
        years = Counter(int(y) for y in _YEAR.findall(head))
        year = years.most_common(1)[0][0] if years else None
    level = matcher.level(region) or _level_from_suffix(region)
    kind = "summary" if "图解" in head[:500] else "full"
    if not title:
        title = f"{year or ''}年{region}政府工作报告" if region and year else fallback_title
    return CatalogEntry(title=title, region=region, year=year, level=level, kind=kind)


def _level_from_suffix(region: str) -> str:
    if region in ("国务院", "全国", "中国"):
        return "national"
    if region.endswith(("省", "自治区")):
        return "province"
    if region.endswith(("区", "县")):
        return "district"
    return "city" if region else ""


def make_doc_id(path: Path) -> str:
    """A stable, URL-safe id from the file name."""
    stem = re.sub(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+", "_", path.stem).strip("_")
    return stem or hashlib.sha256(path.name.encode()).hexdigest()[:12]


def display_source(path: Path, project_root: Path) -> str:
    """Path relative to the project root when inside it, absolute otherwise."""
    path = path.resolve()
    try:
        return path.relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return str(path)


def read_document(
    path: Path, project_root: Path, matcher: PlaceMatcher,
    catalog: dict[str, CatalogEntry] | None = None, doc_id: str | None = None,
    data: bytes | None = None,
) -> Document:
    """Read one report file (or its uploaded bytes) into a `Document`."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(f"{path}: cannot read file ({exc.strerror})") from exc
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path.name}: unsupported file type {path.suffix or '(none)'}; use .txt or .md")
    text, encoding = decode_report(data, path.name)
    entry = (catalog or {}).get(path.name)
    inferred: tuple[str, ...] = ()
    if entry is None:
        entry = infer_metadata(text, path.stem, matcher)
        inferred = ("title", "region", "year", "level", "kind")
    return Document(
        doc_id=doc_id or make_doc_id(path), title=entry.title, region=entry.region, year=entry.year,
        level=entry.level, kind=entry.kind, source=display_source(path, project_root), text=text,
        sha256=hashlib.sha256(data).hexdigest(), encoding=encoding, inferred=inferred,
    )


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their supported files, sorted; keep explicit files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            found.append(path)
    return found


def catalog_aliases(folder: Path) -> dict[str, list[str]]:
    """Region -> aliases declared in a folder's catalog (for the place matcher)."""
    return {e.region: [short_name(e.region), *e.aliases] for e in load_catalog(folder).values()}
