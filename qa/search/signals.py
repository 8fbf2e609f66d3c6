"""The answerability signals: how much of the question the best passages and sentences say, and how.

`gather` reads them off the retrieval hits and the passages shown; the rest test one thing each for the pipeline
(`qa.search.ask`): whether a sentence names an asked year, says the question's nouns in order, gives a figure
beside them, or names a place the question is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa.core.records import Passage
from qa.index.snapshot import Snapshot
from qa.ingest.chunking import sentences
from qa.lang.figures import gives_figure
from qa.lang.query import QueryInfo, digit_years
from qa.lang.synonyms import report_forms
from qa.lang.tokens import tokenize
from qa.search import answer as ans
from qa.search.asks import coverage, is_list_question, is_number_question
from qa.search.retrieval import Hit
from qa.search.scope import Scope


def gather(question: str, wordings: Sequence[dict[str, float]], info: QueryInfo, scope: Scope, hits: Sequence[Hit],
           shown: Sequence[Passage], split: Sequence[list[str]]) -> ans.Evidence:
    """The answerability signals of the question (weighted terms of each of its wordings) against its best passages
    (`split`: the sentences of each of the first three)."""
    top_texts = [f"{p.citation.section}\n{p.text}" for p in shown[:3]]
    scored = [(max((coverage(ts, t) for t in top_texts), default=0.0), ts) for ts in wordings]
    cover, terms = max(scored, key=lambda pair: pair[0])
    dense = [h.dense for h in hits if h.dense is not None]
    background = dense[10:20] or dense[len(dense) // 2:]
    margin = (dense[0] - sum(background) / len(background)) if dense and background else 0.0
    ideal = sum(terms.values()) or 1.0
    best_sentences = [_best_of(sentences_of, terms) for sentences_of in split]
    best_sentence = best_sentences[0] if best_sentences else ""
    in_one = max((coverage(terms, s) for s in best_sentences), default=0.0)
    return ans.Evidence(
        coverage=cover,
        sentence_coverage=in_one,
        rare_term=ans.rare_term_found(terms, top_texts),
        dense_margin=margin,
        lexical_share=min(2.0, (hits[0].lexical if hits else 0.0) / ideal),
        number_question=float(is_number_question(question)),
        number_found=ans.number_found(best_sentence, terms),
        list_question=float(is_list_question(question)),
        scoped=float(scope.doc_ids is not None and bool(info.regions or info.years)),
        preferred_missing=float(scope.preferred_missing),
        missing_place=scope.missing_place,
        missing_year=scope.missing_year,
        existing="；".join(scope.existing),
    )


def year_said(years: Sequence[int], terms: dict[str, float], split: Sequence[list[str]], figure: bool) -> bool:
    """Whether one of the first passages' sentences names an asked year (not as a comparison's base, a horizon or a
    start: "比2019年", "是2015年的1.72倍", "力争到2019年", "2019年以来"),
    says at least half of the question and, for a 多少 question, gives a figure."""
    if not years:
        return False
    said = re.compile("|".join(rf"(?<![比较于是为与同到至从由自之\d]){y}年(?!的\d|以来|起)" for y in years))
    return any(said.search(digit_years(sent)) and coverage(terms, sent) >= 0.5 and (not figure or gives_figure(sent))
               for sentences_of in split for sent in sentences_of)


def noun_adjacency(nouns_per_wording: Sequence[list[str]], said: Sequence[str]) -> float:
    """The best `answer.adjacency` of the question's nouns, in any of its wordings, over the sentences shown first."""
    wordings = [nouns for nouns in nouns_per_wording if nouns]
    if not wordings:
        return 1.0
    return max((ans.adjacency(nouns, sent) for nouns in wordings for sent in said), default=0.0)


def noun_idf(snap: Snapshot, noun: str) -> float:
    """A noun's weight: the idf of its rarest token, or of a term no passage has when the reports never use it."""
    return max(snap.idf(tokenize(noun) or [noun]).values(), default=0.0) or snap.absent_idf


def nouns_with_figure(nouns_per_wording: Sequence[list[str]], said: Sequence[str], figure: bool,
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


def in_reports(snap: Snapshot, term: str) -> bool:
    """Whether any indexed passage uses the term, or one of its report wordings (社零 -> 社会消费品零售总额)."""
    for form in report_forms(term):
        tokens = tokenize(form) or [form.lower()]
        if all(weight > 0 for weight in snap.idf(tokens).values()):
            return True
    return False


def named_where_answered(name: str, terms: dict[str, float], shown: Sequence[Passage]) -> bool:
    """Whether a passage's sentence that best covers the question (the place itself aside) names the place:
    an ancestor's report that names a county elsewhere says nothing about the county's figures."""
    rest = {t: w for t, w in terms.items() if t not in name and name not in t}
    best = [_best_sentence(passage.text, rest) for passage in shown]
    # A sentence that says none of the question ("全面推进浦东引领区建设" asked 浦东新区's growth target) answers nothing.
    return any(name in sentence and (not rest or coverage(rest, sentence) > 0) for sentence in best)


def _best_sentence(text: str, terms: dict[str, float]) -> str:
    """The passage's sentence that covers the most of `terms` (the first of equals)."""
    return _best_of(sentences_of(text), terms)


def _best_of(sentences_of: Sequence[str], terms: dict[str, float]) -> str:
    return max(sentences_of, key=lambda sent: coverage(terms, sent), default="")


def sentences_of(text: str) -> list[str]:
    flat = text.replace("\n", "")
    return [flat[a:b] for a, b in sentences(flat)]
