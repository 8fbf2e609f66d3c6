"""Whether a report sentence plans its own year, reviews a past one, or speaks of several years at once.

A report of year Y plans Y ("今年…预期目标", "拟按3%安排", "6%以上") and reviews Y−1 ("比上年增长7.8%",
"去年…回落到2.6%"). Five-year plans and multi-year reviews ("五年城镇新增就业4500万人", "年均增长7%",
"2015年…将超过55万亿元") answer neither an annual target nor an annual outcome, so they get their own stance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.lang.figures import figures, gives_figure

_SPAN = re.compile(r"五年|年均|平均每年|各年度|十[一二三四五六七八九]五(?:期间|时期|末)|以来")
# Words that speak of several years only in the clause that gives the figure: elsewhere in the sentence they
# often frame an annual figure ("今后要…，今年经济增长6%左右", "累计…，其中今年…").
_SPAN_CLAUSE = re.compile(r"累计|今后")
_PLAN = re.compile(r"今年|本年|拟|预期|力争|计划|主要目标")
_REVIEW = re.compile(r"(?<!比)(?:去年|上年)|过去|回落|降到|下降了|达到了|超过了")
# A comparison frames targets ("比上年增长8%左右") as well as results ("比上年增长7.8%"): the qualifier decides.
_COMPARISON = re.compile(r"比(?:去年|上年|\d{4}年)|同比")
# An outcome measured against its target ("超过预期目标") names the target but reports the result.
_DONE = re.compile(r"超过预期|好于预期|高于预期|超额完成|低于预期|未完成|完成了|实现了")
# "比去年多100万人" gives the difference, not the level asked for.
_CHANGE = re.compile(r"比(?:去年|上年|前年)(?:多|少|增加|减少)")
_TARGET_QUALIFIERS = ("左右", "以上", "以内", "以下")
# A year after 比 is the base of a comparison ("比2010年翻一番"), not a year the sentence reports on.
_YEAR = re.compile(r"(?<![\d比])((?:19|20)\d\d)年")


def stance(clause: str, sentence: str, report_year: int | None = None) -> str | None:
    """What a figure's clause states, read from the clause, then the years its sentence names, then the
    sentence's wording: "plan", "review", "span" (several years), "change" (a difference from last year)
    or None when nothing says."""
    years = {int(y) for y in _YEAR.findall(sentence)}
    past = {y for y in years if report_year is not None and y < report_year}
    if (_SPAN.search(sentence) or _SPAN_CLAUSE.search(clause) or len(past) > 1
            or (report_year is not None and any(y > report_year for y in years))):
        return "span"
    if _CHANGE.search(clause):
        return "change"
    if _PLAN.search(clause):
        return "plan"
    # A past year or review word in the clause outweighs a qualifier: "去年…稳定在5%左右" is a result.
    if _REVIEW.search(clause) or {int(y) for y in _YEAR.findall(clause)} & past:
        return "review"
    if any(f.qualifier in _TARGET_QUALIFIERS for f in figures(clause)):
        return "plan"
    if _COMPARISON.search(clause) or past or _DONE.search(sentence):
        return "review"
    if report_year in years or _PLAN.search(sentence):
        return "plan"
    return "review" if _REVIEW.search(sentence) else None


# A figure over several years ("五年累计1858亿美元", "年均增长10.2%", "“十三五”期间新增就业50万人") is no one year's.
# Only its own clause says so: after "五年来，" a clause may give a count to date ("有146家在京投资"), as 累计 alone
# may. A year in words (一九八五年), a five-year plan's name (第七个五年计划) and a yearly average of a level (年均浓度,
# 年均工资) are one year's. Like `_SPAN`, but of the figure's clause alone.
_OVER_YEARS = re.compile(r"(?<![〇零○一二三四五六七八九十])五年(?!级|计划|规划)|年均(?=增|递增|提高|下降|降低|减少|新增)"
                         r"|平均每年|十[一二三四五六七八九]五[”\"’]?(?:期间|时期)")
_OVER_YEARS_ASKED = re.compile(_OVER_YEARS.pattern + r"|累计|平均|期间|时期|以来|几年|多年|一共|总共|合计|历年")
_CLAUSES = re.compile(r"[，,；;：:]")


def asks_one_year(question: str, outcome_years: Sequence[int]) -> bool:
    """Whether the question asks one year's result (its only outcome year), and not over several years itself
    ("累计", "十三五期间", "这几年")."""
    return len(set(outcome_years)) == 1 and not _OVER_YEARS_ASKED.search(question)


def over_years_only(sentences: Sequence[str]) -> bool:
    """Whether every figure the sentences give is over several years, and one is given."""
    clauses = [clause for sentence in sentences for clause in _CLAUSES.split(sentence) if gives_figure(clause)]
    return bool(clauses) and all(_OVER_YEARS.search(clause) for clause in clauses)
