"""What a question says about place and time, used to prefer matching reports."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.lang.places import PlaceMatcher

YEAR = re.compile(r"(?<!\d)((?:19[5-9]|20[0-4])\d)(?:年|(?![\d.%]))")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
RELATIVE = ("今年", "去年", "明年", "上年", "前年", "本年", "当年")  # follow-up detection treats them as drill words


@dataclass(frozen=True)
class QueryInfo:
    regions: tuple[str, ...]
    years: tuple[int, ...]


def parse_query(question: str, matcher: PlaceMatcher) -> QueryInfo:
    """Regions (canonical names) and explicit years a question mentions."""
    years = [int(y) for y in YEAR.findall(question)]
    years += [int(y.translate(_CN_DIGITS)) for y in _CN_YEAR.findall(question)]
    return QueryInfo(
        regions=tuple(matcher.find(question)),
        years=tuple(dict.fromkeys(years)),
    )


def report_years_for(year: int) -> tuple[int, int]:
    """Reports that speak about `year`: the one delivered that year (plans) and the next (review)."""
    return year, year + 1
