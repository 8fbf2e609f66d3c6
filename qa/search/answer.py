"""The answer: is it in the reports, how sure are we, and which sentences say it.

One decision, in one place. A named place or year with no indexed report is a hard "no", with a reason
that says what is indexed. Otherwise a small logistic model (`data/answerability.json`, refitted by
`reportqa calibrate` on the tuning halves of the dev sets) combines the signals into a confidence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources

from qa.ingest.chunking import sentences
from qa.lang.figures import gives_figure
from qa.lang.qualifiers import asked_qualifiers, gives_for
from qa.lang.query import years_named
from qa.lang.ranks import asks_rank_only, gives_rank
from qa.lang.tokens import tokenize
from qa.search.enumeration import asks_for_n, heading_bodies, list_items
from qa.search.given import not_given, off_year

NO_ANSWER = "报告中没有找到相关内容。"
_NUMBER_QUESTION = re.compile(r"多少|几|比重|占比|增速|增幅|涨幅|率|规模|总量|目标是|达到|多大|多高|多长|排名|第几")
_LIST_QUESTION = re.compile(r"哪些|有什么|什么|包括|措施|举措|怎么|如何|哪几")
_WHY_QUESTION = re.compile(r"为什么|为何|什么原因|原因是|理由|出于什么|怎么考虑")
# "哪个指标没完成": the sentence that says what fell short ("除进出口总额…下降37.3%以外", "低于预期目标").
_SHORTFALL_QUESTION = re.compile(r"没完成|未完成|没有完成|没达到|未达到|没有达到|没实现|未实现|没有实现"
                                 r"|没达成|未达成|没有达成|差距")
_SHORTFALL = re.compile(r"未完成|没有完成|未达到|没有达到|未能实现|没有实现|未实现|低于|除[^。；]{1,40}以外|差距")
_REASON = re.compile(r"综合考虑|主要是|主要考虑|是为了|因为|由于|着重说明|有利于|旨在|目的是|考虑到")
# The `number_found` signal's own test, as the answerability model was fitted with it; `gives_figure` (the answer's
# and the rules' test) has since learned amounts in words and names (PM2.5): refit (`reportqa calibrate`) to change it.
_NUMBER = re.compile(r"\d|百分之[零一二三四五六七八九十]|[一二三四五六七八九十百千万亿]+(?:个|项|件|大|条|所|家)")

FEATURES = ("coverage", "sentence_coverage", "rare_term", "dense_margin", "lexical_share", "number_question",
            "number_found", "list_question", "scoped", "preferred_missing", "noun_adjacency", "nouns_with_figure")


@dataclass(frozen=True)
class Evidence:
    """What the top passages say about the question, before any decision."""

    coverage: float  # idf-weighted share of the question's content terms in the best of the top passages
    # The same in one sentence: "人均住房面积" asked, and 人均, 住房 and 面积 each somewhere in the passage, is no answer.
    sentence_coverage: float
    rare_term: float  # 1 when the question's rarest content term occurs in the top passages
    dense_margin: float  # top cosine minus the cosine of the 10th-20th passages (0 without vectors)
    lexical_share: float  # top BM25 score over what a passage matching every term would score
    number_question: float
    number_found: float  # the best sentence has a number and a content term
    list_question: float
    scoped: float  # the question named an indexed place or year
    preferred_missing: float  # only the report next to the one the intent points at is indexed
    # How closely one sentence says the question's nouns in its order (人均住房面积: 人均 then 住房 then 面积, not
    # 人均 here and 面积 there): the share of consecutive nouns that follow each other, 1 with none to test.
    noun_adjacency: float = 1.0
    # The largest share of the question's nouns that one of the shown sentences says, among sentences that give a
    # figure when one is asked for: "入境游客多少人次" asked, "接待国内外游客9579.7万人次" says half of it.
    nouns_with_figure: float = 1.0
    # Nouns of the question that no indexed report uses (票房, 最低工资), named in the reason when the answer is
    # declined. They count in `coverage` as missing terms, but are no signal of their own: fitted in as one, their
    # presence flagged no more held-out unanswerable questions and declined one more answerable one (2026-12-06).
    unseen: tuple[str, ...] = ()
    missing_place: str | None = None
    missing_year: str | None = None
    missing_horizon: str | None = None  # "萧山区2030年": a plan horizon none of the top passages names
    missing_inner: tuple[str, str] | None = None  # (百色市, 广西壮族自治区): no report, and the ancestor's never name it
    missing_town: str | None = None  # 瓜沥镇: a town, which has no report, that the passages found never name
    missing_topic: str | None = None  # 新能源汽车: common in the reports, never said in the asked ones (search/topic.py)
    existing: str = ""  # what is indexed, for the reason
    # The asked years are no firm outcome years: the question names the report it reads ("2023年国务院报告说过去
    # 五年…"), whose review is what it asks about, or says only 今年/去年 with no date to count from.
    years_loose: bool = False

    @property
    def decided(self) -> bool:
        """A hard rule answers "not found" whatever the fitted model says."""
        return bool(self.missing_place or self.missing_year or self.missing_horizon or self.missing_inner
                    or self.missing_town or self.missing_topic)

    def vector(self) -> list[float]:
        return [float(getattr(self, name)) for name in FEATURES]


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    text: str  # sentences with [n] markers, or the honest "not found"
    confidence: float  # 0..1: how likely the answer line answers the question
    reason: str | None = None  # why not answerable


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, ev: Evidence) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, ev.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Signals are gathered through the same run() before any model is fitted (or after FEATURES changed).
UNFITTED = Model(tuple(0.0 for _ in FEATURES), 0.0, 0.5)


@lru_cache(maxsize=1)
def model() -> Model:
    data = json.loads(resources.files("qa.search").joinpath("data/answerability.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError("data/answerability.json was fitted on other features; run `reportqa calibrate`")
    return Model(tuple(data["weights"]), float(data["bias"]), float(data["threshold"]))


def question_terms(question: str) -> list[str]:
    return list(dict.fromkeys(tokenize(question)))


def coverage(weights: dict[str, float], text: str) -> float:
    """Weighted share of question terms that occur in `text` (substring test, so jieba splits don't matter)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    lowered = text.lower()
    return sum(w for t, w in weights.items() if t in lowered) / total


def rare_term_found(weights: dict[str, float], texts: Sequence[str]) -> float:
    if not weights:
        return 0.0
    rarest = max(weights, key=lambda t: weights[t])
    return 1.0 if any(rarest in t.lower() for t in texts) else 0.0


def adjacency(nouns: Sequence[str], sentence: str, gap: int = 2) -> float:
    """The share of consecutive `nouns` that the sentence says in order, at most `gap` characters apart;
    for a single noun, whether the sentence says it."""
    lowered = sentence.lower()
    if len(nouns) <= 1:
        return float(nouns[0] in lowered) if nouns else 1.0
    pairs = list(zip(nouns, nouns[1:], strict=False))
    return sum(_follows(a, b, lowered, gap) for a, b in pairs) / len(pairs)


def _follows(first: str, second: str, text: str, gap: int) -> bool:
    at = text.find(first)
    while at >= 0:
        end = at + len(first)
        if second in text[end:end + gap + len(second)]:
            return True
        at = text.find(first, at + 1)
    return False


def is_number_question(question: str) -> bool:
    return bool(_NUMBER_QUESTION.search(question))


def is_why_question(question: str) -> bool:
    return bool(_WHY_QUESTION.search(question))


def is_list_question(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question))


