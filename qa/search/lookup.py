"""Reading the index directly: a report, the reports, a passage with its neighbours, the original file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from qa.core.errors import BadRequest, Conflict, NotFound
from qa.core.records import Document, DocumentInfo, Filters, PassageContext, SourceFile
from qa.index.snapshot import Snapshot
from qa.ingest.files import resolve_source
from qa.ingest.readers import media_type
from qa.lang.places import PlaceMatcher
from qa.search.ask import passage_at
from qa.search.scope import filter_documents

MAX_CONTEXT = 20


def document(snap: Snapshot, doc_id: str) -> Document:
    doc = snap.documents.get(doc_id)
    if doc is None:
        raise NotFound(f"unknown doc_id {doc_id!r}; GET /documents lists the ids")
    return doc


def info(snap: Snapshot, doc: Document) -> DocumentInfo:
    a, b = snap.doc_rows.get(doc.doc_id, (0, 0))
    return DocumentInfo.of(doc, b - a)


def documents(snap: Snapshot, filters: Filters | None, matcher: PlaceMatcher) -> list[DocumentInfo]:
    docs = list(snap.documents.values())
    if filters is not None and not filters.empty:
        docs = filter_documents(docs, filters, matcher)
    return [info(snap, d) for d in docs]


def passage(snap: Snapshot, chunk_id: str, context: int = 0) -> PassageContext:
    row = snap.row_of.get(chunk_id)
    if row is None:
        raise NotFound(f"unknown chunk_id {chunk_id!r}")
    if not 0 <= context <= MAX_CONTEXT:
        raise BadRequest(f"context must be between 0 and {MAX_CONTEXT}")
    first, last = snap.doc_rows[snap.document_of(row).doc_id]
    before = tuple(snap.chunk(r) for r in range(max(first, row - context), row))
    after = tuple(snap.chunk(r) for r in range(row + 1, min(last, row + 1 + context)))
    return PassageContext(passage_at(snap, row, 1, 0.0), before, after)


def source_file(doc: Document, project_root: Path) -> SourceFile:
    """The original file a report was read from, as long as it is still the file that was indexed."""
    path = resolve_source(doc.source, project_root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotFound(f"the original file of {doc.doc_id!r} is no longer at {doc.source}; re-index or re-upload it") from exc
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise Conflict(f"{doc.source} has changed since it was indexed; re-index it so citations match the file")
    return SourceFile(path.name, media_type(path.suffix, doc.encoding), data)
