"""The dense pass: embed every live passage that has no vector yet, committing a shard per ~2,000.

It runs after the lexical index is committed (search works meanwhile, hybrid for embedded passages and
lexical for the rest), resumes from the shards already written, and stops cleanly between shards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from embeddings.encoder import Encoder
from qa.index.snapshot import Snapshot
from qa.index.vectors import VectorStore
from qa.ingest.chunking import embedding_text

SHARD_SIZE = 2_000


@dataclass(frozen=True)
class DenseProgress:
    done: int  # live passages with a vector
    total: int  # live passages
    rate: float  # passages per second in this run
    eta_s: float | None


def run(vectors: VectorStore, current: Callable[[], Snapshot], encoder: Encoder,
        progress: Callable[[DenseProgress], None] | None = None, stop: threading.Event | None = None,
        shard_size: int | None = None, batch_size: int = 32) -> int:
    """Embed until every live passage of the current snapshot has a vector; returns how many were embedded."""
    shard_size = shard_size or SHARD_SIZE
    started = time.perf_counter()
    embedded = 0
    if progress:
        first = current()
        progress(DenseProgress(first.embedded, first.alive_rows, 0.0, None))
    while stop is None or not stop.is_set():
        snap = current()
        missing, lengths = snap.missing_vectors()
        if not len(missing):
            break
        # Shortest first: each shard, and each batch in it, pads to similar lengths.
        rows = missing[np.argsort(lengths, kind="stable")[:shard_size]].tolist()
        chunks = [snap.chunk(r) for r in rows]
        texts = [embedding_text(snap.document_of(r).title, c.section, c.text) for r, c in zip(rows, chunks, strict=True)]
        ids = [c.chunk_id for c in chunks]
        vecs = encoder.encode_passages(texts, batch_size=batch_size)
        vectors.write(ids, vecs)
        snap.install_vectors(dict(zip(ids, vecs, strict=True)))
        embedded += len(rows)
        if progress:
            elapsed = time.perf_counter() - started
            rate = embedded / elapsed if elapsed > 0 else 0.0
            done, total = snap.embedded, snap.alive_rows
            progress(DenseProgress(done, total, rate, (total - done) / rate if rate else None))
    return embedded