def number_found(sentence: str, weights: dict[str, float]) -> float:
    return 1.0 if _NUMBER.search(sentence) and coverage(weights, sentence) > 0 else 0.0




def extract(question: str, passages: Sequence[str], weights: dict[str, float], max_sentences: int = 3,
            wordings: Sequence[dict[str, float]] = (), groups: Sequence[int] = (),
            years: Sequence[int] = (), planned: Callable[[int, str], bool] | None = None,
            planned_cost: float = 0.15) -> list[tuple[int, str]]:
    """Best sentences as (passage index, sentence), in reading order of the passages. A sentence is scored in
    the question's best single wording (the question's, or with one term in the reports' words), never in all
    at once: "经济增长目标" must not pick a clause about 单位国内生产总值 because GDP's synonyms include it.
    A figure asked for brings the best sentence that gives one, and a list asked for its enumerated items.
    `groups` gives each passage's named report (浙江 and 江苏, or 2019 and 2021; -1 for none): a question that
    names several is answered from each. With the question's `years` given, a sentence that names only other years
    ("2017年…主要预期目标", beside the newest report's) yields to one that names an asked year or none; a sentence for
    which `planned` holds (another year's figure where a year's result is asked: a later report's target, an earlier
    one's result) loses `planned_cost`."""
    named = sorted({g for g in groups if g >= 0})
    depth = max(3, 2 * len(named)) if len(named) > 1 else 3
    wants_number = is_number_question(question)
    # What the question asks for, and the sentences that give it: a figure for 多少, the reason for 为什么 ("定在9%
    # 左右" states, "综合考虑…" explains), what fell short for 没完成, a rank asked alone ("增速连续五年居全国前三").
    wanted = [test for asked, test in ((wants_number, gives_figure),
                                       (bool(_WHY_QUESTION.search(question)), _REASON.search),
                                       (bool(_SHORTFALL_QUESTION.search(question)), _SHORTFALL.search),
                                       (asks_rank_only(question), gives_rank)) if asked]
    if wants_number:
        # 入境游客 asked: a sentence that gives a figure of 入境 (or 境外) before one that counts every visitor.
        wanted += [partial(gives_for, group) for group in asked_qualifiers(question)]

    def cover(sent: str) -> float:
        return max((coverage(w, sent) for w in wordings), default=0.0) if wordings else coverage(weights, sent)

    asked = set(years)
    scored: list[tuple[float, int, int, str]] = []
    for p_idx, text in enumerate(passages[:depth]):
        for s_idx, (a, b) in enumerate(sentences(text)):
            sent = text[a:b].strip()
            if len(sent) < 4:
                continue
            score = cover(sent)
            if score > 0:
                score += 0.15 * sum(bool(test(sent)) for test in wanted)
            if asked and score > 0:
                said = years_named(sent)  # old reports: 一九五七年
                if said and not said & asked:
                    score -= 0.15
            if planned is not None and score > 0 and planned(p_idx, sent):
                score -= planned_cost
            score *= 1.0 / (1.0 + 0.35 * p_idx)
            score -= 0.002 * max(0, len(sent) - 120) / 10  # prefer tight sentences
            scored.append((score, p_idx, s_idx, sent))
    if not scored:
        return []
    ranked = sorted(scored, key=lambda x: -x[0])
    best = ranked[0][0]
    chosen = [s for s in ranked[:max_sentences] if s[0] >= best * 0.7 and s[0] > 0]
    if wants_number and chosen and not any(gives_figure(s[3]) for s in chosen):
        # A figure was asked for: the answer carries the best sentence that gives one, if it is close enough.
        chosen += [s for s in ranked if gives_figure(s[3]) and s[0] >= best * 0.5 and s[0] > 0][:1]
    if len(named) > 1:
        chosen += _each_named(chosen, ranked, groups, named)
    if is_list_question(question) or asks_for_n(question):
        chosen += heading_bodies(chosen, scored) + list_items(chosen, scored)
    chosen = sorted(set(chosen), key=lambda x: (x[1], x[2]))
    return [(p, sent) for _, p, _, sent in chosen]


