"""Across years: for one place, the best passage of each report-year, with the figures of its best sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.index.snapshot import Snapshot
from qa.ingest.chunking import sentences
from qa.lang.figures import figures
from qa.lang.places import NATIONAL, PlaceMatcher
from qa.lang.query import YEAR
from qa.lang.synonyms import expand_query
from qa.lang.tokens import tokenize
from qa.records import Document, Filters, TimelineEntry
from qa.search.ask import passage_at
from qa.search.retrieval import RetrievalConfig, rank_rows
from qa.search.scope import Scope, filter_documents

# Words that ask for a series rather than name the metric.
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


def metric_terms(question: str, matcher: PlaceMatcher) -> list[str]:
    topic = _SERIES.sub(" ", YEAR.sub(" ", matcher.strip(question)))
    return tokenize(expand_query(topic))


def entries(snap: Snapshot, query_vec: np.ndarray | None, docs: list[Document], terms: list[str],
            phase: str | None = None, cfg: RetrievalConfig | None = None) -> list[TimelineEntry]:
    """The best passage of each report (a target question prefers the plan part, an outcome one the review)."""
    cfg = cfg or RetrievalConfig()
    weights = snap.idf(terms)
    out = []
    for doc in docs:
        scope = Scope((doc.doc_id,), phase=phase)
        hits = rank_rows(snap, query_vec, weights, snap.rows_of([doc.doc_id]), scope, cfg)[:5]
        if not hits:
            continue
        best = max(hits, key=lambda h: (h.score + 0.01 * _has_figure(snap, h.row, terms), -h.row))
        passage = passage_at(snap, best.row, 1, best.score)
        sentence = best_sentence(passage.text, terms)
        out.append(TimelineEntry(doc.year or 0, passage, sentence, figures(best_clause(sentence, terms))))
    return out


def _has_figure(snap: Snapshot, row: int, terms: list[str]) -> float:
    return 1.0 if figures(best_sentence(snap.chunk(row).text, terms)) else 0.0


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
