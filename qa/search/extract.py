"""The answer line's sentences: the ones that say the question, give what it asks, and name its years."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from qa.ingest.chunking import sentences
from qa.lang.figures import gives_figure
from qa.lang.qualifiers import asked_qualifiers, gives_for
from qa.lang.query import years_named
from qa.lang.ranks import asks_rank_only, gives_rank
from qa.search.asks import REASON, SHORTFALL, SHORTFALL_QUESTION, WHY_QUESTION, coverage, is_list_question, is_number_question
from qa.search.enumeration import asks_for_n, heading_bodies, list_items


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
                                       (bool(WHY_QUESTION.search(question)), REASON.search),
                                       (bool(SHORTFALL_QUESTION.search(question)), SHORTFALL.search),
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


def answers_year(sent: str, weights: dict[str, float], wordings: Sequence[dict[str, float]],
                  years: Sequence[int]) -> bool:
    """Whether a sentence gives a figure, says enough of the question, and names no year but other ones."""
    said = years_named(sent)
    cover = max((coverage(w, sent) for w in wordings), default=0.0) if wordings else coverage(weights, sent)
    return gives_figure(sent) and cover >= RESULT_COVER and not (said and years and not said & set(years))


def format_answer(picked: list[tuple[int, str]]) -> str:
    """Sentences joined with `[n]` markers (1-based passage ranks)."""
    return "".join(f"{sent}[{p + 1}]" for p, sent in picked)
