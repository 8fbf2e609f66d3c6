"""Periods a question names by name rather than by number: decades (90年代, 七八十年代), the years since a Party
congress (党的十八大以来) and the COVID-19 years (疫情期间)."""

from __future__ import annotations

import re

# A decade: 90年代, 2010年代, 上世纪八十年代, 七八十年代, 80、90年代, with 初/中期/末
# a part of it; not 2020年代表 (a deputy) or 70年代出生的干部 (a birth cohort).
_PART = r"(初期|初|中期|中后期|末期|末)?(?!表|出生|生人|生的)"
_DECADE = re.compile(r"([五六七八九])([五六七八九])十年代" + _PART
                     + r"|((?:19)?[5-9]0)\s*(?:、|至|到|和|与|-|—)\s*((?:19)?[5-9]0)年代" + _PART
                     + r"|(上世纪|上个世纪|20世纪|二十世纪)?((?:19|20)?\d0|[五六七八九]十)年代" + _PART)
_DECADE_PART = {"初": (0, 3), "初期": (0, 3), "中期": (4, 6), "中后期": (5, 9), "末": (7, 9), "末期": (7, 9)}
# The Party congresses the reports date their reviews from (党的十八大以来): the years after each.
_CONGRESS = re.compile(r"(?:党的)?(十[五六七八九]|二十)大(?:召开)?以来")
_CONGRESS_YEAR = {"十五": 1997, "十六": 2002, "十七": 2007, "十八": 2012, "十九": 2017, "二十": 2022}
# The COVID-19 years, as the reports of 2021-2023 review them; not 非典, 禽流感 or 口蹄疫's, and only where the question
# names no year of its own ("2022年疫情期间" is 2022).
_EPIDEMIC = re.compile(r"(?<![典感瘟疫病])(?:疫情(期间|三年|发生以来|以来|暴发那年|爆发那年|发生那年|那年)|(三年)疫情)")
_TENS = {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _decades(question: str, today: int) -> list[tuple[tuple[int, int], list[int]]]:
    """(span, years) of each decade the question names that has begun by `today`."""
    out = []
    for m in _DECADE.finditer(question):
        g = m.groups()
        if g[0]:  # 七八十年代
            starts, part = [1900 + 10 * _TENS[g[0]], 1900 + 10 * _TENS[g[1]]], g[2]
        elif g[3]:  # 80、90年代
            starts, part = [1900 + int(g[3][-2:]), 1900 + int(g[4][-2:])], g[5]
        else:
            digits, part = g[7], g[8]
            if not digits.isdigit():
                start = 1900 + 10 * _TENS[digits[0]]
            elif len(digits) == 4:
                start = int(digits)
            else:  # 90年代, 上世纪20年代: the last century; 20年代, 10年代 alone: this one
                start = (1900 if g[6] or int(digits) >= 50 else 2000) + int(digits)
            starts = [start]
        first, last = _DECADE_PART.get(part or "", (0, 9))
        years = [y for start in starts for y in range(start + first, start + last + 1) if 1949 < y <= today]
        if years:
            out.append((m.span(), years))
    return out


def without_decades(question: str, today: int) -> str:
    """`question` with the decades it names blanked out (so 2010年代 is not read as the year 2010)."""
    for (a, b), _ in reversed(_decades(question, today)):
        question = question[:a] + " " + question[b:]
    return question


def named_period_years(question: str, today: int, dated: bool = False) -> list[int]:
    """The years of the periods a question names by name: decades, the years since a Party congress, and (unless
    the question is `dated` otherwise) the epidemic."""
    years = [y for _, span in _decades(question, today) for y in span]
    for m in _CONGRESS.finditer(question):
        years.extend(range(_CONGRESS_YEAR[m.group(1)] + 1, today + 1))
    for m in [] if dated else _EPIDEMIC.finditer(question):
        said = m.group(1) or m.group(2)
        last = today if "以来" in said else min(2022, today)
        years.extend([2020] if said.endswith("那年") else range(2020, last + 1))
    return years


def without_periods(question: str) -> str:
    """`question` without its congress and epidemic periods, whose 以来 names years, not every report."""
    return _CONGRESS.sub(" ", _EPIDEMIC.sub(" ", question))
