"""Turn report files into segment material: read, infer metadata, chunk and tokenize, one process per core.

A file whose bytes hash like the indexed report of the same id is not read further ("unchanged").
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qa.index.segment import PreparedDoc
from qa.ingest.catalog import CatalogEntry, load_catalog
from qa.ingest.chunking import chunk_spans
from qa.ingest.decode import DocumentError
from qa.ingest.files import make_doc_id, read_document
from qa.lang.places import PlaceMatcher
from qa.lang.tokens import tokenize
from qa.records import Chunk, Document

Progress = Callable[[int, int], None]  # (done, total)
SEGMENT_ROWS = 40_000  # rows per segment when indexing many reports at once
PARALLEL_MIN_FILES = 40  # below this, starting workers costs more than it saves


def lexical_text(chunk: Chunk) -> str:
    """BM25 sees the section path too: headings name the topic of terse passages."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text


def prepare(doc: Document) -> PreparedDoc:
    chunks = tuple(chunk_spans(doc))
    return PreparedDoc(doc, chunks, tuple(tuple(tokenize(lexical_text(c))) for c, _ in chunks))


@dataclass(frozen=True)
class Unchanged:
    doc_id: str


@dataclass(frozen=True)
class Failed:
    path: Path
    message: str


Outcome = PreparedDoc | Unchanged | Failed


@dataclass(frozen=True)
class Context:
    """What every worker needs; inherited by fork, never pickled per file."""

    project_root: Path
    matcher: PlaceMatcher
    catalogs: dict[Path, dict[str, CatalogEntry]]
    live: dict[str, str]  # doc_id -> sha256 of what is indexed now
    ids: dict[Path, str]  # doc id per file: report.pdf next to report.docx become report and report_docx


_CONTEXT: Context | None = None


def _init(context: Context) -> None:
    global _CONTEXT
    _CONTEXT = context


def _work(path: Path) -> Outcome:
    ctx = _CONTEXT
    assert ctx is not None, "workers are started with a context"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Failed(path, f"{path}: cannot read file ({exc.strerror})")
    doc_id = ctx.ids[path]
    catalog = ctx.catalogs.get(path.parent, {})
    if ctx.live.get(doc_id) == hashlib.sha256(data).hexdigest() and path.name not in catalog:
        return Unchanged(doc_id)
    try:
        doc = read_document(path, ctx.project_root, ctx.matcher, catalog, data=data)
    except DocumentError as exc:
        return Failed(path, str(exc))
    return prepare(replace(doc, doc_id=doc_id) if doc.doc_id != doc_id else doc)


def doc_ids(paths: Sequence[Path]) -> dict[Path, str]:
    """One id per file; a second file with the same name in another format gets its format as a suffix."""
    out: dict[Path, str] = {}
    taken: set[str] = set()
    for path in paths:
        doc_id = make_doc_id(path)
        if doc_id in taken:
            doc_id = f"{doc_id}_{path.suffix.lstrip('.').lower()}"
        taken.add(doc_id)
        out[path] = doc_id
    return out


def workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def prepare_files(paths: Sequence[Path], project_root: Path, matcher: PlaceMatcher, live: dict[str, str],
                  progress: Progress | None = None) -> Iterator[Outcome]:
    """Outcomes in input order; many files use one process per core."""
    catalogs = {folder: load_catalog(folder) for folder in {p.parent for p in paths}}
    context = Context(project_root, matcher, catalogs, live, doc_ids(paths))
    total = len(paths)
    if progress:
        progress(0, total)
    if workers() > 1 and total >= PARALLEL_MIN_FILES:
        with mp.get_context("fork").Pool(workers(), initializer=_init, initargs=(context,)) as pool:
            for i, outcome in enumerate(pool.imap(_work, paths, chunksize=4), 1):
                if progress:
                    progress(i, total)
                yield outcome
        return
    _init(context)
    for i, path in enumerate(paths, 1):
        yield _work(path)
        if progress:
            progress(i, total)


def batches(prepared: Iterator[PreparedDoc], rows: int = SEGMENT_ROWS) -> Iterator[list[PreparedDoc]]:
    """Group prepared documents into segment-sized batches."""
    batch: list[PreparedDoc] = []
    size = 0
    for item in prepared:
        batch.append(item)
        size += len(item.chunks)
        if size >= rows:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
