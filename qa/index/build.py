"""Turn report files into segments, one process per core: each worker reads, infers metadata, chunks,
tokenizes and writes whole segments, so nothing waits on a single core.

A file whose bytes hash like the indexed report of the same id (and whose catalog entry, if any, says
the same) is not chunked again ("unchanged").
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import multiprocessing as mp
import os
import signal
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from qa.core.records import Chunk, Document
from qa.index.segment import PreparedDoc, write_segment
from qa.ingest.catalog import CatalogEntry, load_catalog
from qa.ingest.chunking import chunk_spans
from qa.ingest.decode import DocumentError
from qa.ingest.files import make_doc_id, read_document
from qa.lang.places import PlaceMatcher
from qa.lang.tokens import tokenize

Progress = Callable[[int, int], None]  # (done, total)
PR_SET_PDEATHSIG = 1
BATCH_BYTES = 6_000_000  # source bytes per segment (~9k passages): small enough that no core idles at the end
PARALLEL_MIN_FILES = 40  # below this, starting workers costs more than it saves


def lexical_text(chunk: Chunk) -> str:
    """BM25 sees the section path too: headings name the topic of terse passages."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text


def prepare(doc: Document) -> PreparedDoc:
    chunks = tuple(chunk_spans(doc))
    return PreparedDoc(doc, chunks, tuple(tuple(tokenize(lexical_text(c))) for c, _ in chunks))


def unchanged(doc: Document, current: Document | None) -> bool:
    return current is not None and current.sha256 == doc.sha256 and current.title == doc.title and \
        current.region == doc.region and current.year == doc.year and current.level == doc.level


@dataclass(frozen=True)
class Built:
    """What one batch of files became: a new segment (or none), and what happened to each file."""

    segment: str | None
    written: tuple[str, ...] = ()  # doc ids in the segment
    unchanged: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()  # messages naming the file


@dataclass(frozen=True)
class Context:
    """What every worker needs; inherited by fork, never pickled per file."""

    project_root: Path
    matcher: PlaceMatcher
    catalogs: dict[Path, dict[str, CatalogEntry]]
    live: dict[str, Document]  # what is indexed now
    ids: dict[Path, str]  # doc id per file: report.pdf next to report.docx become report and report_docx
    segments: Path  # where segments are written
    done: Synchronized[int] | None = None  # files finished, shared with the progress thread
    inherited: tuple[int, ...] = ()  # descriptors a worker must not keep (the writer lock)


_CONTEXT: Context | None = None


def _init(context: Context) -> None:
    global _CONTEXT
    _CONTEXT = context
    for fd in context.inherited:
        # A forked worker shares the parent's writer-lock description; if the parent is killed, the lock must go
        # with it, not live on in orphaned workers.
        with contextlib.suppress(OSError):
            os.close(fd)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (a kill -9 of `reportqa index` stops everything)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: workers then exit when the pool's queue closes


def _read(path: Path, ctx: Context) -> PreparedDoc | str | None:
    """A prepared document, None when unchanged, or the failure message."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"{path}: cannot read file ({exc.strerror})"
    doc_id = ctx.ids[path]
    catalog = ctx.catalogs.get(path.parent, {})
    current = ctx.live.get(doc_id)
    if current is not None and current.sha256 == hashlib.sha256(data).hexdigest() and path.name not in catalog:
        return None
    try:
        doc = read_document(path, ctx.project_root, ctx.matcher, catalog, data=data)
    except DocumentError as exc:
        return str(exc)
    doc = replace(doc, doc_id=doc_id) if doc.doc_id != doc_id else doc
    return None if unchanged(doc, current) else prepare(doc)


def _build(batch: list[Path]) -> Built:
    ctx = _CONTEXT
    assert ctx is not None, "workers are started with a context"
    fresh: list[PreparedDoc] = []
    same: list[str] = []
    failed: list[str] = []
    for path in batch:
        outcome = _read(path, ctx)
        if outcome is None:
            same.append(ctx.ids[path])
        elif isinstance(outcome, str):
            failed.append(outcome)
        else:
            fresh.append(outcome)
        if ctx.done is not None:
            with ctx.done.get_lock():
                ctx.done.value += 1
    if not fresh:
        return Built(None, (), tuple(same), tuple(failed))
    seg = write_segment(ctx.segments, new_segment_name(), fresh)
    return Built(seg.name, tuple(p.doc.doc_id for p in fresh), tuple(same), tuple(failed))


def build_prepared(prepared: list[PreparedDoc], segments: Path) -> Built:
    """A segment for documents already read (an upload), written in this process."""
    segments.mkdir(parents=True, exist_ok=True)
    seg = write_segment(segments, new_segment_name(), prepared)
    return Built(seg.name, tuple(p.doc.doc_id for p in prepared))


def new_segment_name() -> str:
    return f"seg-{uuid.uuid4().hex[:16]}"


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


def partition(paths: Sequence[Path], limit: int = BATCH_BYTES) -> list[list[Path]]:
    """Consecutive files grouped by size, so each worker writes a segment of about `limit` source bytes."""
    batches: list[list[Path]] = [[]]
    size = 0
    for path in paths:
        try:
            nbytes = path.stat().st_size
        except OSError:
            nbytes = 0
        if batches[-1] and size + nbytes > limit:
            batches.append([])
            size = 0
        batches[-1].append(path)
        size += nbytes
    return [b for b in batches if b]


def workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def build_segments(paths: Sequence[Path], project_root: Path, matcher: PlaceMatcher, live: dict[str, Document],
                   segments: Path, progress: Progress | None = None, inherited: tuple[int, ...] = ()) -> Iterator[Built]:
    """Write segments for the files (a batch per worker at a time); yields each batch's result as it finishes."""
    segments.mkdir(parents=True, exist_ok=True)
    catalogs = {folder: load_catalog(folder) for folder in {p.parent for p in paths}}
    parallel = workers() > 1 and len(paths) >= PARALLEL_MIN_FILES
    done = mp.get_context("fork").Value("l", 0) if parallel else None
    context = Context(project_root, matcher, catalogs, live, doc_ids(paths), segments, done, inherited)
    total = len(paths)
    if progress:
        progress(0, total)
    if not parallel:
        global _CONTEXT
        _CONTEXT = context
        finished = 0
        for batch in partition(paths):
            yield _build(batch)
            finished += len(batch)
            if progress:
                progress(finished, total)
        return
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(done, total, progress, stop), daemon=True)
    watcher.start()
    try:
        with mp.get_context("fork").Pool(workers(), initializer=_init, initargs=(context,)) as pool:
            yield from pool.imap_unordered(_build, partition(paths, min(BATCH_BYTES, _even_share(paths))))
    finally:
        stop.set()
        watcher.join()
        if progress:
            progress(total, total)


def _even_share(paths: Sequence[Path]) -> int:
    """Small inputs still split across the workers: at most total/(2 x workers) bytes per batch."""
    total = sum(p.stat().st_size for p in paths if p.exists())
    return max(1, total // (2 * workers()) + 1)


def _watch(done: Synchronized[int] | None, total: int, progress: Progress | None, stop: threading.Event) -> None:
    while not stop.wait(0.5):
        if progress and done is not None:
            progress(min(done.value, total), total)