def _each_named(chosen: Sequence[tuple[float, int, int, str]], ranked: Sequence[tuple[float, int, int, str]],
                groups: Sequence[int], named: Sequence[int]) -> list[tuple[float, int, int, str]]:
    """For each named report that no chosen sentence comes from, its best sentence that says the question."""
    answered = {groups[p] for _, p, _, _ in chosen if p < len(groups)}
    out = []
    for group in named:
        if group not in answered:
            out += [s for s in ranked if s[1] < len(groups) and groups[s[1]] == group and s[0] > 0][:1]
    return out


# How much of the question a result sentence must say to stand in for a line of targets: chosen on the tuning
# halves (the sentences that answered lay at 0.49 and above, those that did not at 0.23 and below).
RESULT_COVER = 0.45


def _answers_year(sent: str, weights: dict[str, float], wordings: Sequence[dict[str, float]],
                  years: Sequence[int]) -> bool:
    """Whether a sentence gives a figure, says enough of the question, and names no year but other ones."""
    said = years_named(sent)
    cover = max((coverage(w, sent) for w in wordings), default=0.0) if wordings else coverage(weights, sent)
    return gives_figure(sent) and cover >= RESULT_COVER and not (said and years and not said & set(years))


def format_answer(picked: list[tuple[int, str]]) -> str:
    """Sentences joined with `[n]` markers (1-based passage ranks)."""
    return "".join(f"{sent}[{p + 1}]" for p, sent in picked)


