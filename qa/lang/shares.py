"""A question that asks a share ("占GDP比重是多少", "出口占全国份额多少"), and whether an answer line gives one.

"杭州出口占全国份额是多少" is not answered by "货物出口3693亿元" nor by "确保全市出口占全国份额基本稳定": a share is
given as a percentage (or 百分之…, 几成) in a clause that says what it is a share of (比重, 占, 之比, 份额, 比例).
A question that asks a list ("提高哪五个比重") asks no share's figure.
"""

from __future__ import annotations

import re

_SHARE_ASKED = re.compile(r"比重|占比|份额|占[^，,。？?]{0,14}(?:多少|百分之几|几成|多大)")
_LIST = re.compile(r"哪")
_CLAUSE = re.compile(r"[，,；;。]")
_SHARE_SAID = re.compile(r"比重|占|之比|份额|比例|比率")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之|\d+(?:\.\d+)?成|[一二三四五六七八九]成")


# What a share is of, when the question says ("占全国份额", "占GDP比重"): a clause that says what its share is of
# must say that; "工业制成品占出口产品比重达到72.3%" is no share of 全国. A share said with no whole ("服务业增加值占比
# 提高到68.4%") is left to the share alone.
_OF = re.compile(r"占([^，,。？?]{1,12}?)(?:的)?(?:比重|份额|比例|多少|百分之几|几成|多大)")
_OF_SAID = re.compile(r"占([^，,；;。比]{1,12}?)(?:的)?(?:比重|份额|比例|总量的|\d|百分之|[一二三四五六七八九]成)")
_WHOLES: tuple[tuple[str, ...], ...] = (("全国",), ("全省",), ("全市",), ("gdp", "生产总值", "经济总量"))


def asks_share(question: str) -> bool:
    return bool(_SHARE_ASKED.search(question)) and not _LIST.search(question)


def _whole(question: str) -> list[str]:
    """The words of every whole the question's share is of ("占全市GDP比重": 全市, and GDP's)."""
    of = _OF.search(question.lower())
    return [word for words in _WHOLES if of and any(w in of.group(1) for w in words) for word in words]


def gives_share(line: str, question: str = "") -> bool:
    """Whether a clause of the line gives a percentage as a share, of what the question's share is of where both
    say."""
    whole = _whole(question)
    for clause in _CLAUSE.split(line.lower()):
        if _SHARE_SAID.search(clause) and _PERCENT.search(clause):
            of = _OF_SAID.search(clause)
            if not whole or of is None or any(word in of.group(1) for word in whole):
                return True
    return False
