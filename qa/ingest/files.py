"""Read report files (or uploaded bytes) of any supported format into `Document`s; find them in folders."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.core.records import Document
from qa.ingest.catalog import CATALOG_NAME, CATALOG_TSV, CatalogEntry
from qa.ingest.metadata import infer_metadata
from qa.ingest.readers import SUPPORTED_SUFFIXES, DocumentError, format_for, unsupported_reason
from qa.lang.places import PlaceMatcher

__all__ = ["SUPPORTED_SUFFIXES", "Scan", "discover", "display_source", "make_doc_id", "read_document", "resolve_source",
           "scan"]


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


def resolve_source(source: str, project_root: Path) -> Path:
    """The file a `Document.source` names (relative sources are relative to the project root)."""
    path = Path(source)
    return path if path.is_absolute() else project_root / path


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
    try:
        fmt = format_for(path.suffix)
    except DocumentError as exc:
        raise DocumentError(f"{path.name}: {exc}") from exc
    extracted = fmt.read(data, path.name)
    entry = (catalog or {}).get(path.name)
    inferred: tuple[str, ...] = ()
    if entry is None:
        entry = infer_metadata(extracted.text, path.stem, matcher, extracted.title, extracted.date)
        inferred = ("title", "region", "year", "level", "kind")
    return Document(
        doc_id=make_doc_id(path), title=entry.title, region=entry.region, year=entry.year,
        level=entry.level, kind=entry.kind, source=display_source(path, project_root), text=extracted.text,
        sha256=hashlib.sha256(data).hexdigest(), encoding=extracted.encoding, inferred=inferred,
        pages=extracted.pages,
    )


@dataclass(frozen=True)
class Scan:
    """The report files found under some paths, and the files passed over with the reason."""

    files: tuple[Path, ...]
    skipped: tuple[str, ...]


def _ignored(path: Path, root: Path) -> bool:
    """Hidden files and folders and the catalog itself are not reports and not worth a "skipped" line."""
    parts = path.relative_to(root).parts if path.is_relative_to(root) else (path.name,)
    return path.name in (CATALOG_NAME, CATALOG_TSV) or any(part.startswith(".") for part in parts)


def scan(paths: Iterable[Path]) -> Scan:
    """Expand folders into their files (sorted); unsupported files are skipped with a reason, not read."""
    files: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file() and not _ignored(p, path)) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.name.startswith("~$"):
                skipped.append(f"{candidate}: a Word/Office lock file, not a report")
            elif candidate.suffix.lower() in SUPPORTED_SUFFIXES or not candidate.exists():
                files.append(candidate)  # a missing file fails when read, with its own message
            else:
                skipped.append(f"{candidate}: {unsupported_reason(candidate.suffix)}")
    return Scan(tuple(files), tuple(skipped))


def discover(paths: Iterable[Path]) -> list[Path]:
    """The supported report files under `paths` (see `scan` for what is skipped and why)."""
    return list(scan(paths).files)
