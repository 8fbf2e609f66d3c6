"""Conversation state: the turns so far, the active filters and the last answer; plus `/filter` parsing."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

from qa.core.records import Answer, Filters, Turn

_FILTER_KEYS = {
    "地区": "regions", "区域": "regions", "region": "regions", "regions": "regions", "地方": "regions",
    "年份": "years", "年": "years", "year": "years", "years": "years",
    "文档": "doc_ids", "报告": "doc_ids", "doc": "doc_ids", "docs": "doc_ids", "doc_id": "doc_ids", "doc_ids": "doc_ids",
    "级别": "levels", "层级": "levels", "level": "levels", "levels": "levels",
    "从": "year_from", "from": "year_from", "到": "year_to", "to": "year_to",
    "含下级": "include_subregions", "subregions": "include_subregions",
}
_LEVELS = {"国家": "national", "全国": "national", "national": "national", "省": "province", "省级": "province",
           "province": "province", "市": "city", "地市": "city", "city": "city", "区": "district", "district": "district",
           "县": "county", "county": "county"}
_SPLIT_VALUES = re.compile(r"[,，、;；]+")
_YEAR_VALUE = re.compile(r"^(\d{4})年?$")


class UsageError(ValueError):
    """A `/filter` argument the chat cannot read; the message says what would work."""


@dataclass
class ChatSession:
    top_k: int = 5
    history: list[Turn] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    last: Answer | None = None
    warned: set[str] = field(default_factory=set)

    def describe_filters(self) -> str:
        f = self.filters
        parts = []
        if f.regions:
            parts.append("地区=" + ",".join(f.regions))
        if f.years:
            parts.append("年份=" + ",".join(map(str, f.years)))
        if f.doc_ids:
            parts.append("文档=" + ",".join(f.doc_ids))
        if f.levels:
            parts.append("级别=" + ",".join(f.levels))
        if f.year_from is not None or f.year_to is not None:
            parts.append(f"年份范围={f.year_from or ''}–{f.year_to or ''}")
        if f.include_subregions:
            parts.append("含下级地区")
        return " ".join(parts)

    def remember(self, question: str, result: Answer) -> None:
        self.last = result
        self.history.append(Turn(question=question, answer=result.answer))


def parse_filter_args(text: str, current: Filters | None = None) -> Filters:
    """`地区=萧山 年份=2023,2024 doc=abc` -> Filters; fields not named keep their `current` values."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        tokens = text.split()
    parsed: dict[str, list[str]] = {}
    for token in tokens:
        token = token.replace("＝", "=").replace("：", "=")
        key, sep, value = token.partition("=")
        if not sep:
            key, sep, value = token.partition(":")
        field_name = _FILTER_KEYS.get(key.strip().lower())
        if not sep or field_name is None:
            raise UsageError(f"看不懂筛选条件 {token!r}；示例：/filter 地区=萧山 年份=2024 （或 region= year= doc=）")
        values = [v.strip() for v in _SPLIT_VALUES.split(value) if v.strip()]
        if not values:
            raise UsageError(f"筛选条件 {key} 没有给出取值")
        bucket = parsed.setdefault(field_name, [])
        bucket.extend(v for v in values if v not in bucket)
    if not parsed:
        raise UsageError("示例：/filter 地区=萧山 年份=2024；/filter clear 清除筛选")
    years = [_year(v) for v in parsed.get("years", [])]
    levels = []
    for v in parsed.get("levels", []):
        if v.lower() not in _LEVELS:
            raise UsageError(f"级别应为 国家/省/市/区/县（收到 {v!r}）")
        levels.append(_LEVELS[v.lower()])
    base = current or Filters()
    return replace(
        base,
        regions=tuple(parsed["regions"]) if "regions" in parsed else base.regions,
        years=tuple(dict.fromkeys(years)) if "years" in parsed else base.years,
        doc_ids=tuple(parsed["doc_ids"]) if "doc_ids" in parsed else base.doc_ids,
        levels=tuple(dict.fromkeys(levels)) if "levels" in parsed else base.levels,
        year_from=_year(parsed["year_from"][0]) if "year_from" in parsed else base.year_from,
        year_to=_year(parsed["year_to"][0]) if "year_to" in parsed else base.year_to,
        include_subregions=parsed["include_subregions"][0] in ("1", "是", "yes", "true") if "include_subregions" in parsed
        else base.include_subregions,
    )


def _year(value: str) -> int:
    m = _YEAR_VALUE.match(value)
    if not m:
        raise UsageError(f"年份应为四位数字，例如 年份=2024（收到 {value!r}）")
    return int(m.group(1))


_TIMELINE_KEYS = {"地区": "region", "region": "region", "从": "from", "from": "from", "到": "to", "to": "to"}


def parse_timeline_args(text: str) -> tuple[str, str | None, int | None, int | None]:
    """`城镇新增就业目标 地区=国务院 从=2015 到=2024` -> (question, region, from, to)."""
    words: list[str] = []
    found: dict[str, str] = {}
    for token in text.split():
        key, sep, value = token.replace("＝", "=").partition("=")
        if sep and key.lower() in _TIMELINE_KEYS and value:
            found[_TIMELINE_KEYS[key.lower()]] = value.removesuffix("年")
        else:
            words.append(token)

    def year(name: str) -> int | None:
        value = found.get(name)
        return int(value) if value and value.isdigit() else None

    return " ".join(words), found.get("region"), year("from"), year("to")