def decide(question: str, texts: Sequence[str], weights: dict[str, float], ev: Evidence, fitted: Model | None = None,
           wordings: Sequence[dict[str, float]] = (), groups: Sequence[int] = (), years: Sequence[int] = (),
           outcome_years: Sequence[int] = (), report_years: Sequence[int | None] = (),
           parts: Sequence[str | None] = (), sections: Sequence[str] = (),
           inner: Sequence[tuple[str, str]] = ()) -> Verdict:
    """The one answerability decision, its confidence and the answer line that goes with it. `outcome_years`: the
    years whose results a 多少 question asks; `report_years` and `parts`: each passage's report year and the part of
    the report it is in ("plan", "review" or None); `sections`: each passage's section path; `inner`: the (short
    name, ancestor) of each asked place that has no report of its own and is searched in its ancestor's."""
    if ev.missing_place:
        reason = f"没有找到{ev.missing_place}的政府工作报告" + (f"（已索引：{ev.existing}）" if ev.existing else "")
        return Verdict(False, f"{NO_ANSWER}{reason}。", 0.02, reason)
    if ev.missing_year:
        reason = f"没有{ev.missing_year}的政府工作报告" + (f"（已索引：{ev.existing}）" if ev.existing else "")
        return Verdict(False, f"{NO_ANSWER}{reason}。", 0.05, reason)
    if ev.missing_inner:
        place, parent = ev.missing_inner
        reason = f"没有找到{place}的政府工作报告，{parent}的报告中也没有提到它"
        return Verdict(False, f"{NO_ANSWER}{reason}；下面是{parent}报告中最接近的段落。", 0.02, reason)
    if ev.missing_town:
        reason = f"没有找到{ev.missing_town}的政府工作报告，检索到的报告中也没有提到它"
        return Verdict(False, f"{NO_ANSWER}{reason}；下面是最接近的段落。", 0.02, reason)
    if ev.missing_topic:
        reason = f"所问的报告中没有提到“{ev.missing_topic}”"
        return Verdict(False, f"{NO_ANSWER}{reason}；下面是最接近的段落。", 0.05, reason)
    if ev.missing_horizon:
        reason = f"报告中没有提到{ev.missing_horizon}的目标" + (f"（已索引：{ev.existing}）" if ev.existing else "")
        return Verdict(False, f"{NO_ANSWER}{reason}；下面是最接近的段落。", 0.05, reason)
    fitted = fitted or model()
    confidence = fitted.probability(ev)
    flat = [t.replace("\n", "") for t in texts]

    def other_year(sents: list[tuple[int, str]]) -> int | None:
        return off_year(sents, flat, report_years, outcome_years, parts, ev.years_loose)

    def planned(p: int, sent: str) -> bool:
        return other_year([(p, sent)]) is not None

    picked = extract(question, flat, weights, wordings=wordings, groups=groups, years=years,
                     planned=planned if outcome_years else None) if texts else []
    if picked and confidence >= fitted.threshold:
        line = format_answer(picked)
        if outcome_years and other_year(picked) is not None:
            # Only targets in the line (or only an earlier year's results): the best sentences that are not
            # ("完成造林面积298.65万亩" in the review, below "完成植树造林230万亩以上" in the plan) stand in, if they
            # give a figure and say enough of the question.
            results = extract(question, flat, weights, wordings=wordings, groups=groups, years=years,
                              planned=planned, planned_cost=10.0)
            if any(_answers_year(sent, weights, wordings, years) for _, sent in results):
                picked, line = results, format_answer(results)
        missing = not_given(question, line, picked, flat, report_years, outcome_years, parts, wordings, sections,
                            inner, bool(ev.number_question), ev.years_loose)
        if missing is None:
            return Verdict(True, line, round(confidence, 3))
        return Verdict(False, f"{NO_ANSWER}{missing}；下面是最接近的段落。", 0.05, missing)
    if ev.unseen:
        reason = "报告中没有提到" + "、".join(f"“{noun}”" for noun in ev.unseen[:3])
    else:
        reason = "报告中没有提到这一数字" if ev.number_question else "报告中没有提到这一内容"
    return Verdict(False, f"{NO_ANSWER}{reason}；下面是最接近的段落。", round(confidence, 3), reason)
