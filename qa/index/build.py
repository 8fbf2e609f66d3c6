"""Build a new index snapshot, reusing chunks and vectors that have not changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable

import numpy as np

from embeddings.encoder import Encoder
from qa.index.lexical import LexicalIndex
from qa.index.manifest import Manifest
from qa.index.snapshot import Snapshot
from qa.ingest.chunking import chunk_document, chunker_fingerprint, embedding_text
from qa.lang.tokens import tokenizer_fingerprint
from qa.records import Chunk, Document

Progress = Callable[[int, int], None]  # (done, total) chunks embedded


def lexical_text(chunk: Chunk) -> str:
    """BM25 sees the section path too: headings name the topic of terse passages."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text


def build_snapshot(
    documents: list[Document], encoder: Encoder | None, previous: Snapshot | None = None,
    progress: Progress | None = None, batch_size: int = 32,
) -> Snapshot:
    """Chunk, embed (only new chunks) and index `documents` into a fresh snapshot."""
    reuse_chunks = previous is not None and previous.manifest.chunker == chunker_fingerprint()
    chunks: list[Chunk] = []
    docs: dict[str, Document] = {}
    for doc in documents:
        docs[doc.doc_id] = doc
        old = previous.documents.get(doc.doc_id) if reuse_chunks and previous else None
        if old is not None and old.sha256 == doc.sha256 and old.title == doc.title:
            chunks.extend(previous.doc_chunks(doc.doc_id))  # type: ignore[union-attr]
        else:
            chunks.extend(chunk_document(doc))
    vectors = _embed(chunks, docs, encoder, previous, progress, batch_size) if encoder else None
    lexical = LexicalIndex.build([lexical_text(c) for c in chunks])
    manifest = Manifest(
        index_version=_version(docs, chunks, encoder),
        model=encoder.name if encoder else "",
        dim=encoder.dim if encoder else 0,
        chunker=chunker_fingerprint(),
        tokenizer=tokenizer_fingerprint(),
        documents={d.doc_id: d.sha256 for d in docs.values()},
        chunks=len(chunks),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    return Snapshot(manifest, docs, chunks, lexical, vectors)


def _embed(
    chunks: list[Chunk], docs: dict[str, Document], encoder: Encoder, previous: Snapshot | None,
    progress: Progress | None, batch_size: int,
) -> np.ndarray:
    vectors = np.zeros((len(chunks), encoder.dim), dtype=np.float32)
    cached = previous is not None and previous.vectors is not None and previous.manifest.model == encoder.name
    todo: list[int] = []
    for row, chunk in enumerate(chunks):
        old_row = previous.row_of.get(chunk.chunk_id) if cached and previous else None
        if old_row is not None:
            vectors[row] = previous.vectors[old_row]  # type: ignore[union-attr,index]
        else:
            todo.append(row)
    total = len(todo)
    if progress:
        progress(0, total)
    for start in range(0, total, batch_size):
        rows = todo[start: start + batch_size]
        texts = [embedding_text(docs[chunks[r].doc_id], chunks[r]) for r in rows]
        vectors[rows] = encoder.encode_passages(texts, batch_size=batch_size)
        if progress:
            progress(min(start + batch_size, total), total)
    return vectors


def _version(docs: dict[str, Document], chunks: list[Chunk], encoder: Encoder | None) -> str:
    digest = hashlib.sha256()
    digest.update((encoder.name if encoder else "lexical").encode())
    for chunk in chunks:
        digest.update(chunk.chunk_id.encode())
    # Microseconds plus randomness: two commits of the same documents must never share a folder.
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{stamp}-{digest.hexdigest()[:10]}-{secrets.token_hex(2)}"
