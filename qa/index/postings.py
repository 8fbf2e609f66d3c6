"""BM25 postings of one segment (CSR: term -> rows, term frequencies), scored with corpus-wide statistics.

Statistics (passage count, average length, document frequencies) are taken over the live rows of *all*
segments at query time, so scores are exact BM25 whatever the segmentation and after deletes.
Chosen over tantivy, bm25s and SQLite FTS5 by measurement on the whole corpus (see BENCHMARKS.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

K1 = 1.2
B = 0.75


class Postings:
    def __init__(self, terms: list[str], indptr: np.ndarray, rows: np.ndarray, tfs: np.ndarray,
                 doclen: np.ndarray) -> None:
        self.terms = terms
        self.term_id = {t: i for i, t in enumerate(terms)}
        self.indptr = indptr
        self.rows = rows
        self.tfs = tfs
        self.doclen = doclen
        self._norm_key = -1.0
        self._norm = np.zeros(0, np.float32)

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]]) -> Postings:
        """Postings from the token lists of the segment's rows, in row order."""
        vocab: dict[str, int] = {}
        term_col: list[int] = []
        row_col: list[int] = []
        for row, tokens in enumerate(docs):
            for token in tokens:
                term_col.append(vocab.setdefault(token, len(vocab)))
                row_col.append(row)
        doclen = np.asarray([len(t) for t in docs], dtype=np.int32)
        terms = sorted(vocab)
        if not term_col:
            return cls(terms, np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.uint16), doclen)
        remap = np.empty(len(vocab), np.int64)
        remap[[vocab[t] for t in terms]] = np.arange(len(terms))
        keys = remap[np.asarray(term_col, np.int64)] * (len(docs) + 1) + np.asarray(row_col, np.int64)
        uniq, counts = np.unique(keys, return_counts=True)
        return cls._from_keys(terms, uniq, counts, len(docs) + 1, doclen)

    @classmethod
    def _from_keys(cls, terms: list[str], keys: np.ndarray, tfs: np.ndarray, stride: int, doclen: np.ndarray) -> Postings:
        term_of = keys // stride
        indptr = np.zeros(len(terms) + 1, np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(terms)), out=indptr[1:])
        return cls(terms, indptr, (keys % stride).astype(np.int32), np.minimum(tfs, 65535).astype(np.uint16), doclen)

    @classmethod
    def merge(cls, parts: Sequence[tuple[Postings, np.ndarray]]) -> Postings:
        """One segment's postings from the kept rows (`keep` masks) of several, renumbering rows in order."""
        terms = sorted(set().union(*(p.terms for p, _ in parts)))
        tid = {t: i for i, t in enumerate(terms)}
        total = sum(int(keep.sum()) for _, keep in parts)
        stride = total + 1
        keys, tfs, lens = [], [], []
        offset = 0
        for post, keep in parts:
            new_row = np.cumsum(keep) - 1 + offset
            mapping = np.fromiter((tid[t] for t in post.terms), np.int64, len(post.terms))
            term_col = np.repeat(mapping, np.diff(post.indptr))
            kept = keep[post.rows]
            keys.append(term_col[kept] * stride + new_row[post.rows[kept]])
            tfs.append(post.tfs[kept])
            lens.append(post.doclen[keep])
            offset += int(keep.sum())
        all_keys = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        order = np.argsort(all_keys, kind="stable")
        merged = cls._from_keys(terms, all_keys[order], np.concatenate(tfs)[order] if tfs else np.zeros(0, np.uint16),
                                stride, np.concatenate(lens) if lens else np.zeros(0, np.int32))
        used = np.diff(merged.indptr) > 0
        if used.all():
            return merged
        kept_terms = [t for t, u in zip(terms, used.tolist(), strict=True) if u]
        indptr = np.concatenate([[0], np.cumsum(np.diff(merged.indptr)[used])]).astype(np.int64)
        return cls(kept_terms, indptr, merged.rows, merged.tfs, merged.doclen)

    def save(self, folder: Path) -> None:
        (folder / "terms.json").write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
        np.save(folder / "indptr.npy", self.indptr)
        np.save(folder / "post_rows.npy", self.rows)
        np.save(folder / "post_tfs.npy", self.tfs)
        np.save(folder / "doclen.npy", self.doclen)

    @classmethod
    def load(cls, folder: Path) -> Postings:
        terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        return cls(terms, np.load(folder / "indptr.npy"), np.load(folder / "post_rows.npy"),
                   np.load(folder / "post_tfs.npy"), np.load(folder / "doclen.npy"))

    # ----- scoring -------------------------------------------------------------------------
    def posting(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        tid = self.term_id.get(term)
        if tid is None:
            return np.zeros(0, np.int32), np.zeros(0, np.uint16)
        a, b = int(self.indptr[tid]), int(self.indptr[tid + 1])
        return self.rows[a:b], self.tfs[a:b]

    def live_df(self, term: str, alive: np.ndarray | None) -> int:
        rows, _ = self.posting(term)
        return len(rows) if alive is None else int(alive[rows].sum())

    def norm(self, avgdl: float) -> np.ndarray:
        if avgdl != self._norm_key:
            self._norm = (K1 * (1 - B + B * self.doclen.astype(np.float32) / max(avgdl, 1e-6))).astype(np.float32)
            self._norm_key = avgdl
        return self._norm

    def scores(self, weights: dict[str, float], avgdl: float, subset: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every row (or of the sorted local rows in `subset`) given per-term idf weights."""
        norm = self.norm(avgdl)
        out = np.zeros(len(self.doclen) if subset is None else len(subset), np.float32)
        for term, weight in weights.items():
            rows, tfs = self.posting(term)
            if not len(rows):
                continue
            if subset is not None:
                pos = np.searchsorted(subset, rows)
                hit = (pos < len(subset)) & (subset[np.minimum(pos, len(subset) - 1)] == rows)
                rows, tfs, where = rows[hit], tfs[hit], pos[hit]
            else:
                where = rows
            tf = tfs.astype(np.float32)
            out[where] += np.float32(weight * (K1 + 1)) * tf / (tf + norm[rows])
        return out
