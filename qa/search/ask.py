"""The ask pipeline: follow-up rewriting, query parsing, scope, retrieval, then the answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from embeddings.encoder import Encoder, start_query
from qa.core.records import Chunk, Citation, Filters, Passage, Turn
from qa.index.snapshot import Snapshot
from qa.lang.figures import gives_figure
from qa.lang.nouns import compounds, topic_nouns, unseen_nouns, wording_nouns
from qa.lang.places import PlaceMatcher, short_name
from qa.lang.query import QueryInfo, parse_query, plan_periods_ending, strip_years, year_in_chinese
from qa.lang.ranks import gives_rank
from qa.lang.script import as_read
from qa.lang.synonyms import expand_query, variants
from qa.lang.tokens import tokenize
from qa.lang.towns import town_stem
from qa.search import answer as ans
from qa.search import figure_clause, signals
from qa.search.asks import is_number_question, question_terms
from qa.search.followup import rewrite
from qa.search.given import part
from qa.search.retrieval import RetrievalConfig, retrieve
from qa.search.scope import Scope, filter_documents, resolve
from qa.search.topic import unmentioned, usage_of


@dataclass(frozen=True)
class Response:
    """What the pipeline found; the service adds timing and mode."""

    passages: tuple[Passage, ...]
    verdict: ans.Verdict
    rewritten: str | None
    info: QueryInfo
    scope: Scope
    evidence: ans.Evidence


def passage_at(snap: Snapshot, row: int, rank: int, score: float, chunk: Chunk | None = None) -> Passage:
    chunk = chunk or snap.chunk(row)
    doc = snap.document_of(row)
    page, last = doc.page_at(chunk.start), doc.page_at(chunk.end - 1)
    cite = Citation(doc.doc_id, doc.title, doc.source, chunk.section, chunk.start, chunk.end, page,
                    last if last != page else None)
    return Passage(rank=rank, score=round(score, 6), text=chunk.text, chunk_id=chunk.chunk_id, citation=cite)


def scope_for(snap: Snapshot, info: QueryInfo, filters: Filters, matcher: PlaceMatcher) -> Scope:
    """The question's scope within what the filters allow (NoMatch when they allow nothing)."""
    docs = filter_documents(list(snap.documents.values()), filters, matcher)
    scope = replace(resolve(info, docs, matcher), phrases=info.phrases)
    if not filters.empty and scope.doc_ids is None:
        scope = replace(scope, doc_ids=tuple(d.doc_id for d in docs))
    return scope


def pending_vector(encoder: Encoder | None, snap: Snapshot, text: str) -> Callable[[], np.ndarray | None]:
    """The query's vector, started now; calling the result waits for it (None without dense retrieval)."""
    if encoder is None or not snap.embedded:
        return lambda: None
    return start_query(encoder, text)


def query_vector(encoder: Encoder | None, snap: Snapshot, text: str) -> np.ndarray | None:
    return pending_vector(encoder, snap, text)()


EVIDENCE_HITS = 20  # passages looked at for the answerability signals (more than are shown)


