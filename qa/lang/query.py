"""What a question asks: which places, which years (explicit, relative, ranges, plan periods), and what kind of answer.

A report of year Y reviews year Y-1 and sets targets for Y, so the years here are the years the question is
*about*; `qa/search/scope.py` turns them into report years by the question's intent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from qa.lang.periods import named_period_years, without_decades, without_periods
from qa.lang.places import NATIONAL, PlaceMatcher
from qa.lang.towns import towns

_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
YEAR = re.compile(r"(?<![\d.])((?:19[5-9]|20[0-4])\d)(?:年|(?![\d.%万亿元个]))")
# 19年 means 2019 in speech; "用10年时间", "连续20年" do not, hence the guards on both sides.
# Before the number: 过去10年, 未来10年, 这20年, 新时代10年, 创15年以来新高 are spans of time; PM10年均, G20年 are names.
# So are 成立75年, 历时65年, 已有85年历史 and 工龄55年以上, whatever the number.
_NOT_A_COUNT = (r"(?<![\d.A-Za-z第近前后过去来这代创用续了多几每满达])"
                + "".join(f"(?<!{w})" for w in ("成立", "建国", "建党", "建市", "历时", "时隔", "相隔", "已有", "工龄", "党龄",
                                                "奋斗", "走过")))
_NOT_A_DURATION = r"(?!代|来|间|以来|内|前|后|底|初|末|中|时|左右|多|均|以上|以下|历史)"
# 1990-2029, and 1951-1989 but for the round 60, 70, 80: those before 年 are more often durations (建国60年, 奋斗70年).
_YY_DIGITS = r"[0-2]\d|9\d|[5-8][1-9]"
_YY = f"({_YY_DIGITS})"
_SHORT_YEAR = re.compile(_NOT_A_COUNT + _YY + "年" + _NOT_A_DURATION)
# Colloquial short years in a range ("21-23年", "98到02年") or a list ("21、22年"): the first number is a year too.
_SHORT_RANGE = re.compile(_NOT_A_COUNT + _YY + r"\s*年?\s*(?:到|至|-|—|–|~|～)\s*" + _YY + r"\s*年" + _NOT_A_DURATION)
_SHORT_LIST = re.compile(_NOT_A_COUNT + _YY + rf"(?=(?:\s*[、和与及]\s*(?:{_YY_DIGITS}))+\s*年" + _NOT_A_DURATION + ")")
# Before 政府工作报告, a round 60年 too is a report's year, not a span of time ("60年政府工作报告说…"), and so are
# the question's other short years of those decades.
_OLD_YY = r"([5-8]\d)"
_OLD_REPORT_YEAR = re.compile(_NOT_A_COUNT + _OLD_YY + r"年(?=的?(?:国务院)?(?:政府工作报告|政府报告|报告))")
_OLD_SHORT_YEAR = re.compile(_NOT_A_COUNT + _OLD_YY + "年" + _NOT_A_DURATION)
_CN_YEAR = re.compile(r"([一二][〇零○一二三四五六七八九]{3})年")
# 二〇一九年, and 二〇一九 opening a range (二〇一九到二〇二三年).
_CN_YEAR_NUMBER = re.compile(r"(?<![〇零○一二三四五六七八九十])([一二][〇零○一二三四五六七八九]{3})"
                             r"(?=\s*(?:年|到|至|-|—|–|~|～))")
_RANGE = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*(?:到|至|-|—|–|~|～)\s*((?:19|20)?\d{2})\s*年")
_RECENT = re.compile(r"(?:近|最近|过去)([一二两三四五六七八九十\d]{1,2})年")
_PLAN_PERIOD = re.compile(r"(?<![一二三四五六七八九十第])(十[一二三四五]|[九十])五(?!届|年|个|倍|亿|万|大)")
_PLAN_START = {"九": 1996, "十": 2001, "十一": 2006, "十二": 2011, "十三": 2016, "十四": 2021, "十五": 2026}
RELATIVE = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "上一年": -1, "前年": -2, "大前年": -3, "明年": 1,
            "后年": 2, "大后年": 3}
# Longest first, so 大前年 is not also read as 前年. 后年 inside 投产后年产值, 以后年均, 明后年 is no year.
_RELATIVE_WORD = re.compile("|".join(r"(?<![产成然此之以最今明前投])后年(?![均度产销量])" if word == "后年" else word
                                     for word in sorted(RELATIVE, key=len, reverse=True)))
# A relative year right after 比 or 较 and before a change ("比上年增长", "较去年同期下降") is the base the change
# is measured from; "今年目标比去年高吗" compares two years' figures, and asks both.
_COMPARED = re.compile(r"(?:比|较|与|同)$")
_CHANGE_AFTER = re.compile(r"(?:同期|末|底|度)?(?:相比)?(?:增长|增加|下降|减少|提高|降低|上升|回落|增(?!速|幅)|降(?!幅)|涨"
                           r"|多|少|翻)")
# "2019年以来", "2021年至今": every year from then to now. Two digits are left alone: "创15年以来新高" is a span.
_SINCE = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年?\s*(?:以来|至今|到现在|到目前|到今天)")
# "到2025年", "2035年远景目标": a plan's horizon, set in earlier reports, not the year of a report.
_HORIZON = re.compile(r"(?<![\d年])(?:到|至)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年(?:前|以前|远景)")
HORIZON_AHEAD = 2  # a target year at least this far ahead of today is a plan's horizon too
# "现在/目前是多少" asks for the latest figure: the newest report up to today (or the conversation's year).
_PRESENT = re.compile(r"(?<![体表实出展])现在|目前|当前|如今|眼下|最新|现阶段")  # not 体现在, 实现在 …
_ALL_YEARS = re.compile(r"历年|历次|每年|逐年|各年|这些年|多年来|改革开放以来|以来")

# "要/将/控制在" speak of the year ahead: "要增长多少", "失业率要控制在多少".
_TARGET = re.compile(r"目标|预期|计划|力争|打算|要求|(?<![认核评鉴审])定[了的]|确定|拟|安排|部署|提出|将要|要|将"
                     r"|控制在|争取(?!到(?![\d二]))|规划|准备")  # 争取到多少: obtained; 争取到2025年: by then
# "哪些指标低于计划", "没完成", "目标完成了吗": the outcome measured against a target, which the next year's review
# gives; the target's own report only promised.
# "超过多少" asks for a threshold ("要让人均纯收入稳定超过多少钱"), not whether one was beaten.
_SHORTFALL = re.compile(r"(?:低于|高于|超过)(?!多少|几)|超额|没完成|未完成|没有完成|没达到|未达到|没有达到|没实现|未实现"
                        r"|没达成|未达成|没有达成|达成了[吗没]|达成没|是否达成|有没有达成"
                        r"|完成了[吗没]|完成没|有没有完成|是否完成|实现了[吗没]|有没有实现|是否实现|达到了[吗没]|有没有达到"
                        r"|是否达到|达标了|超没超")
_OUTCOME = re.compile(r"实际|争取到(?![\d二])|完成|实现了|增长了|达到了|多少了|取得|成效|成绩|回顾|过去一年|去年|上年|结果|做到"
                      r"|降低了|下降了|提高了"
                      r"|了(?:哪些|多少|几|什么)")  # 开通了哪些, 引进了多少: a done deed (定了多少 is a target, tested first)
_HOW_MUCH = re.compile(r"多少|几[个项家所条次倍成]|多大|多高|多快")
_LIST = re.compile(r"哪些|有什么|包括|措施|举措|重点|任务|工程|项目|政策|内容|方面|怎么做|如何")
_QUOTED = re.compile(r"[“\"「『《]([^“”\"「」『』《》]{2,24})[”\"」』》]")
_COMPARE = re.compile(r"比较|相比|对比|哪个|分别|变化|趋势|高还是低|差距|历年|逐年|和.{1,8}(?:比|相比)|与.{1,8}相比")
_LEVEL_WORDS = {"province": re.compile(r"全省|省级|省政府|省委|各省"), "city": re.compile(r"全市|市级|市政府|市委|各市"),
                "district": re.compile(r"全区|区级|区政府"), "county": re.compile(r"全县|县级|县政府")}


@dataclass(frozen=True)
class QueryInfo:
    regions: tuple[str, ...]  # canonical places in order of mention; 国务院 for the national level
    years: tuple[int, ...]  # years the question is about, explicit or resolved from 去年/十三五/2019到2021年
    relative: bool = False  # the years came only from 今年/去年/明年, so they are soft
    all_years: bool = False  # 历年, 每年, 改革开放以来: every report of the place
    horizons: tuple[int, ...] = ()  # 到2025年, 2035年远景: plan horizons, searched for in the reports before them
    intent: str = "other"  # target | outcome | list | other
    compare: bool = False  # 分别, 相比, 历年: the answer spans several reports
    levels: tuple[str, ...] = ()  # level words: 全省 -> province
    phrases: tuple[str, ...] = ()  # quoted names ("“22688”交通大会战"): a passage that says them verbatim is likelier
    towns: tuple[str, ...] = ()  # 瓜沥镇, 宁围街道: places below the gazetteer, with no report of their own
    # The outcome is asked in so many words (实际, 完成, 增长了), not only read from a bare 多少.
    stated_outcome: bool = False
    # "现在/目前" with no year named: the year it is now (today's, or `as_of`), whose report is the newest.
    now: int | None = None
    # The year names the report itself ("2023年报告说…", "2017年政府工作报告里的…"), not the year asked about:
    # that report is meant, whatever the intent would otherwise point at.
    report_year: bool = False
    # (first, last) year of the five-year plan the years came from (十三五 -> 2016, 2020), when that is all they are.
    period: tuple[int, int] | None = None

    @property
    def national(self) -> bool:
        return NATIONAL in self.regions


def _cn_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _CN_NUM.get(text[1:], 0)
    return _CN_NUM.get(text, 0)


def _full_year(text: str) -> int:
    """"2019" -> 2019, "19" -> 2019, "98" -> 1998."""
    value = int(text)
    return value if value >= 100 else (2000 + value if value < 50 else 1900 + value)


def _plan_starts(question: str) -> list[int]:
    """The first years of the five-year plans the question names (十三五 -> 2016), in order."""
    return [_PLAN_START[m.group(1)] for m in _PLAN_PERIOD.finditer(question) if m.group(1) in _PLAN_START]


def years_in(question: str, today: int) -> tuple[list[int], bool, bool]:
    """(years, only_relative, all_years) mentioned in a question, in order."""
    question = canonical_years(question)  # 二〇一九年, 19年, 19-21年: read in one spelling
    years: list[int] = []
    for m in _RANGE.finditer(question):
        start, end = int(m.group(1)), m.group(2)
        stop = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
        if start <= stop <= start + 60:
            years.extend(range(start, stop + 1))
    for m in _SINCE.finditer(question):
        years.extend(range(_full_year(m.group(1)), today + 1))
    years += [int(y) for y in YEAR.findall(without_decades(question, today))]
    for first in _plan_starts(question):
        years.extend(range(first, first + 5))
    years += named_period_years(question, today, bool(years) or bool(_RELATIVE_WORD.search(question)))
    for m in _RECENT.finditer(question):
        n = _cn_int(m.group(1))
        if 0 < n <= 30:
            years.extend(range(today - n, today))
    explicit = bool(years)
    relative = list(_RELATIVE_WORD.finditer(question))
    asked = [m for m in relative
             if not (_COMPARED.search(question, 0, m.start()) and _CHANGE_AFTER.match(question, m.end()))]
    # "2012年GDP比上年增长了多少" asks 2012: 上年 after 比 is the base of its change. Alone, it still places the
    # question ("GDP比上年增长多少": the latest year).
    years += [today + RELATIVE[m.group(0)] for m in (asked if explicit or asked else relative)]
    # "2019年以来" names its years; 以来 alone (改革开放以来) means every report.
    all_years = bool(_ALL_YEARS.search(without_periods(_SINCE.sub(" ", question))))
    return list(dict.fromkeys(years)), bool(years) and not explicit, all_years


def digit_years(text: str) -> str:
    """The text with years written in characters (一九五七年, 二〇二一年) in digits; nothing else changes."""
    return _CN_YEAR_NUMBER.sub(lambda m: m.group(1).translate(_CN_DIGITS), text)


_YEAR_NAMED = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def years_named(text: str) -> set[int]:
    """The four-digit years a text names, in digits or in characters (一九五七年)."""
    return {int(y) for y in _YEAR_NAMED.findall(digit_years(text))}


def canonical_years(question: str) -> str:
    """The question with every year it names in four digits: 二〇二一年 and 21年 become 2021年, 21-23年 2021-2023年.
    Downstream, one spelling is matched (report years, horizons, the phrase bonus), and the query's embedding
    reads the year as the reports print it: "二〇二三年" embedded far from the passages that say "2023年"."""
    question = digit_years(question)
    spans = [m.span(1) for m in _SHORT_YEAR.finditer(question)]
    spans += [m.span(g) for m in _SHORT_RANGE.finditer(question) for g in (1, 2)]  # 98到02年 -> 1998到2002年
    spans += [m.span(1) for m in _SHORT_LIST.finditer(question)]
    if _OLD_REPORT_YEAR.search(question):
        spans += [m.span(1) for m in _OLD_SHORT_YEAR.finditer(question)]
    for start, end in sorted(set(spans), reverse=True):
        question = question[:start] + str(_full_year(question[start:end])) + question[end:]
    return question


def intent_of(question: str) -> str:
    if _SHORTFALL.search(question):
        return "outcome"
    if _TARGET.search(question):
        return "target"
    if _OUTCOME.search(question):
        return "outcome"
    if _LIST.search(question):
        return "list"
    if _HOW_MUCH.search(question):
        return "outcome"  # "2020年经济增速是多少": with no target word, a figure asked for is what happened
    return "other"


# "2023年报告", "2020年的国务院报告", "17年政府工作报告", "国务院2016年说的": a year, then within a few words
# the report, or its saying something.
_REPORT_OF_YEAR = re.compile(r"((?:19|20)\d{2}|(?<!\d)\d{2})年(?:的)?[^，,。；;？?！!\d年]{0,8}?"
                             r"(?:报告|说的|说了|提出|提的|讲的|强调)")


def parse_query(question: str, matcher: PlaceMatcher, today: dt.date | None = None) -> QueryInfo:
    """Places, years, intent and level words of a question."""
    year_now = (today or dt.date.today()).year
    # Whole, so that what is read after a named report ("75年政府工作报告说74年…") keeps the years it reads as such.
    question = canonical_years(question)
    years, relative, all_years = years_in(question, year_now)
    levels = tuple(level for level, pattern in _LEVEL_WORDS.items() if pattern.search(question))
    intent = intent_of(question)
    mentions = [] if relative else list(_REPORT_OF_YEAR.finditer(question))
    # A past 到2020年 is an outcome's year when the outcome is asked in so many words or beside another year, and no
    # report is named ("2015年提出到2020年的目标实现了吗" keeps its horizon; "到2020年城镇化率达到多少" too).
    stated = bool(_SHORTFALL.search(question) or _OUTCOME.search(question))
    marked = _marked(question)
    past_as_years = intent == "outcome" and not mentions and (stated or any(y not in marked for y in years))
    horizons = horizon_years(question, years, intent, year_now, past_as_years)
    named = [_full_year(m.group(1)) for m in mentions]
    if named:
        # "昆明2021年报告里，十三五期间…": the report is 2021's; 十三五 is what it says, not more reports to read.
        # "19年国务院报告里说2018年…": the years said after the report is named are what it speaks of, too.
        spoken = {y for first in _plan_starts(question) for y in range(first, first + 5)}
        spoken |= set(years_in(question[mentions[-1].end():], year_now)[0])
        horizons = tuple(h for h in horizons if h not in named)
        years = [y for y in dict.fromkeys(years) if y in named or y not in spoken]
    return QueryInfo(regions=tuple(matcher.find(question)), years=tuple(y for y in years if y not in horizons),
                     relative=relative, all_years=all_years, intent=intent, compare=bool(_COMPARE.search(question)),
                     levels=levels, horizons=horizons, phrases=quoted_phrases(question),
                     towns=tuple(towns(question, lambda name: bool(matcher.find(name)))),
                     stated_outcome=stated,
                     now=year_now if not years and not horizons and _PRESENT.search(question) else None,
                     report_year=bool(named), period=None if named else plan_period(question, years))


def plan_period(question: str, years: list[int]) -> tuple[int, int] | None:
    """(first, last) year of the one five-year plan the question names, when its years are that plan's and no other."""
    firsts = set(_plan_starts(question))
    if len(firsts) != 1:
        return None
    first = firsts.pop()
    return (first, first + 4) if set(years) == set(range(first, first + 5)) else None


