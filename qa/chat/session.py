"""Conversation state: the turns so far, the active filters and the last answer; plus `/filter` parsing."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

from qa.records import Answer, Filters, Turn

_FILTER_KEYS = {
    "地区": "regions", "区域": "regions", "region": "regions", "regions": "regions", "地方": "regions",
    "年份": "years", "年": "years", "year": "years", "years": "years",
    "文档": "doc_ids", "报告": "doc_ids", "doc": "doc_ids", "docs": "doc_ids", "doc_id": "doc_ids", "doc_ids": "doc_ids",
}
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
    years = []
    for v in parsed.get("years", []):
        m = _YEAR_VALUE.match(v)
        if not m:
            raise UsageError(f"年份应为四位数字，例如 年份=2024（收到 {v!r}）")
        if int(m.group(1)) not in years:
            years.append(int(m.group(1)))
    base = current or Filters()
    return replace(
        base,
        regions=tuple(parsed["regions"]) if "regions" in parsed else base.regions,
        years=tuple(years) if "years" in parsed else base.years,
        doc_ids=tuple(parsed["doc_ids"]) if "doc_ids" in parsed else base.doc_ids,
    )


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
