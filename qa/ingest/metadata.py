"""Infer a report's title, region, year, level and kind from its opening text."""

from __future__ import annotations

import re
from collections import Counter

from qa.ingest.catalog import CatalogEntry
from qa.lang.places import PlaceMatcher

_TITLE = re.compile(r"((?:19|20)\d{2})年?\s*([\u4e00-\u9fff]{2,12}?)(?:人民)?政府(?:\(筹\)|（筹）)?工作报告")
_DELIVERY = re.compile(r"[（(]\s*((?:19|20)\d{2})年\d{1,2}月\d{1,2}日在([\u4e00-\u9fff]{2,12}?)第[\u4e00-\u9fff]+届人民代表大会")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


def infer_metadata(
    text: str, fallback_title: str, matcher: PlaceMatcher, title_hint: str = "", date_hint: str = "",
) -> CatalogEntry:
    """Guess title, region, year, level and kind from a report's opening text (and a reader's title/date hints)."""
    head = f"{title_hint}\n{text[:3000]}" if title_hint else text[:3000]
    title = region = ""
    year: int | None = None
    if m := _TITLE.search(head):
        year, region, title = int(m.group(1)), m.group(2), m.group(0)
    if m := _DELIVERY.search(head):
        year = year or int(m.group(1))
        region = region or m.group(2)
    if region:
        region = matcher.canonical(region)
    if not region:
        counts = Counter(p for p in matcher.find_all(text[:20000]))
        region = counts.most_common(1)[0][0] if counts else ""
    if year is None:
        years = Counter(int(y) for y in _YEAR.findall(head))
        year = years.most_common(1)[0][0] if years else None
    if year is None and (m := re.match(r"(?:19|20)\d{2}", date_hint)):
        year = int(m.group(0))  # a web page's publication date: reports are published the year they are delivered
    level = matcher.level(region) or _level_from_suffix(region)
    kind = "summary" if "图解" in head[:500] else "full"
    if not title:
        title = f"{year or ''}年{region}政府工作报告" if region and year else fallback_title
    return CatalogEntry(title=title, region=region, year=year, level=level, kind=kind)


def _level_from_suffix(region: str) -> str:
    if region in ("国务院", "全国", "中国"):
        return "national"
    if region.endswith(("省", "自治区")):
        return "province"
    if region.endswith(("区", "县")):
        return "district"
    return "city" if region else ""