def run(
    snap: Snapshot, encoder: Encoder | None, matcher: PlaceMatcher, question: str, top_k: int,
    filters: Filters, history: Sequence[Turn], config: RetrievalConfig, as_of: int | None = None,
    fitted: ans.Model | None = None,
) -> Response:
    # 今年/去年/明年 count from `as_of` (a reader of an old report asks as of its year), else from today.
    today = dt.date(as_of, 7, 1) if as_of else None
    question = as_read(question, matcher)
    history = [replace(turn, question=as_read(turn.question, matcher)) for turn in history]
    rewritten = rewrite(question, history, matcher, today) if history else None
    effective = rewritten or question
    # The query's vector computes while the question is parsed and its wordings weighed.
    vector = pending_vector(encoder, snap, effective)
    info = parse_query(effective, matcher, today)
    if as_of:
        # A caller who says when the question is asked has fixed 今年/去年/明年: no fallback to the newest report.
        info = replace(info, relative=False)
    scope = scope_for(snap, info, filters, matcher)
    # Places and years chose the scope; left in the BM25 query they would favour any passage that names them.
    topic = strip_years(matcher.strip(effective), keep=info.horizons)
    # A place searched for inside its ancestor's reports stays in the query: those passages name it.
    topic = " ".join([topic, *(short_name(place) for place, _ in scope.inner)])
    expanded = expand_query(topic)
    weights = snap.idf(tokenize(expanded))
    # Coverage asks how much of the question a passage says, in either wording, never in both at once.
    # The nouns of each wording, tagged once: the first wording is the question's own.
    nouns = wording_nouns(variants(topic))
    unseen = tuple(unseen_nouns(nouns[0], lambda term: signals.in_reports(snap, term)))
    # A noun no report uses is the rarest term of all, and certainly missing from every passage: dropped for its
    # zero idf, it would leave "萧山最低工资标准" asking only 标准 and fully covered by any 标准.
    wordings = [with_absent(w, unseen, snap.absent_idf) for w in wording_weights(snap, topic)]
    hits = retrieve(snap, vector, weights, scope, max(top_k, EVIDENCE_HITS), config)
    chunks: dict[int, Chunk] = {}  # rendered once, for the re-rank and the passages shown

    def chunk_of(row: int) -> Chunk:
        if row not in chunks:
            chunks[row] = snap.chunk(row)
        return chunks[row]

    target_of: dict[str, int] = {}  # the named report (target) a passage answers for; a shared one is the first's
    for i, t in enumerate(scope.targets):
        for doc_id in t.doc_ids:
            target_of.setdefault(doc_id, i)
    rank = figure_clause.wants_rank(effective)
    if config.figure_clause_weight and (figure_clause.wants_figure(effective) or rank):
        # Passages from outside a narrow scope fill the list after its own ones: they stay after them.
        inside = set(scope.doc_ids) if scope.doc_ids is not None else None
        depth = next((i for i, h in enumerate(hits[:config.figure_clause_depth])
                      if inside is not None and chunk_of(h.row).doc_id not in inside), config.figure_clause_depth)
        ranked = figure_clause.rerank(hits, lambda row: chunk_of(row).text, wordings, config.figure_clause_weight,
                                      depth, lambda row: target_of.get(chunk_of(row).doc_id, -1),
                                      gives_rank if rank else gives_figure)
    else:
        ranked = list(hits)
    # The answer may only cite passages that are returned.
    shown = tuple(passage_at(snap, h.row, i + 1, h.score, chunk_of(h.row)) for i, h in enumerate(ranked[:top_k]))
    terms = {t: w for t, w in weights.items() if w > 0}  # the question's known terms, in order
    # The first passages' sentences, split once for every signal that reads them.
    split = [signals.sentences_of(passage.text) for passage in shown[:3]]
    # The retrieval signals (dense margin, BM25 share) are read in retrieval order, as the model was fitted.
    evidence = signals.gather(effective, wordings, info, scope, hits, shown, split)
    said = [sent for sentences_of in split for sent in sentences_of]
    evidence = replace(evidence, unseen=unseen, years_loose=info.report_year or info.relative,
                       noun_adjacency=signals.noun_adjacency(nouns, said),
                       nouns_with_figure=signals.nouns_with_figure(nouns, said, bool(evidence.number_question),
                                                            lambda noun: signals.noun_idf(snap, noun)))
    # A horizon no report has yet looked back on ("萧山2030年") is a target or nothing: none of the passages naming
    # it means no answer. One that a later report reviews ("甘肃到2022年…装机多少", asked of the 2023 report's
    # five-year review) is left to the model.
    if info.horizons and not _reviewed(snap, scope, max(info.horizons)):
        evidence = replace(evidence, missing_horizon=_unmentioned_horizon(info, [_context(snap, h.row) for h in ranked[:3]]))
    # "钱塘新区2019年GDP多少", and only the 2021 report indexed: it is no answer unless a passage found there says that
    # year's figure in so many words ("地区生产总值、工业总产值2019年分别突破1100亿元、2900亿元").
    if evidence.missing_year and scope.year_uncovered and info.intent != "target" \
            and signals.year_said(info.years, terms, split, bool(evidence.number_question)):
        evidence = replace(evidence, missing_year=None)
    unnamed = [(place, parent) for place, parent in scope.inner
               if not signals.named_where_answered(short_name(place), terms, shown[:3])]
    if unnamed:
        evidence = replace(evidence, missing_inner=unnamed[0])
    # A town has no report of its own; its county's passages answer only if they name it.
    unnamed_towns = [town for town in info.towns if not any(town_stem(town) in p.text for p in shown[:3])]
    if unnamed_towns:
        evidence = replace(evidence, missing_town=unnamed_towns[0])
    if scope.doc_ids is not None and not is_number_question(effective):
        absent = unmentioned(compounds(topic), [snap.documents[d] for d in scope.doc_ids if d in snap.documents],
                             usage_of(snap, snap.documents.values), singles=topic_nouns(topic))
        evidence = replace(evidence, missing_topic=absent)
    groups = [target_of.get(p.citation.doc_id, -1) for p in shown]
    # The newest report speaks of the year before it too (2026's review of 2025).
    asked = (*info.years, *info.horizons, *((info.now, info.now - 1) if info.now else ()))
    # A 多少 question about a year's results ("2020年…增长了多少") is not answered by a later report's targets.
    outcome = info.years if info.intent == "outcome" and is_number_question(effective) else ()
    report_years = [snap.documents[p.citation.doc_id].year for p in shown]
    sections = [p.citation.section for p in shown]
    parts = [part(section) for section in sections]
    inner = [(short_name(place), parent) for place, parent in scope.inner]
    verdict = ans.decide(effective, [p.text for p in shown], terms, evidence, fitted, wordings, groups, asked,
                         outcome, report_years, parts, sections, inner)
    return Response(shown, verdict, rewritten, info, scope, evidence)