def quoted_phrases(question: str) -> tuple[str, ...]:
    """The names a question puts in quotes or title marks: slogans, programmes, plans ("“515”产业", "《纲要》")."""
    return tuple(dict.fromkeys(m.group(1).strip() for m in _QUOTED.finditer(question) if m.group(1).strip()))


def horizon_years(question: str, years: list[int], intent: str, today: int, past_as_years: bool = False) -> tuple[int, ...]:
    """The years of `years` that are plan horizons: marked (到2025年, 2035年远景) or, for a target, still
    years ahead; no report is delivered in them, the reports before them set them. With `past_as_years`, a marked
    year already past is a year like any other ("2008年是多少，到2020年又是多少": the report after it reviews it)."""
    marked = _marked(question) - ({*range(today)} if past_as_years else set())
    ahead = {y for y in years if intent == "target" and y >= today + HORIZON_AHEAD}
    return tuple(y for y in years if y in marked | ahead)


def _marked(question: str) -> set[int]:
    """The years the question marks as a plan's horizon (到2025年, 2035年远景)."""
    return {int(a or b) for a, b in _HORIZON.findall(question)}


def strip_years(question: str, keep: tuple[int, ...] = ()) -> str:
    """The question without its explicit years, which choose reports rather than name a topic; years in
    `keep` (plan horizons: "到2025年" is said in the reports) stay."""
    question = without_decades(question, dt.date.today().year)
    for pattern in (_RANGE, _SHORT_RANGE, _SINCE, YEAR, _CN_YEAR, _SHORT_LIST, _SHORT_YEAR):
        question = pattern.sub(lambda m: m.group(0) if _year_of(m.group(0)) in keep else " ", question)
    return question


def plan_periods_ending(year: int) -> list[str]:
    """2025 -> ["十四五"]: the five-year plan whose last year it is."""
    return [f"{name}五" for name, first in _PLAN_START.items() if first + 4 == year]


def year_in_chinese(year: int) -> str:
    """2035 -> 二〇三五, as reports write plan horizons."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


def _year_of(text: str) -> int | None:
    digits = re.search(r"\d{4}", text)
    return int(digits.group(0)) if digits else None


def report_years_for(year: int) -> tuple[int, int]:
    """Reports that speak about `year`: the one delivered that year (plans) and the next (review)."""
    return year, year + 1
