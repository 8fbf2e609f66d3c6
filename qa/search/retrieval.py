"""Hybrid retrieval: FAISS cosine + BM25, fused, with a soft preference for place and year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embeddings.encoder import Encoder
from qa.index.snapshot import Snapshot
from qa.lang.places import PlaceMatcher
from qa.lang.query import QueryInfo, report_years_for
from qa.records import Document, Filters

CANDIDATES = 100
RRF_K = 60


@dataclass(frozen=True)
class Hit:
    row: int
    score: float
    dense: float | None  # cosine similarity, None in lexical mode
    lexical: float  # raw BM25 score


@dataclass(frozen=True)
class RetrievalConfig:
    fusion: str = "weighted"  # "rrf" | "weighted"; weighted won on eval/dev_qa.jsonl (see BENCHMARKS.md)
    dense_weight: float = 0.5
    lexical_weight: float = 1.0
    region_boost: float = 0.03
    parent_boost: float = 0.01
    year_boost: float = 0.015


def allowed_rows(snap: Snapshot, filters: Filters, matcher: PlaceMatcher) -> np.ndarray | None:
    """Row ids permitted by explicit filters, or None for no restriction."""
    if filters.empty:
        return None
    regions = {matcher.canonical(r) for r in filters.regions}
    keep = []
    for doc in snap.documents.values():
        if filters.doc_ids and doc.doc_id not in filters.doc_ids:
            continue
        if regions and doc.region not in regions and matcher.canonical(doc.region) not in regions:
            continue
        if filters.years and doc.year not in filters.years:
            continue
        keep.append(snap.rows_by_doc.get(doc.doc_id, np.zeros(0, np.int64)))
    return np.concatenate(keep) if keep else np.zeros(0, np.int64)


def doc_prior(doc: Document, info: QueryInfo, matcher: PlaceMatcher, cfg: RetrievalConfig) -> float:
    """Bonus for reports from the place and year the question names."""
    bonus = 0.0
    if info.regions:
        if doc.region in info.regions:
            bonus += cfg.region_boost
        elif matcher.parent(doc.region) in info.regions or doc.region in {matcher.parent(r) for r in info.regions}:
            bonus += cfg.parent_boost
    if info.years and doc.year is not None:
        if any(doc.year in report_years_for(y) for y in info.years):
            bonus += cfg.year_boost
    return bonus


def retrieve(
    snap: Snapshot, encoder: Encoder | None, question: str, info: QueryInfo, filters: Filters,
    matcher: PlaceMatcher, k: int, cfg: RetrievalConfig | None = None,
) -> list[Hit]:
    """The k best passages for the question, best first."""
    cfg = cfg or RetrievalConfig()
    rows = allowed_rows(snap, filters, matcher)
    if rows is not None and len(rows) == 0:
        return []
    lex_all = snap.lexical.scores(question)
    lex_rows = rows if rows is not None else np.arange(len(snap.chunks))
    lex_scores = lex_all[lex_rows]
    order = np.argsort(-lex_scores, kind="stable")[:CANDIDATES]
    lex_rank = {int(lex_rows[i]): r for r, i in enumerate(order) if lex_scores[i] > 0}
    dense_score: dict[int, float] = {}
    dense_rank: dict[int, int] = {}
    use_dense = encoder is not None and snap.dense is not None
    if use_dense:
        qvec = encoder.encode_queries([question])[0]  # type: ignore[union-attr]
        scores, ids = snap.dense.search(qvec, CANDIDATES, rows)  # type: ignore[union-attr]
        for r, (s, i) in enumerate(zip(scores, ids, strict=True)):
            dense_rank[int(i)] = r
            dense_score[int(i)] = float(s)
    candidates = set(lex_rank) | set(dense_rank)
    if not candidates:
        return []
    fused = _fuse(candidates, dense_rank, dense_score, lex_rank, lex_all, cfg, use_dense)
    priors = {d: doc_prior(doc, info, matcher, cfg) for d, doc in snap.documents.items()}
    hits = []
    for row, score in fused.items():
        chunk = snap.chunks[row]
        score += priors[chunk.doc_id]
        dense = dense_score.get(row)
        if use_dense and dense is None:
            dense = float(snap.vectors[row] @ qvec)  # type: ignore[index]
        hits.append(Hit(row, score, dense, float(lex_all[row])))
    hits.sort(key=lambda h: (-h.score, h.row))
    return hits[:k]


def _fuse(
    candidates: set[int], dense_rank: dict[int, int], dense_score: dict[int, float],
    lex_rank: dict[int, int], lex_all: np.ndarray, cfg: RetrievalConfig, use_dense: bool,
) -> dict[int, float]:
    if cfg.fusion == "rrf" or not use_dense:
        return {
            row: cfg.dense_weight * (1.0 / (RRF_K + dense_rank[row]) if row in dense_rank else 0.0)
            + cfg.lexical_weight * (1.0 / (RRF_K + lex_rank[row]) if row in lex_rank else 0.0)
            for row in candidates
        }
    # Weighted: min-max within the candidate lists, scaled to RRF's range so priors mean the same.
    d_vals = np.array(list(dense_score.values()) or [0.0])
    l_max = float(max((lex_all[r] for r in lex_rank), default=0.0)) or 1.0
    d_lo, d_hi = float(d_vals.min()), float(d_vals.max())
    span = (d_hi - d_lo) or 1.0
    scale = 2.0 / RRF_K
    return {
        row: scale * (
            cfg.dense_weight * ((dense_score[row] - d_lo) / span if row in dense_score else 0.0)
            + cfg.lexical_weight * float(lex_all[row]) / l_max
        ) / (cfg.dense_weight + cfg.lexical_weight)
        for row in candidates
    }
