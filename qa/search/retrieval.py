"""Hybrid retrieval: BM25 and dense cosine over the question's scope, fused, with report priors.

Within a scope (the reports a question names: usually a handful) every passage is scored exactly, both
ways. Over the whole corpus each side contributes its best CANDIDATES and the union is fused. A question
that names several places or years is answered target by target, so each named report is represented.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from embeddings.vector_index import top_indices
from qa.index.snapshot import Snapshot
from qa.search.phase import phase_of
from qa.search.scope import Scope

CANDIDATES = 100
# The query's vector, or a call that waits for it: BM25 then scores while the encoder still runs.
QueryVector = np.ndarray | None | Callable[[], np.ndarray | None]
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
    # Bonus, for a 多少 question, in proportion to how much of it one clause giving a figure says (figure_clause.py);
    # chosen from 0.003–0.03 and 10 or 20 passages on the tuning halves.
    figure_clause_weight: float = 0.01
    figure_clause_depth: int = 10


def retrieve(snap: Snapshot, query_vec: QueryVector, weights: dict[str, float], scope: Scope, k: int,
             cfg: RetrievalConfig | None = None) -> list[Hit]:
    """The k best passages, best first: per target when there are several, else over the scope."""
    cfg = cfg or RetrievalConfig()
    if scope.targets:
        per_target = [rank_rows(snap, query_vec, weights, snap.rows_of(t.doc_ids),
                                scope if t.prior is None else replace(scope, prior=t.prior), cfg, k) for t in scope.targets]
        hits = _interleave(per_target)
    else:
        rows = snap.rows_of(scope.doc_ids) if scope.doc_ids is not None else None
        hits = rank_rows(snap, query_vec, weights, rows, scope, cfg, k)
        if rows is not None and len(hits) < k:
            seen = {h.row for h in hits}
            hits += [h for h in rank_rows(snap, query_vec, weights, None, Scope(None), cfg, k) if h.row not in seen]
    return hits[:k]


def rank_rows(snap: Snapshot, query_vec: QueryVector, weights: dict[str, float], rows: np.ndarray | None,
              scope: Scope, cfg: RetrievalConfig, limit: int | None = None) -> list[Hit]:
    """The scope's passages ranked by fused score plus their report, phase, year and phrase bonuses; with `limit`,
    exactly the best `limit` of them (the bonuses are only read for candidates that can still reach them).
    A callable `query_vec` is called once BM25 has scored, and must give the same vector each time."""
    if rows is not None and not len(rows):
        return []
    lex_rows, lex = snap.lexical(weights, rows)
    if callable(query_vec):
        query_vec = query_vec()
    none = (np.zeros(0, np.int64), np.zeros(0, np.float32))
    if rows is None:  # whole corpus: each side's best candidates
        lex_keep = lex > 0
        lex_rows, lex = lex_rows[lex_keep], lex[lex_keep]
        top = top_indices(lex, CANDIDATES)
        lex_rows, lex = lex_rows[top], lex[top]
        dense_rows, dense = snap.dense_top(query_vec, CANDIDATES) if query_vec is not None else none
    else:
        dense_rows, dense = snap.dense(query_vec, rows) if query_vec is not None else none
    candidates = _union(dense_rows, lex_rows[lex > 0])
    if not len(candidates):
        return []
    dense_at, has_dense = _align(candidates, dense_rows, dense)
    lex_at, _ = _align(candidates, lex_rows, lex)
    fused = _fuse(dense_at, has_dense, lex_at, cfg)
    prior = snap.per_document(candidates, scope.prior) if scope.prior else np.zeros(len(candidates))
    # Best possible first: once the next candidate's fused score, prior and every other bonus stay below the
    # `limit`-th best score so far, no later one can rank. Over a year's hundreds of reports this leaves the
    # sections of tens of thousands of passages unread.
    upper = fused + prior + _most_bonus(scope, cfg)
    best: list[float] = []  # the `limit` best scores so far, as a min-heap
    top_prior = max(scope.prior.values(), default=0.0)
    hits = []
    for i in np.argsort(-upper, kind="stable").tolist():
        if limit is not None and len(best) >= limit and upper[i] + 1e-12 < best[0]:
            break
        row = int(candidates[i])
        score = float(fused[i]) + _bonus(snap, row, float(prior[i]), top_prior, scope, cfg)
        hits.append(Hit(row, score, float(dense_at[i]) if has_dense[i] else None, float(lex_at[i])))
        if limit is not None:
            heapq.heappush(best, score)
            if len(best) > limit:
                heapq.heappop(best)
    hits.sort(key=lambda h: (-h.score, h.row))
    return hits[:limit] if limit is not None else hits


def _most_bonus(scope: Scope, cfg: RetrievalConfig) -> float:
    """The largest bonus a passage can get on top of its report's prior."""
    return ((cfg.phase_weight if scope.phase else 0.0) + (cfg.year_weight if scope.year_marks else 0.0)
            + (cfg.phrase_weight if scope.phrases else 0.0))


