"""An immutable, fully loaded index: readers hold one while a writer builds the next."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from embeddings.vector_index import VectorIndex
from qa.index.lexical import LexicalIndex
from qa.index.manifest import Manifest
from qa.records import Chunk, Document


@dataclass
class Snapshot:
    manifest: Manifest
    documents: dict[str, Document]
    chunks: list[Chunk]
    lexical: LexicalIndex
    vectors: np.ndarray | None = None
    dense: VectorIndex | None = None
    rows_by_doc: dict[str, np.ndarray] = field(default_factory=dict)
    row_of: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_doc: dict[str, list[int]] = {}
        for row, chunk in enumerate(self.chunks):
            by_doc.setdefault(chunk.doc_id, []).append(row)
            self.row_of[chunk.chunk_id] = row
        self.rows_by_doc = {d: np.asarray(r, dtype=np.int64) for d, r in by_doc.items()}
        if self.vectors is not None and self.dense is None:
            self.dense = VectorIndex(self.vectors)

    def doc_chunks(self, doc_id: str) -> list[Chunk]:
        return [self.chunks[r] for r in self.rows_by_doc.get(doc_id, [])]
