"""The answer: decide whether the evidence answers the question, then pick the 1-3 sentences that do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.ingest.chunking import sentences
from qa.lang.places import PlaceMatcher
from qa.lang.tokens import tokenize

NO_ANSWER = "报告中没有找到相关内容。"
_QUANTITY = re.compile(r"多少|几|比重|增速|增长|目标|规模|总量|达到|占比|率|亿元|万")
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Evidence:
    """Signals for the answerability decision, computed from the top passages."""

    dense_top: float | None
    coverage: float  # share of the question's (idf-weighted) terms found in the best passage
    unknown_place: str | None  # a named place with no indexed report


@dataclass(frozen=True)
class Thresholds:
    # Calibrated on eval/dev_qa.jsonl: e5 cosines of answerable and unanswerable questions
    # overlap (0.84-0.92 both), while term coverage separates them, so coverage decides.
    coverage_min: float = 0.30
    lexical_coverage_min: float = 0.30


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    text: str  # the answer line: sentences with [n] markers, or the honest "not found" with its reason


def question_terms(question: str) -> list[str]:
    return list(dict.fromkeys(tokenize(question)))


def coverage(weights: dict[str, float], text: str) -> float:
    """Weighted share of question terms that occur in `text` (substring test, so jieba splits don't matter)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    lowered = text.lower()
    return sum(w for t, w in weights.items() if t in lowered) / total


def unknown_place(regions: Sequence[str], indexed: set[str], matcher: PlaceMatcher) -> str | None:
    """A named place with no report of its own, of its parent, or of a child region."""
    if not regions:
        return None
    related = indexed | {matcher.parent(r) for r in indexed}
    for region in regions:
        if region in related or matcher.parent(region) in indexed:
            return None
    return regions[0]


def is_answerable(ev: Evidence, th: Thresholds) -> bool:
    """Weak evidence or a place with no indexed report means: say the reports don't answer it."""
    if ev.unknown_place:
        return False
    return ev.coverage >= (th.coverage_min if ev.dense_top is not None else th.lexical_coverage_min)


def extract(question: str, passages: list[str], weights: dict[str, float], max_sentences: int = 3) -> list[tuple[int, str]]:
    """Best sentences as (passage index, sentence), in reading order of the passages."""
    wants_number = bool(_QUANTITY.search(question))
    scored: list[tuple[float, int, int, str]] = []
    for p_idx, text in enumerate(passages[:3]):
        for s_idx, (a, b) in enumerate(sentences(text)):
            sent = text[a:b].strip()
            if len(sent) < 4:
                continue
            score = coverage(weights, sent)
            if wants_number and _NUMBER.search(sent):
                score += 0.15
            score *= 1.0 / (1.0 + 0.35 * p_idx)
            score -= 0.002 * max(0, len(sent) - 120) / 10  # prefer tight sentences
            scored.append((score, p_idx, s_idx, sent))
    if not scored:
        return []
    scored.sort(key=lambda x: -x[0])
    best = scored[0][0]
    chosen = [s for s in scored[:max_sentences] if s[0] >= best * 0.7 and s[0] > 0]
    chosen.sort(key=lambda x: (x[1], x[2]))
    return [(p, sent) for _, p, _, sent in chosen]


def format_answer(picked: list[tuple[int, str]]) -> str:
    """Sentences joined with `[n]` markers (1-based passage ranks)."""
    return "".join(f"{sent}[{p + 1}]" for p, sent in picked)


def decide(question: str, texts: list[str], weights: dict[str, float], evidence: Evidence, th: Thresholds) -> Verdict:
    """The one answerability decision and the answer line that goes with it."""
    if texts and is_answerable(evidence, th):
        line = format_answer(extract(question, [t.replace("\n", "") for t in texts], weights))
        if line:
            return Verdict(True, line)
    if evidence.unknown_place:
        return Verdict(False, f"{NO_ANSWER}已索引的报告中没有{evidence.unknown_place}的政府工作报告。")
    return Verdict(False, NO_ANSWER)
