"""The answer: is it in the reports, how sure are we, and which sentences say it.

One decision, in one place (the sentences of its answer line come from `extract.py`, what the question asks
from `asks.py`). A named place or year with no indexed report is a hard "no", with a reason
that says what is indexed. Otherwise a small logistic model (`data/answerability.json`, refitted by
`reportqa calibrate` on the tuning halves of the dev sets) combines the signals into a confidence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from qa.lang.stance import asks_one_year, over_years_only
from qa.search.asks import coverage
from qa.search.extract import answers_year, extract, format_answer
from qa.search.given import not_given, off_year

NO_ANSWER = "报告中没有找到相关内容。"
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


def number_found(sentence: str, weights: dict[str, float]) -> float:
    return 1.0 if _NUMBER.search(sentence) and coverage(weights, sentence) > 0 else 0.0


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

    one_year = asks_one_year(question, outcome_years)

    def planned(p: int, sent: str) -> bool:
        # Another year's figure, or a figure over several years where one year's is asked.
        return other_year([(p, sent)]) is not None or (one_year and over_years_only([sent]))

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
            if any(answers_year(sent, weights, wordings, years) for _, sent in results):
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
