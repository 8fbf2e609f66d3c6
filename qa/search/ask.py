"""The ask pipeline: follow-up rewriting, query parsing, retrieval, then the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.encoder import Encoder
from qa.index.snapshot import Snapshot
from qa.lang.places import PlaceMatcher
from qa.lang.query import parse_query
from qa.records import Citation, Filters, Passage, Turn
from qa.search import answer as ans
from qa.search.followup import rewrite
from qa.search.retrieval import RetrievalConfig, retrieve


@dataclass(frozen=True)
class Response:
    """What the pipeline found; the service adds timing and mode."""

    passages: tuple[Passage, ...]
    verdict: ans.Verdict
    rewritten: str | None


def passage_at(snap: Snapshot, row: int, rank: int, score: float) -> Passage:
    chunk = snap.chunks[row]
    doc = snap.documents[chunk.doc_id]
    page, last = doc.page_at(chunk.start), doc.page_at(chunk.end - 1)
    cite = Citation(doc.doc_id, doc.title, doc.source, chunk.section, chunk.start, chunk.end, page,
                    last if last != page else None)
    return Passage(rank=rank, score=round(score, 6), text=chunk.text, chunk_id=chunk.chunk_id, citation=cite)


def run(
    snap: Snapshot, encoder: Encoder | None, matcher: PlaceMatcher, question: str, top_k: int,
    filters: Filters, history: Sequence[Turn], config: RetrievalConfig, thresholds: ans.Thresholds,
) -> Response:
    rewritten = rewrite(question, history, matcher) if history else None
    effective = rewritten or question
    info = parse_query(effective, matcher)
    hits = retrieve(snap, encoder, effective, info, filters, matcher, max(top_k, 3), config)
    passages = tuple(passage_at(snap, h.row, i + 1, h.score) for i, h in enumerate(hits))
    terms = ans.question_terms(matcher.strip(effective))
    weights = snap.lexical.idf(terms)
    sections = [f"{p.citation.section}\n{p.text}" for p in passages[:3]]
    evidence = ans.Evidence(
        dense_top=max((h.dense for h in hits[:3] if h.dense is not None), default=None),
        coverage=max((ans.coverage(weights, s) for s in sections), default=0.0),
        unknown_place=ans.unknown_place(info.regions, {d.region for d in snap.documents.values()}, matcher),
    )
    shown = passages[:top_k]  # the answer may only cite passages that are returned
    verdict = ans.decide(effective, [p.text for p in shown], weights, evidence, thresholds)
    return Response(shown, verdict, rewritten)
