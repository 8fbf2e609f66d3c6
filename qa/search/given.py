"""Whether the answer line gives what the question asks: a figure in the asked unit, a rank, the asked year's result.

A line that talks about the question's topic without giving what it asks answers nothing, and says so: "多少亿吨"
is not answered by a count of 标箱 (`qa.lang.units`), "在全省排第几" by a growth rate (`qa.lang.ranks`), a past
year's result by a later report's targets (below), nor a target ("社零增长目标多少") by what a review says happened.

"钱塘区2020年居民人均可支配收入多少" asks what happened in 2020; the 2021 report's "城乡居民收入倍差控制在1.8以内"
and "城镇登记失业率控制在3.5%以内" are what 2021 and the years after are meant to reach. A report reviews the years
before it in results ("增长3.9%", "比上年增长7.8%") and plans its own in targets ("7%左右", "力争", "预期目标"):
when every figure the line gives is such a target, set after the asked year, the figure asked for is not given.
The other way round, a report's review gives the years before its own: "南昌98年社零多少" is not answered by the 1998
report's "预计完成109.7亿元", which is 1997's.

Nor is a 多少 question answered by a line that gives no figure, change, share or rank at all ("萧山2024年最低工资标准
是多少": "居民可支配收入与经济增长同步"), or one year's by figures that are all over several years ("97年外商直接投资
实际到位多少": "五年累计1858亿美元").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.lang.changes import asks_change_only, gives_change
from qa.lang.figures import asks_one_figure, gives_figure
from qa.lang.qualifiers import part_only, unsaid
from qa.lang.query import digit_years, years_named
from qa.lang.ranks import asks_rank_only, gives_rank
from qa.lang.shares import asks_share, gives_share
from qa.lang.stance import asks_one_year, over_years_only, stance
from qa.lang.units import asked_unit, asks_stock, asks_total, gives_level, gives_unit

_CLAUSE = re.compile(r"[，,：:、；;]")
_RATES = ("增长", "增速", "增幅")
_OWN_YEAR = re.compile(r"今年|本年|当年")
_FULL_STOP = re.compile(r"[。！？!?]")
# A list of targets says so once, before its first item; the items after it carry no target word of their own.
# A target only compared with ("超过预期目标", "低于3%左右的预期目标", "完成预期目标") leads no list.
_LEAD = re.compile(r"(?<![过于的成现到])(?:主要)?预期目标|主要目标是|目标是|目标为|力争(?!上游)")
# A sentence that says what happened leads no list of targets ("完成了…各项预期目标。全省实现生产总值…").
_RESULT_WORDS = re.compile(r"完成|实现|去年|上年|过去|回顾")
# Words that make a clause a target wherever it stands; a bare qualifier (控制在3%以内, 90%以上) does so only outside
# the review, which reports such figures as achieved.
_PLAN_WORDS = re.compile(r"今年|本年|拟|预期|力争|争取|确保|主要目标|目标是")
# A result said in so many words, whatever else the clause says ("实际完成1.1万亿元", "超额完成").
_DONE = re.compile(r"实际(?!利用|使用|到位)|完成了|实现了|超额|超过预期|好于预期|高于预期|低于预期")
# "预计全年地区生产总值突破2200亿元": the report's estimate of the year just ended is that year's result.
_ESTIMATE = re.compile(r"预计")
# The part of a report that plans: its heading says so ("二、2024年工作安排", "今年的主要任务") and does not review
# ("一、2023年工作回顾"). 计划 alone is no sign: "“十五”计划开局良好" heads a review.
_PLANNING = re.compile(r"安排|目标任务|主要任务|工作任务|重点工作|总体要求|预期目标|主要目标|工作部署|打算|建议|展望")
# A review said in so many words; part() also takes words that head a review more often than a plan, though plans
# use them too ("做好“十四五”开局工作", "推动高质量发展取得显著进展").
_REVIEW_SAID = re.compile(r"回顾|过去|一年来|五年来|总结|完成情况|执行情况")
_REVIEWING = re.compile(_REVIEW_SAID.pattern + r"|成绩|成就|以来|开局|取得")
# A target's figure asked in so many words ("社零增长目标多少", "计划增长多少"); 要/将/提出 also ask one, but less
# surely, "为什么没定目标" or "打算启动哪些项目" ask no figure, "目标完成了吗" asks what happened, and 计划单列市,
# 计划生育 and 预期寿命 are no targets.
_TARGET_ASKED = re.compile(r"(?:目标|预期(?!寿命)|计划(?!单列|生育)|打算|力争)"
                           r"(?![^，,。？?！!]*?(?:完成|实现|达到|达成)了?(?:吗|没))[^，,。？?！!]*?(?:多少|几)")
# Anything in a sentence that may set or recall a target: a sentence with none of these, in a review, says what
# happened ("社会消费品零售总额增长5.3%"). 要 plans; 主要, 重要, 需要, 首要, 必要, 只要, 要素 and 要点 do not. A
# review's 预计 estimates the year just ended, and 规模以上 or 限额以上 name a size of firm, not a floor to reach.
_MAY_PLAN = re.compile(r"目标|预期|预定|计划|规划|力争|争取|确保|左右|(?<!规模|限额)以上|以内|控制在|不低于|不超过|突破"
                       r"|(?<![主重需纲摘首必只概提次])要(?!素|点)|将|拟|今年|承诺|确定的|下达|任务|期望")
# What may plan, anywhere in a section path, for `reviews_only`: a heading may join both parts ("1998年工作回顾和
# 1999年工作目标").
_PLAN_NEAR = re.compile(_PLANNING.pattern + r"|目标|基本要求|开局|今年|明年|主要工作|部署|任务")


def part(section: str) -> str | None:
    """"plan" or "review": the part of the report a passage's section path is in, by its first heading that says
    (a plan's sub-heading often reads "取得新突破"); None when none does."""
    for heading in section.split(" > "):
        reviews, plans = bool(_REVIEWING.search(heading)), bool(_PLANNING.search(heading))
        if reviews != plans:
            return "review" if reviews else "plan"
    return None


def not_given(question: str, line: str, picked: Sequence[tuple[int, str]], texts: Sequence[str],
              report_years: Sequence[int | None] = (), outcome_years: Sequence[int] = (),
              parts: Sequence[str | None] = (), wordings: Sequence[dict[str, float]] = (),
              sections: Sequence[str] = (), inner: Sequence[tuple[str, str]] = (),
              number_question: bool = False, years_loose: bool = False) -> str | None:
    """Why the answer line (`picked` from `texts`, formatted as `line`) does not give what the question asks, or
    None when it does. `outcome_years`: the years whose results the question asks; `report_years` and `parts`:
    each passage's report year and part (`part()`); `wordings`: the question's weighted terms; `sections`: each
    passage's section path; `inner`: the (short name, ancestor) of each asked place that has no report of its own
    and is searched in its ancestor's; `number_question`: the question asks for a figure; `years_loose`: the
    asked years are no firm outcome years (`Evidence.years_loose`)."""
    asked = "、".join(f"{y}年" for y in sorted(set(outcome_years)))
    other = off_year(picked, texts, report_years, outcome_years, parts, years_loose)
    if other is not None:
        if other > max(outcome_years):
            # "2020年…多少" answered by the 2021 report's "控制在3.5%以内" gives a plan, not what happened.
            return f"报告中只有{other}年起的目标，没有给出{asked}的实际数字"
        # "南昌98年社零多少" answered by the 1998 report's review: "预计完成109.7亿元" is 1997's.
        return f"报告中只有{other}年及以前的数字，没有给出{asked}的"
    dated = other_years_only(picked, outcome_years)
    if dated and not years_loose:
        # "钱塘新区2020年GDP多少": "地区生产总值、工业总产值2019年分别突破1100亿元" is 2019's.
        return f"报告中只有{'、'.join(f'{y}年' for y in dated)}的数字，没有给出{asked}的"
    if asks_one_year(question, outcome_years) and over_years_only([s for _, s in picked]):
        # "97年外商直接投资实际到位多少": "外商直接投资实际金额五年累计1858亿美元" is five years'.
        return f"报告中只有多年累计或年均的数字，没有给出{asked}的"
    # What the line gives must come from the asked years' figures: "南昌98年社零多少亿元" is not answered in 亿元 by the
    # 1998 report's "预计完成109.7亿元" (1997's) beside the 1999 report's "社会消费品零售总额增长9.4%".
    own = [(p, sent) for p, sent in picked if off_year([(p, sent)], texts, report_years, outcome_years, parts,
                                                         years_loose) is None]
    if own and own != list(picked):  # with none left, each is another year's but not all the same way: read all
        picked, line = own, "".join(sent for _, sent in own)
    if inner and number_question and not any(gives_figure(sent) and any(name in sent for name, _ in inner)
                                             for _, sent in picked):
        # "寿光2020年蔬菜产量多少" in 潍坊's report: its "捐赠蔬菜1720吨" is 潍坊's figure, not 寿光's.
        name, parent = inner[0]
        return f"{parent}的报告中没有给出{name}的这一数字"
    unit = asked_unit(question)
    figures = [sent for _, sent in picked if gives_figure(sent)]
    if number_question and "多少" in question and not (figures or gives_change(line) or gives_share(line, question)
                                                      or gives_rank(line)):
        # "萧山2024年最低工资标准是多少": "居民可支配收入与经济增长同步" talks about pay but gives no figure.
        return "报告中没有给出这一数字"
    # The unit binds the breakdown's figure only where one figure is asked ("PM2.5浓度多少，优良天数多少天" asks two).
    in_unit = (lambda clause: gives_unit(clause, unit)) if unit is not None and asks_one_figure(question) else gives_figure
    if figures and (word := unsaid(question, figures, in_unit)):
        # "西安2023年接待入境游客多少人次": "全年接待游客2.78亿人次" counts every visitor, not those from abroad;
        # "新疆棉花种了多少亩": "棉花总产568.6万吨" gives none in 亩.
        return f"报告中没有给出“{word}”的这一数字"
    if figures and (named := part_only(question, figures, in_unit)):
        # "杭州2020年外贸进出口总额多少": "跨境电商进出口总额1084.2亿元" is one part's.
        return f"报告中只有“{named}”这一部分的数字，没有给出总的"
    if unit is not None and not gives_unit(line, unit):
        return f"报告中没有给出以“{'元' if unit == '钱' else unit}”计的这一数字"
    if asks_rank_only(question) and not gives_rank(line):
        return "报告中没有给出这一排名"
    # A level is of the measure asked, in a wording of it that asks no rate: GDP's "经济增长" would take the 经济 of
    # "数字经济规模超4500亿元" for it.
    levels = [w for w in wordings if not any(rate in w and rate not in question for rate in _RATES)] or wordings
    if asks_total(question) and not gives_level(line, levels):
        return "报告中没有给出这一总量"
    if asks_stock(question) and not gives_level(line, levels, stock=True):
        return "报告中只有新增的数字，没有给出总数"
    if asks_share(question) and not gives_share(line, question):
        return "报告中没有给出这一比重"
    if asks_change_only(question) and not gives_change(line):
        return "报告中没有给出这一增减幅度"
    if _TARGET_ASKED.search(question) and only_results(picked, texts, sections):
        return "报告中只有实际完成的数字，没有给出这一目标"
    return None


# A year a clause names as what its figure is of, before the figure: not a base, a start, a span, a horizon or a
# passing mention ("比2015年", "从2015年的", "2019年以来", "2016—2019年", "2020年目标", "超过历史最高的1999年").
_YEAR_OF = re.compile(r"(?<![比较于是为与同到至从由自之和以过出近的\d—\-~～])((?:19|20)\d\d)年"
                      r"(?![的度底前起]|以来|目标|规划|纲要|水平|同期|[—\-~～至到])")
# Clauses, but not list items: "地区生产总值、工业总产值2019年分别突破1100亿元、2900亿元" dates both figures.
_FIGURE_CLAUSE = re.compile(r"[，,；;：:。]")
_ASIDES = re.compile(r"（[^）]*）|\([^)]*\)|《[^》]*》|“[^”]*”")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# A digit that is part of a year, not of a figure.
_YEAR_AT = re.compile(r"(?:19|20)\d\d年|(?<=\d)\d{0,3}年")


def other_years_only(picked: Sequence[tuple[int, str]], asked: Sequence[int]) -> list[int]:
    """The years that date every figure of `picked`, when each clause that gives a figure names, before it, a year
    its figure is of and none of the sentences names an asked year; [] otherwise, or when no year is asked."""
    if not asked:
        return []
    found: set[int] = set()
    for _, sent in picked:
        digits = sent.translate(_DIGITS)
        if years_named(digits) & set(asked):  # brackets and titles included: the sentence speaks of an asked year
            return []
        text = _ASIDES.sub("", digit_years(digits).replace(" ", ""))
        for clause in _FIGURE_CLAUSE.split(text):
            if not gives_figure(clause):
                continue
            first = next((m.start() for m in re.finditer(r"\d", clause) if not _YEAR_AT.match(clause, m.start())), len(clause))
            named = {int(m.group(1)) for m in _YEAR_OF.finditer(clause) if m.start() < first}
            if not named:
                return []
            found |= named
    return sorted(found)


def reviews_only(section: str) -> bool:
    """Whether a section path says it reviews, and nothing in it plans or may plan."""
    headings = section.split(" > ")
    return any(_REVIEW_SAID.search(h) for h in headings) and not any(_PLAN_NEAR.search(h) for h in headings)


def only_results(picked: Sequence[tuple[int, str]], texts: Sequence[str], sections: Sequence[str]) -> bool:
    """Whether every sentence of `picked` (passage index, sentence of `texts`) that gives a figure is a result: in a
    section that only reviews, with no word of a target, and not an item of a list led by one ("主要预期目标是：")."""
    figures = [(p, sent) for p, sent in picked if gives_figure(sent)]
    return bool(figures) and all(
        p < len(sections) and reviews_only(sections[p]) and not _MAY_PLAN.search(sent)
        and not _LEAD.search(_sentence_before(texts[p], sent)) for p, sent in figures)


def later_target_year(picked: Sequence[tuple[int, str]], texts: Sequence[str], report_years: Sequence[int | None],
                      asked: Sequence[int], parts: Sequence[str | None] = ()) -> int | None:
    """The year of the report whose targets are all the figures of `picked` (passage index, sentence in `texts`),
    when that report came after every `asked` year; None when any figure may be a result, or none is given.
    `parts`: the part of its report each passage is in ("plan" for "三、2021年工作安排", "review", or None)."""
    if not asked:
        return None
    found: set[int] = set()
    for p, sent in picked:
        clauses = [c for c in _CLAUSE.split(sent) if gives_figure(c)]
        if not clauses:
            continue  # a clause with no figure neither answers nor misleads
        year = report_years[p] if p < len(report_years) else None
        if year is None or year <= max(asked):
            return None
        where = parts[p] if p < len(parts) else None
        before = _sentence_before(texts[p], sent)
        if where is None:
            # Where no heading says which part this is (a 图解 summary), a list of targets may lead in the sentence
            # before: "力争新招引落地…项目25个。实际利用外资超11.1亿美元。", unless that sentence reviews.
            previous = _sentence_before(texts[p], sent, back=1)[:-len(before) or None]
            if _LEAD.search(previous) and not _RESULT_WORDS.search(previous):
                before = previous + before
        if not all(_is_target(clause, before, year, where) for clause in clauses):
            return None
        found.add(year)
    return min(found) if found else None


def off_year(picked: Sequence[tuple[int, str]], texts: Sequence[str], report_years: Sequence[int | None],
             asked: Sequence[int], parts: Sequence[str | None] = (), years_loose: bool = False) -> int | None:
    """The year every figure of `picked` is of, when that is none of the `asked` outcome years: a later report's
    target (`later_target_year`), else, unless the asked years are loose, an earlier report's result
    (`earlier_result_year`); None otherwise."""
    later = later_target_year(picked, texts, report_years, asked, parts)
    if later is None and not years_loose:
        return earlier_result_year(picked, texts, report_years, asked, parts)
    return later


def earlier_result_year(picked: Sequence[tuple[int, str]], texts: Sequence[str],
                        report_years: Sequence[int | None], asked: Sequence[int],
                        parts: Sequence[str | None] = ()) -> int | None:
    """The latest year reviewed by the reports that give every figure of `picked`, when each figure is a result
    in the review of a report no later than the first `asked` year, and its sentence names no asked year: a report
    reviews the years before its own, so its results are none of the asked years'. None otherwise."""
    if not asked:
        return None
    found: set[int] = set()
    for p, sent in picked:
        if not any(gives_figure(c) for c in _CLAUSE.split(sent)):
            continue
        year = report_years[p] if p < len(report_years) else None
        where = parts[p] if p < len(parts) else None
        if year is None or year > min(asked) or where != "review":
            return None
        named = years_named(sent)
        if _OWN_YEAR.search(sent):
            named.add(year)  # a report given late in its year reviews that year too ("预计今年社会消费品零售总额512亿元")
        if set(asked) & named:
            return None
        found.add(year - 1)
    return max(found) if found else None


def _is_target(clause: str, before: str, year: int, where: str | None) -> bool:
    """Whether a figure's clause sets a target: by its own words (stance() of the clause alone, since a sentence's
    other words, such as the name 鲲鹏计划, say nothing of this figure), else by the lead of its target list, else
    by the part of the report it is in (`where`)."""
    if _ESTIMATE.search(clause) or _DONE.search(clause):
        return False
    said = stance(clause, clause, year)
    if said in ("review", "span", "change"):
        return False
    if _PLAN_WORDS.search(clause) or where == "plan":
        return True
    if said == "plan" and where is None:
        return True  # a qualifier (左右, 以内) where no heading says which part this is, as in a 图解 summary
    return where != "review" and bool(_LEAD.search(before))


def _sentence_before(text: str, sent: str, back: int = 0) -> str:
    """What the full-stop sentence of `sent` says before it, and the `back` sentences before that: a list of
    targets leads with "预期目标" once, then gives its items clause by clause ("主要预期目标地区生产总值增长6.5%,力争7%;
    数字经济核心产业增加值增长12%;")."""
    at = text.find(sent)
    if at < 0:
        return ""
    starts = [0, *(m.end() for m in _FULL_STOP.finditer(text, 0, at))]
    return text[starts[max(0, len(starts) - 1 - back)]: at]
