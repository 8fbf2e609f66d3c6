"""Figures in report sentences: numbers with their units and qualifiers (`5%左右`, `6%以上`, `6.5%—7%`)."""

from __future__ import annotations

import re

from qa.core.records import Figure

_UNITS = ("个百分点", "万亿元", "亿美元", "亿元", "万元", "元", "万千瓦", "千瓦时", "万吨", "亿吨", "吨", "万人次", "万人",
          "人", "万户", "户", "万平方米", "平方米", "万亩", "亩", "公里", "千米", "家", "个", "项", "所", "座", "倍", "%", "‰")
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_NUM = r"\d+(?:\.\d+)?"
_QUALIFIER = r"左右|以上|以内|以下|上下|之间|多"
FIGURE = re.compile(
    rf"(?P<low>{_NUM})\s*(?P<unit1>{_UNIT})?\s*(?:(?:—|–|－|-|~|～|至|到)\s*(?P<high>{_NUM})\s*)?"
    rf"(?P<unit>{_UNIT})(?P<qual>{_QUALIFIER})?"
)


def figures(sentence: str) -> tuple[Figure, ...]:
    """Every figure with a unit, in order; bare numbers (years, list counts) are left out."""
    out = []
    for m in FIGURE.finditer(sentence):
        if m.group("unit1") and m.group("high") is None:
            continue  # "3%5" can't happen; a unit followed by no range is matched by the shorter pattern
        end = m.end()
        if sentence[m.start() - 1: m.start()].isdigit() or sentence[end: end + 1] == "年":
            continue
        high = m.group("high")
        out.append(Figure(m.group(0), float(m.group("low")), float(high) if high else None, m.group("unit"),
                          m.group("qual") or ""))
    return tuple(out)


# What a 多少 question wants: a figure, in digits (6%左右, 318名) or words (百分之六, 十大). A date or an item's
# number is none: "经济增长目标同2035年远景目标总体衔接" and "3.全力推进…" talk about the target without giving it;
# nor is a name (PM2.5, G20, 5G, 100G), though GDP, CPI and PPI may run into their figure (GDP6.5%), and a few
# Latin units follow one (2000MW, 500kV, 30km).
# The reports of the 1950s-80s write amounts in words too ("计划粮食产量三千九百二十亿斤", "招收研究生二万人",
# "三十多万人"): two digit words or more before a measure, not inside an ordinal (第三十二条). One digit word counts
# only before a counter (十大, 三种): 二元结构, 三台县, 四人帮 and 二次创业 give no figure; nor do 亿万人民, 千万不能,
# 千家万户 or 信心百倍, whose first word is no digit of a count, nor the congresses (十八大, 二十大).
_DIGIT_WORD = "零一二两三四五六七八九十百千万亿"
_MEASURE = ("斤|公斤|吨|担|元|美元|卢布|亩|公顷|平方公里|平方米|立方米|公里|千米|米|千瓦|人次|人|名|位|户|台|辆|只|头"
            "|座|架|艘|箱|套|张|批|种|倍|册|所|家|个|项|件|条")
_COUNTER = "个|项|件|大|条|所|家|种"
_ACRONYM = r"(?:(?<![\d.A-Za-z])|(?<=GDP)|(?<=CPI)|(?<=PPI))"
_ANY_FIGURE = re.compile(_ACRONYM + r"\d+(?:\.\d+)?(?![\d.]*[年月日号])(?![.．、](?!\d))"
                         r"(?![\d.]*(?![MGkK]W|kV|km)[A-Za-z])"
                         r"|百分之[零一二三四五六七八九十点]+"
                         rf"|(?<![第{_DIGIT_WORD}])[一二两三四五六七八九十][{_DIGIT_WORD}点]+(?:[多余几][万亿]?)?"
                         rf"(?:{_MEASURE})"
                         rf"|(?<![第{_DIGIT_WORD}])[两二三四五六七八九十](?:{_COUNTER})")  # 一个新台阶 counts nothing


def gives_figure(sentence: str) -> bool:
    """Whether the sentence gives a figure at all, with or without a unit (digits, 百分之六, 十大)."""
    return bool(_ANY_FIGURE.search(sentence))


_ASKED = re.compile(r"多少|几")


def asks_one_figure(question: str) -> bool:
    """Whether the question asks exactly one figure (one 多少 or 几): "浓度多少，优良天数多少天" asks two."""
    return len(_ASKED.findall(question)) == 1
