"""The ask pipeline: follow-up rewriting, query parsing, scope, retrieval, then the answer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from embeddings.encoder import Encoder, start_query
from qa.core.records import Chunk, Citation, Filters, Passage, Turn
from qa.index.snapshot import Snapshot
from qa.ingest.chunking import sentences
from qa.lang.figures import gives_figure
from qa.lang.nouns import compounds, unseen_nouns, wording_nouns
from qa.lang.places import PlaceMatcher, short_name
from qa.lang.query import QueryInfo, digit_years, parse_query, plan_periods_ending, strip_years, year_in_chinese
from qa.lang.ranks import gives_rank
from qa.lang.script import as_read
from qa.lang.synonyms import abbreviations, expand_query, synonym_table, variants
from qa.lang.tokens import tokenize
from qa.lang.towns import town_stem
from qa.search import answer as ans
from qa.search import figure_clause
from qa.search.followup import rewrite
from qa.search.given import part
from qa.search.retrieval import Hit, RetrievalConfig, retrieve
from qa.search.scope import Scope, filter_documents, resolve
from qa.search.topic import unmentioned


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
    unseen = tuple(unseen_nouns(nouns[0], lambda term: _in_reports(snap, term)))
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
    split = [_sentences(passage.text) for passage in shown[:3]]
    # The retrieval signals (dense margin, BM25 share) are read in retrieval order, as the model was fitted.
    evidence = gather(effective, wordings, info, scope, hits, shown, split)
    said = [sent for sentences_of in split for sent in sentences_of]
    evidence = replace(evidence, unseen=unseen, years_loose=info.report_year or info.relative,
                       noun_adjacency=_noun_adjacency(nouns, said),
                       nouns_with_figure=_nouns_with_figure(nouns, said, bool(evidence.number_question),
                                                            lambda noun: _noun_idf(snap, noun)))
    # A horizon no report has yet looked back on ("萧山2030年") is a target or nothing: none of the passages naming
    # it means no answer. One that a later report reviews ("甘肃到2022年…装机多少", asked of the 2023 report's
    # five-year review) is left to the model.
    if info.horizons and not _reviewed(snap, scope, max(info.horizons)):
        evidence = replace(evidence, missing_horizon=_unmentioned_horizon(info, [_context(snap, h.row) for h in ranked[:3]]))
    # "钱塘新区2019年GDP多少", and only the 2021 report indexed: it is no answer unless a passage found there says that
    # year's figure in so many words ("地区生产总值、工业总产值2019年分别突破1100亿元、2900亿元").
    if evidence.missing_year and scope.year_uncovered and info.intent != "target" \
            and _year_said(info.years, terms, split, bool(evidence.number_question)):
        evidence = replace(evidence, missing_year=None)
    unnamed = [(place, parent) for place, parent in scope.inner if not _named_where_answered(short_name(place), terms, shown[:3])]
    if unnamed:
        evidence = replace(evidence, missing_inner=unnamed[0])
    # A town has no report of its own; its county's passages answer only if they name it.
    unnamed_towns = [town for town in info.towns if not any(town_stem(town) in p.text for p in shown[:3])]
    if unnamed_towns:
        evidence = replace(evidence, missing_town=unnamed_towns[0])
    if scope.doc_ids is not None and not ans.is_number_question(effective):
        absent = unmentioned(compounds(topic), [snap.documents[d] for d in scope.doc_ids if d in snap.documents],
                             snap.documents.values())
        evidence = replace(evidence, missing_topic=absent)
    groups = [target_of.get(p.citation.doc_id, -1) for p in shown]
    # The newest report speaks of the year before it too (2026's review of 2025).
    asked = (*info.years, *info.horizons, *((info.now, info.now - 1) if info.now else ()))
    # A 多少 question about a year's results ("2020年…增长了多少") is not answered by a later report's targets.
    outcome = info.years if info.intent == "outcome" and ans.is_number_question(effective) else ()
    report_years = [snap.documents[p.citation.doc_id].year for p in shown]
    sections = [p.citation.section for p in shown]
    parts = [part(section) for section in sections]
    inner = [(short_name(place), parent) for place, parent in scope.inner]
    verdict = ans.decide(effective, [p.text for p in shown], terms, evidence, fitted, wordings, groups, asked,
                         outcome, report_years, parts, sections, inner)
    return Response(shown, verdict, rewritten, info, scope, evidence)


def wording_weights(snap: Snapshot, topic: str) -> list[dict[str, float]]:
    """idf-weighted content terms of each wording of `topic` (its own, or with one term in the reports' words)."""
    return [{t: w for t, w in snap.idf(ans.question_terms(v)).items() if w > 0} for v in variants(topic)]


def with_absent(weights: dict[str, float], absent: Sequence[str], idf: float) -> dict[str, float]:
    """`weights` plus the `absent` terms (unknown to the index) at `idf`, for coverage to count as missing."""
    return {**weights, **{term: idf for term in absent if term not in weights}}


def gather(question: str, wordings: Sequence[dict[str, float]], info: QueryInfo, scope: Scope, hits: Sequence[Hit],
           shown: Sequence[Passage], split: Sequence[list[str]]) -> ans.Evidence:
    """The answerability signals of the question (weighted terms of each of its wordings) against its best passages
    (`split`: the sentences of each of the first three)."""
    top_texts = [f"{p.citation.section}\n{p.text}" for p in shown[:3]]
    scored = [(max((ans.coverage(ts, t) for t in top_texts), default=0.0), ts) for ts in wordings]
    cover, terms = max(scored, key=lambda pair: pair[0])
    dense = [h.dense for h in hits if h.dense is not None]
    background = dense[10:20] or dense[len(dense) // 2:]
    margin = (dense[0] - sum(background) / len(background)) if dense and background else 0.0
    ideal = sum(terms.values()) or 1.0
    best_sentences = [_best_of(sentences_of, terms) for sentences_of in split]
    best_sentence = best_sentences[0] if best_sentences else ""
    in_one = max((ans.coverage(terms, s) for s in best_sentences), default=0.0)
    return ans.Evidence(
        coverage=cover,
        sentence_coverage=in_one,
        rare_term=ans.rare_term_found(terms, top_texts),
        dense_margin=margin,
        lexical_share=min(2.0, (hits[0].lexical if hits else 0.0) / ideal),
        number_question=float(ans.is_number_question(question)),
        number_found=ans.number_found(best_sentence, terms),
        list_question=float(ans.is_list_question(question)),
        scoped=float(scope.doc_ids is not None and bool(info.regions or info.years)),
        preferred_missing=float(scope.preferred_missing),
        missing_place=scope.missing_place,
        missing_year=scope.missing_year,
        existing="；".join(scope.existing),
    )


def _year_said(years: Sequence[int], terms: dict[str, float], split: Sequence[list[str]], figure: bool) -> bool:
    """Whether one of the first passages' sentences names an asked year (not as a comparison's base, a horizon or a
    start: "比2019年", "是2015年的1.72倍", "力争到2019年", "2019年以来"),
    says at least half of the question and, for a 多少 question, gives a figure."""
    if not years:
        return False
    said = re.compile("|".join(rf"(?<![比较于是为与同到至从由自之\d]){y}年(?!的\d|以来|起)" for y in years))
    return any(said.search(digit_years(sent)) and ans.coverage(terms, sent) >= 0.5 and (not figure or gives_figure(sent))
               for sentences_of in split for sent in sentences_of)


def _noun_adjacency(nouns_per_wording: Sequence[list[str]], said: Sequence[str]) -> float:
    """The best `answer.adjacency` of the question's nouns, in any of its wordings, over the sentences shown first."""
    wordings = [nouns for nouns in nouns_per_wording if nouns]
    if not wordings:
        return 1.0
    return max((ans.adjacency(nouns, sent) for nouns in wordings for sent in said), default=0.0)


def _noun_idf(snap: Snapshot, noun: str) -> float:
    """A noun's weight: the idf of its rarest token, or of a term no passage has when the reports never use it."""
    return max(snap.idf(tokenize(noun) or [noun]).values(), default=0.0) or snap.absent_idf


def _nouns_with_figure(nouns_per_wording: Sequence[list[str]], said: Sequence[str], figure: bool,
                       weight: Callable[[str], float]) -> float:
    """The largest share of the question's nouns, in any of its wordings, that one shown sentence says, counting
    for a 多少 question only sentences that give a figure: "入境游客" asked, "接待国内外游客9579.7万人次" says half."""
    wordings = [nouns for nouns in nouns_per_wording if nouns]
    if not wordings:
        return 1.0
    giving = [sent.lower() for sent in said if not figure or gives_figure(sent)]
    weights = [{n: weight(n) for n in nouns} for nouns in wordings]
    return max((sum(w for n, w in ws.items() if n in sent) / (sum(ws.values()) or 1.0) for ws in weights for sent in giving),
               default=0.0)


def _in_reports(snap: Snapshot, term: str) -> bool:
    """Whether any indexed passage uses the term, or one of its report wordings (社零 -> 社会消费品零售总额)."""
    full = abbreviations().get(term)
    forms = [term, *synonym_table().get(term, ()), *([full] if full else [])]
    for form in forms:
        tokens = tokenize(form) or [form.lower()]
        if all(weight > 0 for weight in snap.idf(tokens).values()):
            return True
    return False


def _named_where_answered(name: str, terms: dict[str, float], shown: Sequence[Passage]) -> bool:
    """Whether a passage's sentence that best covers the question (the place itself aside) names the place:
    an ancestor's report that names a county elsewhere says nothing about the county's figures."""
    rest = {t: w for t, w in terms.items() if t not in name and name not in t}
    best = [_best_sentence(passage.text, rest) for passage in shown]
    # A sentence that says none of the question ("全面推进浦东引领区建设" asked 浦东新区's growth target) answers nothing.
    return any(name in sentence and (not rest or ans.coverage(rest, sentence) > 0) for sentence in best)


def _best_sentence(text: str, terms: dict[str, float]) -> str:
    """The passage's sentence that covers the most of `terms` (the first of equals)."""
    return _best_of(_sentences(text), terms)


def _best_of(sentences_of: Sequence[str], terms: dict[str, float]) -> str:
    return max(sentences_of, key=lambda sent: ans.coverage(terms, sent), default="")


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


def _sentences(text: str) -> list[str]:
    flat = text.replace("\n", "")
    return [flat[a:b] for a, b in sentences(flat)]
