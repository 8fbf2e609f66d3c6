"""Infer a report's title, year, region, level and kind from its own text.

Evidence, strongest first:
  region: a title line naming the place (2023年临安区政府工作报告), the delivery line
          (…在浙江省第十三届人民代表大会…), the speaker (杭州市人民政府市长, 国务院总理), "我代表X人民政府",
          then the most mentioned province/city, restricted to the level the text implies.
  year:   a title line, the delivery date before 各位代表 (Oct-Dec counts for the next year, except national
          reports, which keep the NPC session's year), then the structure: headings (一、2013年工作回顾 -> 2014)
          and body phrases (刚刚过去的2013年 -> 2014), then the file name (weak).
  level:  national for 国务院; otherwise the gazetteer level of the region (直辖市 = province).
Measured on all 2,634 reports of the corpus against its manifest: `reportqa eval-metadata`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from qa.ingest.catalog import CatalogEntry
from qa.lang.places import NATIONAL, PlaceMatcher, gazetteer

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0}
_NUM = r"[0-9０-９]{1,4}|[〇○零ＯO0一二三四五六七八九十]{1,4}"
_DATE = re.compile(rf"({_NUM})\s*年\s*({_NUM})\s*月(?:\s*({_NUM})\s*日)?")
_SESSION = re.compile(r"(?:人民代表大会|人大|代表大会)[^。\n]{0,12}(?:会议|上|通过)")
_DELIVERY_REGION = re.compile(
    r"(?:在|日|^|—|－|─)\s*(?:在\s*)?([\u4e00-\u9fff]{2,14}?)\s*(?:第[\u4e00-\u9fff0-9]{1,4}届)?人民代表大会", re.M)
_NATIONAL = re.compile(r"第[\u4e00-\u9fff]{1,3}届全国人民代表大会第[\u4e00-\u9fff]{1,3}次会议|我代表国务院|国务院(?:代)?总理")
_SPEAKER = re.compile(r"([\u4e00-\u9fff]{2,14}?)(?:人民政府|政府)?(?:代理|代)?(?:省长|市长|州长|盟长|主席)")
_ON_BEHALF = re.compile(r"我代表([\u4e00-\u9fff]{1,14}?)(?:人民政府|政府|行政公署)")
# A heading: a short line, or the part of a numbered line before the first space ('一、2011年工作回顾 2011年是…').
_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]{1,3}部分)?"
                      r"[ \t　]*([^。\s]{2,60})(?:[ \t　]|$)", re.M)
_LONG_TERM = re.compile(r"远景|展望|到(?:19|20)\d{2}年")  # '2010年远景目标' is no plan for this year
_TITLE = re.compile(r"^[^\n]{0,20}?((?:19|20)\d{2})年[^\n]{0,20}政府工作报告", re.M)
_TITLE_REGION = re.compile(r"((?:19|20)\d{2})年?\s*([\u4e00-\u9fff]{2,12}?)(?:人民)?政府(?:\(筹\)|（筹）)?工作报告")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_REVIEW = re.compile(r"回顾|成就|情况|总结|成绩|进展|估计|主要工作和|工作和")
_PLAN = re.compile(r"安排|建议|任务|目标|要求|部署|重点|计划|打算|思路|总体|年的?(?:政府)?工作$")
_PLAN_STRONG = re.compile(r"安排|建议|部署|打算|思路|总体要求|年的?(?:政府)?工作$")
# '2011年是极不平凡的一年' / '刚刚过去的2011年' look back; '2012年是“十二五”的开局之年' looks ahead.
_BODY_REVIEW = re.compile(r"(?:^|刚刚过去的|过去的)((?:19|20)\d{2})年(?:，|,|里|是[^。\n]{0,40}?(?:的一年|最后一年))", re.M)
_BODY_PLAN = re.compile(r"((?:19|20)\d{2})年(?:政府)?工作的?(?:总体要求|主要预期目标|主要目标|指导思想)"
                        r"|^((?:19|20)\d{2})年是[^。\n]{0,40}?(?:之年|第一年)", re.M)
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_YEAR = re.compile(r"([一二][〇○零ＯO0一二三四五六七八九]{3})年")
_SPACED_YEAR = re.compile(r"((?:19|20)\d{2})\s+年")


def cn_number(text: str) -> int | None:
    """'2021', '二〇二一', '十二', '二十六' -> int."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十, 十二, 二十, 二十六 (months and days)
        tens, _, ones = text.partition("十")
        return _CN_DIGIT.get(tens, 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    if all(c in _CN_DIGIT for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    return None


def delivery_date(head: str) -> tuple[int, int, str] | None:
    """(year, month, matched text) of the first date followed by a 人大 session mention, or on a line of
    its own ('（2001年1月8日）', '（2004年2月12日 徐荣凯）'). `head` is the text before 各位代表."""
    for m in _DATE.finditer(head):
        year, month = cn_number(m.group(1)), cn_number(m.group(2))
        if year is None or month is None or not 1 <= month <= 12:
            continue
        if year < 100:  # '19年2月24日'
            year += 2000 if year < 50 else 1900
        line_start = head.rfind("\n", 0, m.start()) + 1
        line_end = (head.find("\n", m.end()) + 1 or len(head) + 1) - 1
        own_line = line_end - line_start <= 30 and head[line_start:m.start()].strip(" 　—－─-（(") == ""
        if 1949 <= year <= 2100 and (own_line or _SESSION.search(head, m.end(), m.end() + 60)):
            return year, month, m.group(0)
    return None


def normalize_years(text: str) -> str:
    """'２００６年', '2012 年', '一九八七年' -> '2006年', '2012年', '1987年'."""
    text = text.translate(_FULLWIDTH)
    text = _CN_YEAR.sub(lambda m: f"{cn_number(m.group(1))}年", text)
    return _SPACED_YEAR.sub(r"\1年", text)


def content_year(text: str) -> tuple[int | None, str]:
    """Year from the report's structure, for texts without a delivery date.

    Headings: the first section (一、) reviews the previous year unless it is plainly a plan;
    later sections plan this year unless they are plainly a review. Body: a paragraph opening
    '2011年是…的一年' or '刚刚过去的2011年' reviews the previous year; '2012年是…之年' and
    '2012年工作的总体要求' plan this one.
    """
    text = normalize_years(text[:60000])
    votes: Counter[int] = Counter()
    for m in _HEADING.finditer(text):
        years = [int(y) for y in _YEAR.findall(m.group(2))]
        if not years or _LONG_TERM.search(m.group(2)):
            continue
        first = m.group(1) in ("一、", "一.", "一．", "第一部分")
        review = bool(_REVIEW.search(m.group(2))) or (first and not _PLAN_STRONG.search(m.group(2)))
        plan = not review and (not first or bool(_PLAN.search(m.group(2))))
        if review:
            votes[min(years) + 1] += 2
        elif plan:
            votes[max(years)] += 2
    for m in _BODY_REVIEW.finditer(text[:8000]):
        votes[int(m.group(1)) + 1] += 1
    for m in _BODY_PLAN.finditer(text):
        votes[int(m.group(1) or m.group(2))] += 1
    if votes:
        year, _ = votes.most_common(1)[0]
        return year, f"content {dict(votes)}"
    return None, ""

@dataclass(frozen=True)
class _Unit:
    name: str
    level: str


class _Counter:
    """Province- and prefecture-level units, found by full name or kept alias, for counting mentions."""

    def __init__(self) -> None:
        self.units: dict[str, _Unit] = {}
        self.alias: dict[str, str] = {}
        for place, aliases in gazetteer():
            if place.level not in ("province", "city") or place.name in self.units:
                continue
            self.units[place.name] = _Unit(place.name, place.level)
            for a in (place.name, *aliases):
                self.alias.setdefault(a, place.name)
        self.pattern = re.compile("|".join(sorted(map(re.escape, self.alias), key=len, reverse=True)))

    def resolve(self, text: str) -> str:
        """A canonical province/city name for a mention (浙江省, 杭州, 延边州), or ""."""
        text = text.strip().removeprefix("在")
        if text in self.alias:
            return self.alias[text]
        for suffix in ("人民政府", "政府", "省", "市"):
            if text.endswith(suffix) and text[: -len(suffix)] in self.alias:
                return self.alias[text[: -len(suffix)]]
        return ""

    def counts(self, text: str) -> Counter[str]:
        return Counter(self.alias[m.group(0)] for m in self.pattern.finditer(text))

    def level(self, region: str) -> str:
        if region == NATIONAL:
            return "national"
        unit = self.units.get(region)
        return unit.level if unit else ""


@lru_cache(maxsize=1)
def _units() -> _Counter:
    return _Counter()


def infer_metadata(
    text: str, fallback_title: str, matcher: PlaceMatcher, title_hint: str = "", date_hint: str = "",
) -> CatalogEntry:
    """Title, year, region, level and kind from the text (and a reader's title/date hints); the file name
    (`fallback_title`) only as a last resort."""
    salutation = text.find("各位代表", 0, 1500)
    head = text[:salutation] if salutation >= 0 else text[:300]  # title, delivery line, speaker
    head = f"{title_hint}\n{head}" if title_hint else head
    opening = text[:1500]
    evidence: list[str] = []
    national = bool(_NATIONAL.search(opening[:800]))
    region = _title_region(head[:300], matcher) if not national else ""
    if not region:
        region, _ = infer_region(text, opening, national, evidence)
    year, _ = infer_year(text, head, national, evidence)
    if year is None and (m := re.match(r"(?:19|20)\d{2}", date_hint)):
        year = int(m.group(0))  # a web page's publication date: reports are published the year they are delivered
    if year is None and (m := re.match(r"((?:19|20)\d{2})", fallback_title)):
        year = int(m.group(1))
    level = "national" if region == NATIONAL else (matcher.level(region) or _units().level(region))
    kind = "summary" if "图解" in text[:500] else "full"
    title = f"{year}年{region}政府工作报告" if year and region else fallback_title
    return CatalogEntry(title=title, region=region, year=year, level=level, kind=kind)


def _title_region(head: str, matcher: PlaceMatcher) -> str:
    """The place in a title line such as 2023年临安区政府工作报告, when the gazetteer knows it."""
    if m := _TITLE_REGION.search(head):
        name = matcher.canonical(m.group(2))
        if matcher.known(name) and name != NATIONAL:
            return name
    return ""


def infer_region(text: str, opening: str, national: bool, evidence: list[str]) -> tuple[str, float]:
    if national:
        evidence.append("national: 全国人民代表大会/国务院总理/我代表国务院")
        return NATIONAL, 0.95
    gaz = _units()
    region, confidence = "", 0.0
    for pattern, label, conf in ((_DELIVERY_REGION, "delivery line", 0.95),
                                 (_SPEAKER, "speaker", 0.9), (_ON_BEHALF, "我代表", 0.85)):
        found = next(((gaz.resolve(m.group(1)), m.group(0)) for m in pattern.finditer(opening)
                      if gaz.resolve(m.group(1))), None)
        if found:
            region, confidence = found[0], conf
            evidence.append(f"{label}: {found[1]}")
            break
    counts = gaz.counts(text)
    if region:
        # A header naming a place the body hardly mentions is a typo (a 宿迁 report headed 苏州市).
        rivals = [(n, c) for n, c in counts.most_common() if gaz.level(n) == gaz.level(region)]
        if rivals and rivals[0][0] != region and rivals[0][1] >= 10 * max(counts[region], 1):
            evidence.append(f"header {region} overruled by mentions {rivals[0]}")
            return rivals[0][0], 0.6
        return region, confidence
    hint = _level_hint(opening, text)
    candidates = [(n, c) for n, c in counts.most_common() if _fits(gaz, n, hint)]
    if not candidates:
        return "", 0.0
    evidence.append(f"most mentioned {hint or 'place'}: {candidates[:3]}")
    return candidates[0][0], 0.5 + 0.4 * _margin(candidates)


def infer_year(text: str, head: str, national: bool, evidence: list[str]) -> tuple[int | None, float]:
    if m := _TITLE.search(head[:300]):
        evidence.append(f"title line {m.group(0)}")
        return int(m.group(1)), 0.95
    if date := delivery_date(head):
        year, month, raw = date
        if month >= 10 and not national:
            evidence.append(f"delivery date {raw} (Oct-Dec: next year)")
            return year + 1, 0.9
        evidence.append(f"delivery date {raw}")
        return year, 0.95
    guess, why = content_year(text)
    if guess:
        evidence.append(why)
        return guess, 0.8
    return None, 0.0


def _level_hint(head: str, text: str) -> str:
    """province/city as implied by 我代表省人民政府, 省委、省政府, 全省 vs 全市 ...; "" if unclear."""
    if m := re.search(r"我代表(?:[\u4e00-\u9fff]{0,8})?(省|自治区|市|州|盟)(?:人民政府|政府|行政公署)", head):
        return "province" if m.group(1) in ("省", "自治区") else "city"
    province = len(re.findall(r"全省|省委|全区各族", text[:20000]))
    city = len(re.findall(r"全市|市委|全州|州委|全盟", text[:20000]))
    if province > 2 * city:
        return "province"
    return "city" if city > 2 * province else ""


def _fits(gaz: _Counter, name: str, hint: str) -> bool:
    """Does a place fit the level hint? 直辖市 speak of 市人民政府 but are provinces."""
    level = gaz.level(name)
    return not hint or level == hint or (hint == "city" and level == "province" and name.endswith("市"))


def _margin(candidates: list[tuple[str, int]]) -> float:
    if len(candidates) < 2:
        return 1.0
    return (candidates[0][1] - candidates[1][1]) / candidates[0][1]
