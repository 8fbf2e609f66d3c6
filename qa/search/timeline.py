"""Across years: for one place, the best passage of each report-year, with the figures of its best sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.core.records import Document, Filters, TimelineEntry
from qa.index.snapshot import Snapshot
from qa.ingest.chunking import sentences
from qa.lang.figures import figures
from qa.lang.places import NATIONAL, PlaceMatcher
from qa.lang.query import YEAR
from qa.lang.stance import stance
from qa.lang.synonyms import expand_query
from qa.lang.tokens import tokenize
from qa.search.ask import passage_at, wording_weights
from qa.search.asks import coverage
from qa.search.phase import phase_of
from qa.search.retrieval import Hit, RetrievalConfig, rank_rows
from qa.search.scope import Scope, filter_documents

# Words that ask for a series rather than name the metric.
# Words that say which figure is wanted (the plan's or the result), not which metric: stance() reads those.
_STANCE_WORDS = re.compile(r"预期目标|目标|预期|计划|实际|完成|实现")
# How many of a report's best passages compete on the figure they give.
CANDIDATES = 8
# Per level of fit: a passage that gives the figure as asked outranks a better-matching one that doesn't.
FIT_BONUS = 0.01

_SERIES = re.compile(r"历年|每年|各年|逐年|这些年|多年来|以来|历次|变化|趋势|近\S{1,2}年|分别|是多少|多少")


@dataclass(frozen=True)
class Request:
    question: str
    region: str | None = None
    year_from: int | None = None
    year_to: int | None = None


def place_of(request: Request, matcher: PlaceMatcher) -> str:
    """The region asked for: explicit, else the first place in the question, else the national level."""
    if request.region:
        return matcher.canonical(request.region)
    found = matcher.find(request.question)
    return found[0] if found else NATIONAL


def reports(snap: Snapshot, region: str, request: Request, matcher: PlaceMatcher) -> list[Document]:
    """The place's reports in year order (one per year: the longest when a year has two texts)."""
    filters = Filters(regions=(region,) if region != NATIONAL else (), levels=("national",) if region == NATIONAL else (),
                      year_from=request.year_from, year_to=request.year_to)
    by_year: dict[int, Document] = {}
    for doc in filter_documents(list(snap.documents.values()), filters, matcher):
        if doc.year is not None and (doc.year not in by_year or len(doc.text) > len(by_year[doc.year].text)):
            by_year[doc.year] = doc
    return [by_year[y] for y in sorted(by_year)]


def metric_topic(question: str, matcher: PlaceMatcher) -> str:
    """The question without its place, years and series words: the metric it follows across years."""
    return _SERIES.sub(" ", YEAR.sub(" ", matcher.strip(question)))


def entries(snap: Snapshot, query_vec: np.ndarray | None, docs: list[Document], topic: str,
            phase: str | None = None, cfg: RetrievalConfig | None = None) -> list[TimelineEntry]:
    """The best passage of each report: among its best few, one whose sentence gives the metric's figure
    in the stance the question asks (a target question wants the year's plan, an outcome one the review)."""
    cfg = cfg or RetrievalConfig()
    terms = tokenize(expand_query(topic))
    weights = snap.idf(terms)
    # How much of the metric a clause names, in any one of its wordings (GDP, 国内生产总值, 经济增长).
    metric = _STANCE_WORDS.sub(" ", topic)
    wordings = wording_weights(snap, metric)
    out = []
    for doc in docs:
        scope = Scope((doc.doc_id,), phase=phase)
        hits = rank_rows(snap, query_vec, weights, snap.rows_of([doc.doc_id]), scope, cfg, CANDIDATES)
        if not hits:
            continue
        readings = [_reading(snap, h.row, terms, wordings, doc.year) for h in hits]
        best_i = _best(hits, readings, phase)
        best, reading = hits[best_i], readings[best_i]
        passage = passage_at(snap, best.row, 1, best.score)
        out.append(TimelineEntry(doc.year or 0, passage, reading.sentence, figures(reading.clause)))
    return out


def _best(hits: list[Hit], readings: list[_Reading], phase: str | None) -> int:
    """The retrieval score plus the fit bonus, scaled by how fully the clause names the metric relative to the
    best-named figure of this report, squared: a figure of a neighbouring metric ("居民人均可支配收入" for
    "一般公共预算收入") must not win on its stance alone."""
    top = max((r.coverage for r in readings if r.has_figure), default=0.0) or 1.0

    def value(i: int) -> tuple[float, int]:
        return hits[i].score + FIT_BONUS * readings[i].fit(phase) * (readings[i].coverage / top) ** 2, -hits[i].row

    return max(range(len(hits)), key=value)


@dataclass(frozen=True)
class _Reading:
    """A passage's best sentence for the metric, its figure clause, and what that sentence states."""

    sentence: str
    clause: str
    coverage: float  # the share of the metric's wording that the clause (with its subject) names
    has_figure: bool
    stance: str | None

    def fit(self, phase: str | None) -> int:
        """2 when the clause gives a figure in the stance asked for; 1 when the sentence doesn't place it,
        or it is a change rather than a level; 0 for a figure of other years, or none."""
        if not self.has_figure or not self.coverage or self.stance == "span":
            return 0
        if self.stance == "change":  # whatever the phase: a difference is never the level asked for
            return 1
        if phase is None or self.stance == phase:
            return 2
        return 1 if self.stance is None else 0


def _reading(snap: Snapshot, row: int, terms: list[str], wordings: list[dict[str, float]], year: int | None) -> _Reading:
    sentence = best_sentence(snap.chunk(row).text, terms)
    clause = best_clause(sentence, terms)
    covered = max((coverage(w, _with_subject(sentence, clause)) for w in wordings), default=0.0)
    # An unmarked figure ("国内生产总值达到67.7万亿元，增长6.9%") takes the stance of its part of the report.
    said = stance(clause, sentence, year) or phase_of(*snap.section_and_head(row))
    return _Reading(sentence, clause, covered, bool(figures(clause)), said)


def _with_subject(sentence: str, clause: str) -> str:
    """The clause with the one before it, which often holds its subject ("国内生产总值达到…，增长6.9%")."""
    at = sentence.find(clause)
    before = re.split(r"[，,：:；;、]", sentence[:at].rstrip("，,：:；;、"))[-1] if at > 0 else ""
    return before + clause


def best_sentence(text: str, terms: list[str]) -> str:
    """The sentence with most metric terms, preferring one with a figure."""
    flat = text.replace("\n", "")
    scored = []
    for a, b in sentences(flat):
        sent = flat[a:b].strip()
        hits = sum(1 for t in set(terms) if t in sent.lower())
        scored.append((hits + (0.5 if figures(sent) else 0.0), -a, sent))
    return max(scored)[2] if scored else flat


def best_clause(sentence: str, terms: list[str]) -> str:
    """The comma-clause that names the metric and gives a figure ("城镇新增就业1100万人以上" of a target list)."""
    clauses = [c for c in re.split(r"[，,：:、]", sentence) if c.strip()] or [sentence]

    def rank(item: tuple[int, str]) -> tuple[bool, int, bool, int]:
        i, clause = item
        hits = sum(1 for t in set(terms) if t in clause.lower())
        has = bool(figures(clause))
        return hits > 0 and has, hits, has, -i

    return max(enumerate(clauses), key=rank)[1]