def _bonus(snap: Snapshot, row: int, prior: float, top_prior: float, scope: Scope, cfg: RetrievalConfig) -> float:
    """The report's prior plus the bonuses for the part of the report, the year's section and quoted names."""
    bonus = prior
    if (scope.phase and cfg.phase_weight) or (scope.year_marks and cfg.year_weight):
        section, head = snap.section_and_head(row)
        # The part of a report the intent points at counts in the report it points at: an outcome asked about 2020
        # wants the review in the 2021 report, not the 2020 report's review of 2019.
        if scope.phase and phase_of(section, head) == scope.phase and bonus >= top_prior:
            bonus += cfg.phase_weight
        if any(mark in section for mark in scope.year_marks):
            bonus += cfg.year_weight
        elif scope.horizon and _ONE_YEAR.search(section):
            bonus -= cfg.horizon_weight  # "2021年全区…主要预期目标" plans one year, not the horizon asked
    if scope.phrases and cfg.phrase_weight:
        text = snap.chunk(row).text.replace("\n", "")
        bonus += cfg.phrase_weight * sum(p in text for p in scope.phrases) / len(scope.phrases)
    return bonus


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The sorted distinct rows of both (np.union1d, whose hashing took 5 ms over a year's reports)."""
    both = np.sort(np.concatenate([a, b]).astype(np.int64))
    return both[np.concatenate([[True], both[1:] != both[:-1]])] if len(both) else both


def _align(candidates: np.ndarray, rows: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`values` (float64) at the sorted `candidates`, and whether each had one (0.0 where not)."""
    out = np.zeros(len(candidates), np.float64)
    if not len(rows):
        return out, np.zeros(len(candidates), bool)
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    pos = np.minimum(np.searchsorted(ordered, candidates), len(rows) - 1)
    found = ordered[pos] == candidates
    out[found] = values[order][pos[found]].astype(np.float64)
    return out, found


def _fuse(dense: np.ndarray, has_dense: np.ndarray, lexical: np.ndarray, cfg: RetrievalConfig) -> np.ndarray:
    """Dense min-max normalised over the candidates, BM25 divided by its maximum; weighted mean, scaled so
    report priors mean the same across questions."""
    lex_max = float(lexical.max(initial=0.0)) or 1.0
    if not has_dense.any():
        return 2.0 / 60 * lexical / lex_max
    d_lo, d_hi = float(dense[has_dense].min()), float(dense[has_dense].max())
    span = (d_hi - d_lo) or 1.0
    total = cfg.dense_weight + cfg.lexical_weight
    normal = np.where(has_dense, (dense - d_lo) / span, 0.0)
    return 2.0 / 60 * (cfg.dense_weight * normal + cfg.lexical_weight * lexical / lex_max) / total


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