def wording_weights(snap: Snapshot, topic: str) -> list[dict[str, float]]:
    """idf-weighted content terms of each wording of `topic` (its own, or with one term in the reports' words)."""
    return [{t: w for t, w in snap.idf(question_terms(v)).items() if w > 0} for v in variants(topic)]


def with_absent(weights: dict[str, float], absent: Sequence[str], idf: float) -> dict[str, float]:
    """`weights` plus the `absent` terms (unknown to the index) at `idf`, for coverage to count as missing."""
    return {**weights, **{term: idf for term in absent if term not in weights}}


def _reviewed(snap: Snapshot, scope: Scope, year: int) -> bool:
    """Whether a report of the scope was delivered after `year`, and so can review it."""
    ids = scope.doc_ids if scope.doc_ids is not None else tuple(snap.documents)
    return any((doc.year or 0) > year for doc in (snap.documents[i] for i in ids if i in snap.documents))


HORIZON_CONTEXT = 400  # characters before a passage that can still name its horizon ("到2025年，…" then the list)


def _context(snap: Snapshot, row: int) -> str:
    chunk = snap.chunk(row)
    return f"{chunk.section}\n{snap.document_of(row).text[max(0, chunk.start - HORIZON_CONTEXT):chunk.end]}"


def _unmentioned_horizon(info: QueryInfo, texts: Sequence[str]) -> str | None:
    """"萧山区2030年" when the question asks about a plan horizon that none of the top passages, nor the
    text just before them, names (as 2030, 二〇三〇 or the plan period ending then, 十五五)."""
    names = [form for y in info.horizons for form in (str(y), year_in_chinese(y), *plan_periods_ending(y))]
    if any(name in t for name in names for t in texts):
        return None
    return f"{''.join(info.regions[:1])}{info.horizons[0]}年"
