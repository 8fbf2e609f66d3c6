"""Hybrid retrieval: BM25 and dense cosine over the question's scope, fused, with report priors.

Within a scope (the reports a question names: usually a handful) every passage is scored exactly, both
ways. Over the whole corpus each side contributes its best CANDIDATES and the union is fused. A question
that names several places or years is answered target by target, so each named report is represented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from qa.index.snapshot import Snapshot
from qa.search.phase import phase_of
from qa.search.scope import Scope

CANDIDATES = 100
_ONE_YEAR = re.compile(r"(?:19|20)\d{2}年")


@dataclass(frozen=True)
class Hit:
    row: int
    score: float
    dense: float | None  # cosine similarity; None when the passage has no vector (or lexical mode)
    lexical: float  # raw BM25 score


@dataclass(frozen=True)
class RetrievalConfig:
    dense_weight: float = 0.5
    lexical_weight: float = 1.0  # weighted fusion won over RRF on eval/dev_qa.jsonl (see BENCHMARKS.md)
    phase_weight: float = 0.006  # bonus for a passage in the part of the report the intent points at (tuned: README)
    year_weight: float = 0.004  # bonus for a passage whose section names the year asked about (一、2013年工作回顾)
    # Bonus for a passage that says a quoted name verbatim ("“22688”交通大会战"): BM25 splits the name into
    # tokens that many reports share, and cannot tell "22688" the programme from 22688 anywhere in a sentence.
    phrase_weight: float = 0.01
    horizon_weight: float = 0.006  # penalty, under a question about a plan horizon, for a heading naming one year


def retrieve(snap: Snapshot, query_vec: np.ndarray | None, weights: dict[str, float], scope: Scope, k: int,
             cfg: RetrievalConfig | None = None) -> list[Hit]:
    """The k best passages, best first: per target when there are several, else over the scope."""
    cfg = cfg or RetrievalConfig()
    if scope.targets:
        per_target = [rank_rows(snap, query_vec, weights, snap.rows_of(t.doc_ids),
                                scope if t.prior is None else replace(scope, prior=t.prior), cfg) for t in scope.targets]
        hits = _interleave(per_target)
    else:
        rows = snap.rows_of(scope.doc_ids) if scope.doc_ids is not None else None
        hits = rank_rows(snap, query_vec, weights, rows, scope, cfg)
        if rows is not None and len(hits) < k:
            seen = {h.row for h in hits}
            hits += [h for h in rank_rows(snap, query_vec, weights, None, Scope(None), cfg) if h.row not in seen]
    return hits[:k]


def rank_rows(snap: Snapshot, query_vec: np.ndarray | None, weights: dict[str, float], rows: np.ndarray | None,
            scope: Scope, cfg: RetrievalConfig) -> list[Hit]:
    if rows is not None and not len(rows):
        return []
    lex_rows, lex = snap.lexical(weights, rows)
    none = (np.zeros(0, np.int64), np.zeros(0, np.float32))
    if rows is None:  # whole corpus: each side's best candidates
        lex_keep = lex > 0
        lex_rows, lex = lex_rows[lex_keep], lex[lex_keep]
        top = np.argsort(-lex, kind="stable")[:CANDIDATES]
        lex_rows, lex = lex_rows[top], lex[top]
        dense_rows, dense = snap.dense_top(query_vec, CANDIDATES) if query_vec is not None else none
    else:
        dense_rows, dense = snap.dense(query_vec, rows) if query_vec is not None else none
    lex_of = dict(zip(lex_rows.tolist(), lex.tolist(), strict=True))
    dense_of = dict(zip(dense_rows.tolist(), dense.tolist(), strict=True))
    candidates = set(dense_of) | {r for r, s in lex_of.items() if s > 0}
    if not candidates:
        return []
    fused = _fuse(candidates, dense_of, lex_of, cfg)
    # The part of a report the intent points at counts in the report it points at: an outcome asked about 2020 wants
    # the review in the 2021 report, not the 2020 report's review of 2019.
    top_prior = max(scope.prior.values(), default=0.0)
    hits = []
    for row, score in fused.items():
        doc = snap.document_of(row)
        bonus = scope.prior.get(doc.doc_id, 0.0)
        if (scope.phase and cfg.phase_weight) or (scope.year_marks and cfg.year_weight):
            section, head = snap.section_and_head(row)
            if scope.phase and phase_of(section, head) == scope.phase and bonus >= top_prior:
                bonus += cfg.phase_weight
            if any(mark in section for mark in scope.year_marks):
                bonus += cfg.year_weight
            elif scope.horizon and _ONE_YEAR.search(section):
                bonus -= cfg.horizon_weight  # "2021年全区…主要预期目标" plans one year, not the horizon asked
        if scope.phrases and cfg.phrase_weight:
            text = snap.chunk(row).text.replace("\n", "")
            bonus += cfg.phrase_weight * sum(p in text for p in scope.phrases) / len(scope.phrases)
        hits.append(Hit(row, score + bonus, dense_of.get(row), lex_of.get(row, 0.0)))
    hits.sort(key=lambda h: (-h.score, h.row))
    return hits


def _fuse(candidates: set[int], dense: dict[int, float], lexical: dict[int, float], cfg: RetrievalConfig) -> dict[int, float]:
    """Dense min-max normalised over the candidates, BM25 divided by its maximum; weighted mean, scaled so
    report priors mean the same across questions."""
    lex_max = max(lexical.values(), default=0.0) or 1.0
    if not dense:
        return {row: 2.0 / 60 * lexical.get(row, 0.0) / lex_max for row in candidates}
    d_lo, d_hi = min(dense.values()), max(dense.values())
    span = (d_hi - d_lo) or 1.0
    total = cfg.dense_weight + cfg.lexical_weight
    return {
        row: 2.0 / 60 * (cfg.dense_weight * ((dense[row] - d_lo) / span if row in dense else 0.0)
                         + cfg.lexical_weight * lexical.get(row, 0.0) / lex_max) / total
        for row in candidates
    }


def _interleave(lists: list[list[Hit]]) -> list[Hit]:
    """Round-robin over targets, so the best passage of each named report comes first."""
    out: list[Hit] = []
    seen: set[int] = set()
    for i in range(max((len(x) for x in lists), default=0)):
        for hits in lists:
            if i < len(hits) and hits[i].row not in seen:
                seen.add(hits[i].row)
                out.append(hits[i])
    return out
