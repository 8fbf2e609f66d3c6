"""The read model: the live segments of one manifest, with corpus-wide BM25 statistics and passage vectors.

Rows are numbered across segments in manifest order. Readers hold a Snapshot while writers build the next
one; the only in-place change is the dense pass filling vectors (the row's flag flips after its vector).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.vector_index import FLAT_MAX, VectorIndex, top_indices
from qa.core.records import Chunk, Document
from qa.index.manifest import Manifest
from qa.index.segment import Segment


@dataclass
class SegmentView:
    seg: Segment
    offset: int
    alive: np.ndarray  # bool per local row: False for tombstoned documents
    vectors: np.ndarray | None = None  # float32 (rows, dim); zero rows where `has` is False
    has: np.ndarray | None = None  # bool per local row: a vector is in place
    ann: tuple[int, VectorIndex] | None = None  # (embedded rows when built, index) for segments over FLAT_MAX


class Snapshot:
    dim: int

    def __init__(self, manifest: Manifest, segments: Sequence[Segment], dim: int = 0,
                 previous: Snapshot | None = None) -> None:
        """`previous` lends its vector arrays for segments both share, so vectors keep filling in place."""
        lent = {v.seg.name: v for v in previous.views} if previous is not None and previous.dim == dim else {}
        self.manifest = manifest
        self.dim = dim
        dead = set(manifest.deleted)
        self.views: list[SegmentView] = []
        self.documents: dict[str, Document] = {}
        self.doc_rows: dict[str, tuple[int, int]] = {}
        offset = 0
        for seg in segments:
            alive = np.ones(seg.rows, bool)
            for doc_id, (a, b) in seg.doc_ranges.items():
                if (seg.name, doc_id) in dead:
                    alive[a:b] = False
                else:
                    self.doc_rows[doc_id] = (offset + a, offset + b)
            for doc in seg.docs:
                if (seg.name, doc.doc_id) not in dead:
                    self.documents[doc.doc_id] = doc
            view = SegmentView(seg, offset, alive)
            if seg.name in lent:
                view.vectors, view.has = lent[seg.name].vectors, lent[seg.name].has
            elif dim:
                view.vectors = np.zeros((seg.rows, dim), np.float32)
                view.has = np.zeros(seg.rows, bool)
            self.views.append(view)
            offset += seg.rows
        self.rows = offset
        self._offsets = [v.offset for v in self.views]  # bisect on a list: locate() runs per candidate row
        self.alive_rows = int(sum(int(v.alive.sum()) for v in self.views))
        lengths = sum(int(v.seg.postings.doclen[v.alive].sum()) for v in self.views)
        self.avgdl = lengths / max(self.alive_rows, 1)
        self._row_of: dict[str, int] | None = None

    # ----- rows ------------------------------------------------------------------------------
    def locate(self, row: int) -> tuple[SegmentView, int]:
        i = bisect.bisect_right(self._offsets, row) - 1
        view = self.views[i]
        return view, row - view.offset

    def chunk(self, row: int) -> Chunk:
        view, local = self.locate(row)
        return view.seg.chunk(local)

    def section_and_head(self, row: int, chars: int = 200) -> tuple[str, str]:
        """A passage's section path and the start of its raw text (cheaper than rendering the chunk)."""
        view, local = self.locate(row)
        seg = view.seg
        start = int(seg.a["start"][local])
        return seg.sections[int(seg.a["section"][local])], seg.document(local).text[start:start + chars]

    def per_document(self, rows: np.ndarray, values: dict[str, float]) -> np.ndarray:
        """`values` (by doc_id, 0 for the rest) at each of the sorted global rows, without a Python step per row."""
        out = np.zeros(len(rows), np.float64)
        for view, local, where in self._split(rows):
            table = np.array([values.get(doc.doc_id, 0.0) for doc in view.seg.docs], np.float64)
            out[where] = table[view.seg.a["doc"][local]]
        return out

    def document_of(self, row: int) -> Document:
        view, local = self.locate(row)
        return view.seg.document(local)

    @property
    def row_of(self) -> dict[str, int]:
        if self._row_of is None:
            self._row_of = {}
            for view in self.views:
                for local in np.flatnonzero(view.alive).tolist():
                    self._row_of[view.seg.chunk_id(local)] = view.offset + local
        return self._row_of

    def doc_chunks(self, doc_id: str) -> list[Chunk]:
        a, b = self.doc_rows.get(doc_id, (0, 0))
        return [self.chunk(r) for r in range(a, b)]

    def rows_of(self, doc_ids: Iterable[str]) -> np.ndarray:
        spans = [self.doc_rows[d] for d in doc_ids if d in self.doc_rows]
        if not spans:
            return np.zeros(0, np.int64)
        return np.sort(np.concatenate([np.arange(a, b, dtype=np.int64) for a, b in spans]))

    def _split(self, rows: np.ndarray) -> list[tuple[SegmentView, np.ndarray, np.ndarray]]:
        """Sorted global rows -> (view, local rows, positions in `rows`) per segment."""
        out = []
        for view in self.views:
            lo = int(np.searchsorted(rows, view.offset))
            hi = int(np.searchsorted(rows, view.offset + view.seg.rows))
            if hi > lo:
                out.append((view, (rows[lo:hi] - view.offset).astype(np.int64), np.arange(lo, hi)))
        return out

    # ----- lexical -----------------------------------------------------------------------------
    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """BM25 idf per term from live document frequencies across all segments (0 for unknown terms)."""
        out = {}
        n = self.alive_rows
        for term in dict.fromkeys(terms):
            df = sum(v.seg.postings.live_df(term, None if v.alive.all() else v.alive) for v in self.views)
            out[term] = math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
        return out

    @property
    def absent_idf(self) -> float:
        """The idf a term in no live passage would have: above every indexed term's."""
        return math.log(1 + (self.alive_rows + 0.5) / 0.5)

    def lexical(self, weights: dict[str, float], rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, BM25 scores) of the given sorted global rows, or of every live row."""
        weights = {t: w for t, w in weights.items() if w > 0}
        if rows is None:
            parts = [(v.offset + np.flatnonzero(v.alive), v.seg.postings.scores(weights, self.avgdl)[v.alive])
                     for v in self.views]
        else:
            parts = [(view.offset + local, view.seg.postings.scores(weights, self.avgdl, local) * view.alive[local])
                     for view, local, _ in self._split(rows)]
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    # ----- dense -------------------------------------------------------------------------------
    @property
    def embedded(self) -> int:
        return sum(int((v.has & v.alive).sum()) for v in self.views if v.has is not None)

    def dense(self, query: np.ndarray, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine) for rows that have a vector, among the given sorted rows or all live rows."""
        found_rows, found_scores = [], []
        if rows is None:
            selected = [(v, np.flatnonzero(v.alive & v.has)) for v in self.views if v.has is not None]
        else:
            selected = [(v, local[v.has[local] & v.alive[local]]) for v, local, _ in self._split(rows) if v.has is not None]
        for view, local in selected:
            if len(local) and view.vectors is not None:
                found_rows.append(view.offset + local)
                found_scores.append(view.vectors[local] @ query)
        if not found_rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(found_rows), np.concatenate(found_scores).astype(np.float32)

    def dense_top(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k live rows most similar to the query: exact per segment, IVF for segments over FLAT_MAX."""
        found_rows, found_scores = [np.zeros(0, np.int64)], [np.zeros(0, np.float32)]
        for view in self.views:
            if view.has is None or view.vectors is None:
                continue
            usable = view.alive & view.has
            if view.seg.rows > FLAT_MAX and usable.all():
                if view.ann is None or view.ann[0] != int(usable.sum()):
                    view.ann = (int(usable.sum()), VectorIndex(view.vectors))
                scores, local = view.ann[1].search(query, k)
            else:
                # Every row, then the unusable ones masked: gathering the usable rows first copied the segment's
                # whole matrix on every query.
                scores = view.vectors @ query
                if not usable.all():
                    scores[~usable] = -np.inf
                local = top_indices(scores, k)
                scores = scores[local]
            found_rows.append(view.offset + local)
            found_scores.append(scores.astype(np.float32))
        rows, scores = np.concatenate(found_rows), np.concatenate(found_scores)
        top = top_indices(scores, k)
        return rows[top], scores[top]

    def install_vectors(self, vectors: dict[str, np.ndarray]) -> int:
        """Put known vectors in place (the flag flips after the vector is written); returns how many rows got one."""
        placed = 0
        for view in self.views:
            if view.vectors is None or view.has is None:
                continue
            ids = view.seg.a["chunk_id"]
            for local in np.flatnonzero(~view.has).tolist():
                vec = vectors.get(bytes(ids[local]).decode("ascii"))
                if vec is not None:
                    view.vectors[local] = vec
                    view.has[local] = True
                    placed += 1
        return placed

    def carry_vectors(self, previous: Snapshot, segments: set[str]) -> int:
        """Copy vectors of the same chunk ids from `previous` into the named (new) segments."""
        if not self.dim or previous.dim != self.dim:
            return 0
        found: dict[str, np.ndarray] = {}
        deleted: dict[str, np.ndarray] | None = None
        for view in self.views:
            if view.seg.name not in segments:
                continue
            for local in range(view.seg.rows):
                cid = view.seg.chunk_id(local)
                row = previous.row_of.get(cid)
                if row is not None:
                    old, old_local = previous.locate(row)
                    if old.has is not None and old.vectors is not None and old.has[old_local]:
                        found[cid] = old.vectors[old_local]
                    continue
                # A report deleted and uploaded again: its old rows are tombstoned but still hold their vectors.
                deleted = previous.deleted_vectors() if deleted is None else deleted
                if cid in deleted:
                    found[cid] = deleted[cid]
        return self.install_vectors(found)

    def deleted_vectors(self) -> dict[str, np.ndarray]:
        """chunk id -> vector of the tombstoned rows that still have one (few: merges drop them)."""
        out: dict[str, np.ndarray] = {}
        for view in self.views:
            if view.has is None or view.vectors is None:
                continue
            for local in np.flatnonzero(~view.alive & view.has).tolist():
                out[view.seg.chunk_id(local)] = view.vectors[local]
        return out

    def missing_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(rows, span lengths) of live rows with no vector yet."""
        rows, lengths = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for view in self.views:
            if view.has is not None:
                local = np.flatnonzero(view.alive & ~view.has)
                rows.append(view.offset + local)
                lengths.append((view.seg.a["end"][local] - view.seg.a["start"][local]).astype(np.int64))
        return np.concatenate(rows), np.concatenate(lengths)
