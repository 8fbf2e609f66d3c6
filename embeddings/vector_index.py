"""Vector search by size: exact inner product below FLAT_MAX vectors, FAISS IVF above it.

Vectors are L2-normalised, so inner products are cosine similarities. The rule and its measurement
(recall@10 of IVF against exact search on 1 M synthetic vectors) are in BENCHMARKS.md (`reportqa bench --ann`).
"""

from __future__ import annotations

import math

import faiss
import numpy as np

FLAT_MAX = 250_000  # exact search of 250k x 384 floats takes ~10 ms on one core; above it, IVF


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest finite scores, best first (the lower position first among equals).
    A partial sort: over a corpus, sorting every score to keep 100 took most of a query's time."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, np.int64)
    if k < len(scores):
        kth = -np.partition(-scores, k - 1)[k - 1]  # the k-th highest; of its equals, the first positions stay
        above = np.flatnonzero(scores > kth)
        top = np.concatenate([above, np.flatnonzero(scores == kth)[: k - len(above)]])
    else:
        top = np.arange(len(scores))
    top = top[np.lexsort((top, -scores[top]))]
    return top[np.isfinite(scores[top])].astype(np.int64)


class VectorIndex:
    """Top-k inner-product search over the rows of one matrix."""

    def __init__(self, vectors: np.ndarray, kind: str | None = None, seed: int = 0) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError("vectors must be a 2-D array")
        self.size, self.dim = vectors.shape
        self.kind = kind or ("flat" if self.size <= FLAT_MAX else "ivf")
        self._vectors = vectors
        self._ivf: faiss.IndexIVFFlat | None = None
        if self.kind == "ivf":
            self._ivf = _ivf(vectors, seed)

    def __len__(self) -> int:
        return self.size

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, row ids), best first."""
        k = min(k, self.size)
        if k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if self._ivf is None:
            scores = self._vectors @ q[0]
            top = top_indices(scores, k)
            return scores[top], top
        found, ids = self._ivf.search(q, k)
        keep = ids[0] >= 0
        return found[0][keep], ids[0][keep].astype(np.int64)


def _ivf(vectors: np.ndarray, seed: int) -> faiss.IndexIVFFlat:
    n, dim = vectors.shape
    nlist = max(16, int(2 * math.sqrt(n)))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(n, size=min(n, 40 * nlist), replace=False)]
    index.train(sample)
    index.add(vectors)
    index.nprobe = max(32, nlist // 10)  # recall@10 >= 0.95 against exact search (tests, BENCHMARKS.md)
    return index
