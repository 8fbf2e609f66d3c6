"""A FAISS inner-product index over normalised vectors, so scores are cosine similarities."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class VectorIndex:
    """Exact (flat) search: a few hundred reports are ~10^5 vectors, well within brute force."""

    def __init__(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError("vectors must be a 2-D array")
        self.dim = vectors.shape[1]
        self._index: faiss.Index = faiss.IndexFlatIP(self.dim)
        if len(vectors):
            self._index.add(vectors)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, row ids); `allowed` restricts the search to those row ids."""
        k = min(k, len(self) if allowed is None else len(allowed))
        if k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            params = faiss.SearchParameters()
            params.sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
        scores, ids = self._index.search(q, k, params=params)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        obj = cls.__new__(cls)
        obj._index = faiss.read_index(str(path))
        obj.dim = obj._index.d
        return obj
