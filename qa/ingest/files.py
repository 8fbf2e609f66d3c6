"""Read report files (or uploaded bytes) into `Document`s, and find the report files in folders."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from qa.ingest.catalog import CatalogEntry
from qa.ingest.decode import DocumentError, decode_report
from qa.ingest.metadata import infer_metadata
from qa.lang.places import PlaceMatcher
from qa.records import Document

SUPPORTED_SUFFIXES = (".txt", ".md")


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
    catalog: dict[str, CatalogEntry] | None = None, data: bytes | None = None,
) -> Document:
    """Read one report file (or its uploaded bytes, named by `path`) into a `Document`."""
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
        doc_id=make_doc_id(path), title=entry.title, region=entry.region, year=entry.year,
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
