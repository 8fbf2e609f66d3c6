"""Query understanding: places from the gazetteer, years in every spelling, intent, figures, scope."""

import datetime as dt
import json

import pytest

from qa.core.records import Document
from qa.lang.courtesy import without_courtesy
from qa.lang.figures import figures
from qa.lang.places import NATIONAL, PlaceMatcher
from qa.lang.query import canonical_years, parse_query, strip_years
from qa.lang.question import clean_question, closed_up
from qa.lang.script import as_read, simplified
from qa.lang.towns import town_stem, towns
from qa.search.phase import phase_of
from qa.search.scope import PREFERRED, STATED, report_preference, resolve

from .conftest import REPO

MATCHER = PlaceMatcher({"钱塘区": ["钱塘新区"]})
TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(("text", "expected"), [
    ("广西去年GDP增长多少", ["广西壮族自治区"]),
    ("新疆2023年粮食产量", ["新疆维吾尔自治区"]),
    ("内蒙16年旅游业总收入", ["内蒙古自治区"]),  # a colloquial short name, added in places_overrides.tsv
    ("萧山区今年的重点工程", ["萧山区"]),
    ("萧山的亚运场馆", ["萧山区"]),
    ("杭州市萧山区", ["杭州市", "萧山区"]),
    ("湖北恩施州的脱贫攻坚", ["湖北省", "恩施土家族苗族自治州"]),
    ("吉林2024年经济增长目标", ["吉林省"]),
    ("吉林市2024年经济增长目标", ["吉林市"]),
    ("北京朝阳区的营商环境", ["北京市", "朝阳区"]),
    ("京津冀三地2022年目标", ["北京市", "天津市", "河北省"]),
    ("钱塘新区的产业规划", ["钱塘区"]),
    ("国务院2019年减税规模", [NATIONAL]),
    ("我国2023年GDP", [NATIONAL]),
    ("15年总理报告里说的双引擎", [NATIONAL]),
    ("杭州新增多少家国家高新技术企业", ["杭州市"]),  # 国家 yields to the specific place
    # A national word that opens a designation or a ranking names no level, with no other place named either.
    ("新增国家高新技术企业多少家", []),
    ("国家级经开区排名第几", []),
    ("全国文明城市拿了几连冠", []),
    ("钱江世纪城想挤进全国CBD前几名", []),
    ("中国视谷在哪个平台建设", []),
    # Followed by a year, a metric or a particle, it is the country.
    ("全国城镇新增就业多少", [NATIONAL]),
    ("全国城市化率", [NATIONAL]),
    ("中国的GDP增速", [NATIONAL]),
    ("国家2024年赤字率定的多少", [NATIONAL]),
    ("国家一五计划五年基本建设投资", [NATIONAL]),
    ("全国第一产业增加值增长多少", [NATIONAL]),
    ("全国前三季度GDP增长多少", [NATIONAL]),
    ("全国城市居民人均可支配收入", [NATIONAL]),
    ("中国制造业增加值", [NATIONAL]),
    ("中国城市化率", [NATIONAL]),
    ("国家森林覆盖率", [NATIONAL]),
    ("杭州湾跨海大桥", []),  # a landmark, not the city
    ("钱塘江两岸", []),
    ("浙江大学的科研经费", []),
    # The same first characters, split by jieba into the place and an ordinary word: the place.
    ("浙江城乡居民收入", ["浙江省"]),
    ("杭州城市大脑", ["杭州市"]),
    ("浙江大力发展数字经济", ["浙江省"]),
    ("杭州中小企业", ["杭州市"]),
    ("浙江山区26县", ["浙江省"]),
    ("宁波港货物吞吐量", ["宁波市"]),  # a port is in its city
    ("杭州城区面积", ["杭州市"]),  # 城区 is also a district of 阳泉, but here it is downtown Hangzhou
    ("阳泉城区人口", ["阳泉市", "城区"]),
    # Runs of one-character province abbreviations; a lone one, a repeated one or a common word is no place.
    ("苏浙沪2023年GDP目标各是多少", ["江苏省", "浙江省", "上海市"]),
    ("川渝两地", ["四川省", "重庆市"]),
    ("黑吉辽振兴", ["黑龙江省", "吉林省", "辽宁省"]),
    ("苏宁易购", []),
    ("新京报", []),
    ("青青草原", []),
    ("川苏州", ["苏州市"]),
    ("辽宁大连2023年GDP", ["辽宁省", "大连市"]),  # a city after the province: no landmark, no 辽 + 宁
    ("辽宁大学", []),
    ("藏青色", []),
    ("合作社发展情况", []),
    # A short name the table drops as an ordinary word or a shared one is a place where a year follows it; a shared
    # one only where a named ancestor says which.
    ("滨江2020年GDP是多少", ["滨江区"]),
    ("杭州上城去年GDP增长多少", ["杭州市", "上城区"]),
    ("杂多2020年GDP是多少", ["杂多县"]),
    ("滨江路改造", []),
    ("滨江新城2020年建设", []),
    ("复杂多变2020年", []),
    ("鼓楼2020年GDP", []),
    ("南京鼓楼2020年GDP", ["南京市", "鼓楼区"]),
    ("江苏鼓楼2020年GDP", ["江苏省"]),  # 南京's and 徐州's
])
def test_places_come_from_the_gazetteer(text: str, expected: list[str]) -> None:
    assert MATCHER.find(text) == expected


def test_a_shared_short_name_takes_the_place_under_the_named_ancestor() -> None:
    assert [(m.place.name, m.place.parent) for m in MATCHER.mentions("福州鼓楼21年GDP")] == [
        ("福州市", "福建省"), ("鼓楼区", "福州市")]


def test_places_know_their_parents() -> None:
    assert MATCHER.parent("萧山区") == "杭州市" and MATCHER.ancestors("萧山区") == {"杭州市", "浙江省"}
    assert MATCHER.level("浙江省") == "province" and MATCHER.level("上海市") == "province"
    assert MATCHER.canonical("萧山") == "萧山区" and MATCHER.canonical("全国") == NATIONAL


@pytest.mark.parametrize(("question", "years", "relative", "all_years"), [
    ("江苏19年一般公共预算收入预期增长多少", (2019,), False, False),
    ("二〇一九年上海GDP", (2019,), False, False),
    ("2019到2021年北京财政收入", (2019, 2020, 2021), False, False),
    ("2019—2021年北京财政收入", (2019, 2020, 2021), False, False),
    ("近三年新疆粮食产量", (2023, 2024, 2025), False, False),
    ("十三五期间浙江GDP年均增长多少", (2016, 2017, 2018, 2019, 2020), False, False),
    ("“十五五”规划纲要提了多少项重大工程", (2026, 2027), False, False),  # not 十五 (2001-05); none after next year
    ("“十五”计划纲要提了哪些目标", (2001, 2002, 2003, 2004, 2005), False, False),
    ("广西去年GDP增长多少", (2025,), True, False),
    ("国务院历年城镇新增就业目标", (), False, True),
    ("用10年时间建成", (), False, False),
    ("用10到15年时间基本实现", (), False, False),
    ("浙江21-23年GDP", (2021, 2022, 2023), False, False),
    ("浙江21年到23年GDP", (2021, 2022, 2023), False, False),
    ("国务院98到02年GDP目标", (1998, 1999, 2000, 2001, 2002), False, False),
    ("浙江21、22年GDP", (2021, 2022), False, False),
    ("浙江2021年至今GDP", (2021, 2022, 2023, 2024, 2025, 2026), False, False),
    ("浙江2019年以来GDP", (2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026), False, False),
    ("浙江GDP增速创15年以来新高", (), False, True),  # a span of time, not 2015
    ("过去10年杭州GDP", tuple(range(2016, 2026)), False, False),
    ("北京2014年PM10年均浓度", (2014,), False, False),
    ("二〇一九到二〇二三年浙江GDP", (2019, 2020, 2021, 2022, 2023), False, False),
    ("白鹤滩水电站投产后年发电量多少", (), False, False),  # 后年 inside 投产后|年发电量
    ("19年增长12，20年增长多少", (2019, 2020), False, False),
    ("改革开放以来国务院GDP", (), False, True),
    ("浙江大前年GDP增长多少", (2023,), True, False),  # not also 前年
    ("浙江前年GDP增长多少", (2024,), True, False),
    ("浙江去年和今年的GDP目标", (2025, 2026), True, False),
    ("第十五届人大三次会议", (), False, False),
    # 上年 after 比 and before a change is the change's base, not a year asked, once another year is named.
    ("广东2012年GDP比上年增长了多少", (2012,), False, False),
    ("2022年GDP较上年同期增长多少", (2022,), False, False),
    ("2023年末存款余额较上年末增长多少", (2023,), False, False),
    ("2022年GDP与上年相比增长多少", (2022,), False, False),
    ("广东GDP比上年增长了多少", (2025,), True, False),  # alone, it still dates the question
    ("今年GDP比去年增长多少", (2026,), True, False),
    ("今年目标比去年高吗", (2026, 2025), True, False),  # two years' figures compared
    ("今年增速比去年增速多多少", (2026, 2025), True, False),
])
def test_years_in_every_spelling(question: str, years: tuple, relative: bool, all_years: bool) -> None:
    info = parse_query(question, MATCHER, TODAY)
    assert (info.years, info.relative, info.all_years) == (years, relative, all_years)


@pytest.mark.parametrize(("question", "intent"), [
    ("浙江2023年GDP增长目标是多少", "target"),
    ("北京2010年城镇登记失业率要控制在多少以内", "target"),
    ("2020年广东GDP增长了多少", "outcome"),
    ("萧山今年有哪些重点工程", "list"),
    ("成都2020年开通了哪些地铁线路", "outcome"),  # a done deed: the next year's review lists them
    ("萧山2024年定了多少个重点项目", "target"),
    ("浙江2021年GDP目标完成了吗", "outcome"),  # whether the target was met: the next report's review says
    ("浙江2021年GDP目标有没有实现", "outcome"),
    ("杭州2020年各种政府债一共争取到多少钱", "outcome"),  # 争取到: obtained, not striven for
    ("杭州2021年要争取多少专项债", "target"),
    ("杭州争取到2025年GDP达到多少", "target"),  # 争取到 a year: a target by then
    ("杭州数字经济", "other"),
])
def test_intent(question: str, intent: str) -> None:
    assert parse_query(question, MATCHER, TODAY).intent == intent


@pytest.mark.parametrize(("question", "canonical"), [
    ("二〇二三年江西经济增长目标", "2023年江西经济增长目标"),
    ("江苏19年一般公共预算收入", "江苏2019年一般公共预算收入"),
    ("浙江21年到23年GDP", "浙江2021年到2023年GDP"),
    ("国务院98到02年GDP目标", "国务院1998到2002年GDP目标"),
    ("浙江21、22年GDP", "浙江2021、2022年GDP"),
    ("二〇一九到二〇二三年", "2019到2023年"),
    ("浙江GDP增速创15年以来新高", "浙江GDP增速创15年以来新高"),
    ("北京PM10年均浓度", "北京PM10年均浓度"),
    ("未来10年", "未来10年"),
    ("用10年时间建成", "用10年时间建成"),  # a duration, not a year
    ("第19届亚运会", "第19届亚运会"),
    ("十三五期间", "十三五期间"),
    # Before 政府工作报告, 50-89年 is an old report's year, and so are the question's other years of those decades.
    ("75年政府工作报告说74年农业总产值比64年增长了多少", "1975年政府工作报告说1974年农业总产值比1964年增长了多少"),
    ("79年的政府工作报告提了哪些任务", "1979年的政府工作报告提了哪些任务"),
    ("64年全国钢产量多少，比57年涨了多少", "1964年全国钢产量多少，比1957年涨了多少"),
    ("60年钢产量多少", "60年钢产量多少"),  # a round number and no report named: as likely a span of time
    ("全国85年粮食产量多少", "全国1985年粮食产量多少"),
    # Spans of time, whatever the number.
    ("新中国成立75年，粮食产量增长了多少", "新中国成立75年，粮食产量增长了多少"),
    ("历时65年", "历时65年"),
    ("已有85年历史", "已有85年历史"),
    ("工龄55年以上", "工龄55年以上"),
    ("成立20年来", "成立20年来"),
    ("60年政府工作报告说钢产量多少", "1960年政府工作报告说钢产量多少"),
    ("建国50年来的报告", "建国50年来的报告"),
])
def test_years_are_written_one_way_before_anything_reads_them(question: str, canonical: str) -> None:
    assert canonical_years(question) == canonical
    assert parse_query(canonical, MATCHER, TODAY).years == parse_query(question, MATCHER, TODAY).years


def test_a_full_width_range_reads_as_one() -> None:
    read = as_read(clean_question("２１－２３年浙江ＧＤＰ", 300), MATCHER)
    assert read == "2021-2023年浙江GDP" and parse_query(read, MATCHER, TODAY).years == (2021, 2022, 2023)


def test_traditional_characters_are_read_as_simplified() -> None:
    assert as_read("江蘇19年一般公共預算收入預期增長多少", MATCHER) == "江苏2019年一般公共预算收入预期增长多少"
    assert parse_query(as_read("蘇州“十四五”規劃目標", MATCHER), MATCHER, TODAY).regions == ("苏州市",)
    assert as_read("乾县2021年经济", MATCHER) == "乾县2021年经济"  # 乾 is simplified too, in this place's name
    assert simplified("乾县乾隆", keep=[(0, 2)]) == "乾县乾隆"


def test_simplified_questions_pass_through_unchanged() -> None:
    questions = [json.loads(line)["question"] for path in sorted((REPO / "eval").glob("*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines() if '"question"' in line]
    assert len(questions) > 500
    assert [q for q in questions if simplified(q) != q] == []


@pytest.mark.parametrize(("typed", "read"), [
    ("帮我查一下，江苏19年一般公共预算收入预期增长多少，谢谢！", "江苏2019年一般公共预算收入预期增长多少"),
    ("您好，能告诉我2021年浙江GDP目标吗？谢谢", "2021年浙江GDP目标吗"),
    ("请问杭州2020年经济增速是多少？", "杭州2020年经济增速是多少？"),
    ("我想了解一下萧山的产业政策", "萧山的产业政策"),
    ("請幫我查一下蘇州的人口，多謝啦~", "苏州的人口"),
    ("浙江 2021年 GDP目标", "浙江2021年GDP目标"),
    ("杭州 PM 2.5 浓度", "杭州PM 2.5浓度"),  # spaces between Latin words stay
    # No courtesy: a topic that opens with 查 or 看 is the topic.
    ("查处了多少案件", "查处了多少案件"),
    ("看病难问题怎么解决", "看病难问题怎么解决"),
    ("谢谢", "谢谢"),  # nothing but courtesy: kept as written
    ("帮我查询一下浙江2022年GDP", "浙江2022年GDP"),  # the two-character verb, not 查 and a stray 询
    ("可以帮我看看重庆GDP", "重庆GDP"),
    ("帮我查下岗职工再就业人数", "下岗职工再就业人数"),  # 下 opens the topic's word
    ("2023年政府工作报告向哪些人表示感谢", "2023年政府工作报告向哪些人表示感谢"),  # 感谢 is the topic
    ("企业办事还是太麻烦了", "企业办事还是太麻烦了"),
    ("给我国出口带来多大影响", "给我国出口带来多大影响"),  # 给我 asks nothing here
    ("hiv防治经费", "hiv防治经费"),
    ("十三五 十四五 GDP目标 对比", "十三五、十四五GDP目标对比"),  # two plans typed apart stay two
    ("唐山2016年财政收入目标为啥定得比GDP还高", "唐山2016年财政收入目标为什么定得比GDP还高"),  # spoken words written
    ("1999年财政收入是不是头一回过万亿，咋样", "1999年财政收入是否首次过万亿，怎么样"),
])
def test_the_chat_around_a_question_is_not_read(typed: str, read: str) -> None:
    assert as_read(clean_question(typed, 300), MATCHER) == read


def test_no_dev_question_loses_more_than_its_courtesy() -> None:
    questions = [json.loads(line)["question"] for path in sorted((REPO / "eval").glob("*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines() if '"question"' in line]
    trimmed = {q: without_courtesy(closed_up(q)) for q in questions}
    cut = {q[: len(q) - len(kept)] for q, kept in trimmed.items() if kept != q and q.endswith(kept)}
    assert all(kept == q or q.endswith(kept) for q, kept in trimmed.items())  # only an opening was taken off
    assert cut <= {"请问", "帮我查一下"}, cut


@pytest.mark.parametrize(("question", "years"), [
    ("上世纪90年代国务院GDP目标", tuple(range(1990, 2000))),
    ("九十年代全国GDP增长目标", tuple(range(1990, 2000))),
    ("2010年代江苏经济", tuple(range(2010, 2020))),  # a decade, not the year 2010
    ("80年代末全国粮食产量", (1987, 1988, 1989)),
    ("党的十八大以来浙江脱贫", tuple(range(2013, 2027))),
    ("疫情期间广东经济增长", (2020, 2021, 2022)),
    ("新冠疫情那年湖北GDP", (2020,)),
    ("疫情防控有哪些措施", ()),  # the epidemic as a topic names no years
    ("2022年疫情期间上海封控", (2022,)),  # the year named stands alone
    ("非典疫情期间北京", ()),  # not COVID-19's years
    ("七八十年代全国粮食产量", tuple(range(1970, 1990))),
    ("80、90年代GDP增速", tuple(range(1980, 2000))),
    ("2020年代表建议办理了多少件", (2020,)),  # a deputy, not a decade
    ("70年代出生的干部占比多少", ()),  # a birth cohort
    ("党的十五大以来", tuple(range(1998, 2027))),  # no 十五 plan in 十五大
    ("杭州这五年治水", ()),  # 这五年 points back (at a government's term), not at the calendar
])
def test_named_periods_are_read_as_their_years(question: str, years: tuple[int, ...]) -> None:
    info = parse_query(question, MATCHER, TODAY)
    assert info.years == years and not info.all_years


def test_towns_are_read_from_their_suffix_and_words_that_end_like_one_are_not() -> None:
    assert towns("瓜沥镇2020年工业总产值多少") == ["瓜沥镇"]
    assert towns("宁围街道和新塘街道2021年财政收入") == ["宁围街道", "新塘街道"]
    for words in ("杭州特色小镇有多少个", "城镇新增就业", "乡镇街道", "工业重镇", "推进街道改革", "生态镇建设",
                  "覆盖多少比例的镇街", "全区各街道"):
        assert towns(words) == [], words
    known = lambda name: bool(MATCHER.find(name))  # noqa: E731
    assert towns("景德镇2020年GDP", known) == []  # a city in the gazetteer
    for straddle in ("南京到镇江", "江苏宁镇扬一体化", "武汉三镇", "资源下沉到街道", "驻镇帮镇扶村", "美丽圩镇", "卫星镇"):
        assert towns(straddle, known) == [], straddle
    assert town_stem("瓜沥镇") == "瓜沥" and town_stem("宁围街道") == "宁围"


def test_years_are_stripped_from_the_topic() -> None:
    assert "19年" not in strip_years("江苏19年一般公共预算收入") and "一般公共预算收入" in strip_years("江苏19年一般公共预算收入")
    assert strip_years("2019到2021年北京财政收入").strip() == "北京财政收入"


def test_figures_keep_units_qualifiers_and_ranges() -> None:
    found = figures("主要预期目标是：国内生产总值增长6.5%—7%；城镇新增就业1100万人以上，城镇登记失业率4.5%以内")
    assert [(f.text, f.value, f.value_high, f.unit, f.qualifier) for f in found] == [
        ("6.5%—7%", 6.5, 7.0, "%", ""), ("1100万人以上", 1100.0, None, "万人", "以上"),
        ("4.5%以内", 4.5, None, "%", "以内")]
    assert figures("2020年是极不平凡的一年") == ()


def _doc(doc_id: str, region: str, year: int, level: str = "province") -> Document:
    return Document(doc_id, f"{year}年{region}政府工作报告", region, year, level, "full", "", "", "")


DOCS = [_doc("zj21", "浙江省", 2021), _doc("zj22", "浙江省", 2022), _doc("zj23", "浙江省", 2023),
        _doc("js23", "江苏省", 2023), _doc("gw23", NATIONAL, 2023, "national"), _doc("gw24", NATIONAL, 2024, "national")]


def test_the_report_year_rule_follows_the_intent() -> None:
    assert report_preference("target", 2022) == (2022, 2023)
    assert report_preference("outcome", 2022) == (2023, 2022)
    target = resolve(parse_query("浙江2022年GDP增长目标", MATCHER, TODAY), DOCS)
    outcome = resolve(parse_query("浙江2022年GDP实际增长了多少", MATCHER, TODAY), DOCS)
    assert set(target.doc_ids or ()) == set(outcome.doc_ids or ()) == {"zj22", "zj23"}
    assert target.prior["zj22"] > target.prior.get("zj23", 0) and outcome.prior["zj23"] > outcome.prior.get("zj22", 0)
    assert target.phase == "plan" and outcome.phase == "review"


def test_each_named_year_weighs_its_reports_for_itself() -> None:
    # Asked 2021's and 2022's targets, the 2022 report is preferred for 2022 but is only 2021's review: within
    # the 2021 target it must not carry the bonus it earns as 2022's own report.
    scope = resolve(parse_query("浙江2021年和2022年GDP增长目标分别是多少", MATCHER, TODAY), DOCS)
    first, second = scope.targets
    assert first.prior == {"zj21": STATED, "zj22": 0.0} and second.prior == {"zj22": STATED, "zj23": 0.0}
    assert scope.prior == {"zj21": STATED, "zj22": STATED, "zj23": 0.0}  # for the reports ranked as one


def test_a_year_that_names_the_report_means_that_report_whatever_the_intent() -> None:
    said = parse_query("浙江2022年报告说GDP实际增长了多少", MATCHER, TODAY)
    assert said.report_year and said.intent == "outcome"
    scope = resolve(parse_query("国务院2023年的政府工作报告里脱贫攻坚取得了哪些成绩", MATCHER, TODAY), DOCS)
    assert scope.doc_ids == ("gw23",)  # not gw24, which reviews 2023
    assert not parse_query("浙江2022年GDP实际增长了多少", MATCHER, TODAY).report_year
    assert not parse_query("去年的报告里GDP增长目标", MATCHER, TODAY).report_year  # 去年 is relative: the usual rule
    assert parse_query("国务院2016年说的三去一降一补具体指什么", MATCHER, TODAY).report_year
    assert not parse_query("浙江2019年研发投入强度提到多少", MATCHER, TODAY).report_year  # 提到 = raised to
    # The period it speaks of is no more reports to read; a plan horizon it names stays one.
    inside = parse_query("昆明2021年报告里，十三五期间GDP排名怎么变的", MATCHER, TODAY)
    assert inside.years == (2021,) and inside.period is None
    ahead = parse_query("浙江2021年报告说到2025年研发投入强度要达到多少", MATCHER, TODAY)
    assert ahead.years == (2021,) and ahead.horizons == (2025,)
    # A year said after the report is named is what the report speaks of, not a second report to read.
    spoken = parse_query("19年国务院报告里说2018年全国减税降费了多少", MATCHER, TODAY)
    assert spoken.years == (2019,) and spoken.report_year
    both = parse_query("浙江2018年和2019年的报告里GDP目标分别是多少", MATCHER, TODAY)
    assert set(both.years) == {2018, 2019}  # a year before the report's mention still names a report


def test_a_plan_period_prefers_the_report_that_sets_it_or_the_one_that_reviews_it() -> None:
    docs = [_doc(f"zj{y}", "浙江省", y) for y in range(2015, 2023)]
    review = resolve(parse_query("十三五期间浙江GDP从多少涨到了多少", MATCHER, TODAY), docs)
    assert max(review.prior, key=review.prior.__getitem__) == "zj2021"  # reviews 2016-2020 as a whole
    plan = resolve(parse_query("浙江十三五末城镇化率目标是多少", MATCHER, TODAY), docs)
    assert max(plan.prior, key=plan.prior.__getitem__) == "zj2016"  # sets the plan's targets
    assert parse_query("十三五和十四五对比", MATCHER, TODAY).period is None


def test_a_plan_horizon_marks_its_own_headings_and_flags_one_year_headings() -> None:
    docs = [_doc("qt21", "杭州市", 2021)]
    scope = resolve(parse_query("杭州到2025年GDP要达到多少", MATCHER, TODAY), docs)
    assert scope.horizon and {"2025年", "二〇二五年", "十四五"} <= set(scope.year_marks)
    assert not resolve(parse_query("杭州2021年GDP增长目标", MATCHER, TODAY), docs).horizon


def test_national_and_provincial_reports_are_different_documents() -> None:
    scope = resolve(parse_query("国务院2023年经济增长目标", MATCHER, TODAY), DOCS)
    assert scope.doc_ids == ("gw23", "gw24") and scope.prior["gw23"] > scope.prior.get("gw24", 0)


def test_a_year_with_no_place_leans_to_the_national_report() -> None:
    scope = resolve(parse_query("2023年经济增长目标是多少", MATCHER, TODAY), DOCS)
    assert set(scope.doc_ids or ()) >= {"zj23", "js23", "gw23"}  # a lean, not a scope: local reports stay
    assert scope.prior["gw23"] > scope.prior["zj23"] == scope.prior["js23"]
    local = resolve(parse_query("2023年全省经济增长目标是多少", MATCHER, TODAY), DOCS)  # a level word says local
    assert local.prior["gw23"] == local.prior["zj23"]
    town = resolve(parse_query("瓜沥镇2023年经济增长目标是多少", MATCHER, TODAY), DOCS)  # and so does a town
    assert town.prior["gw23"] == town.prior["zj23"]


def test_a_threshold_asked_is_a_target_and_a_past_year_asked_after_is_a_year() -> None:
    assert parse_query("博州2020年要让贫困家庭人均纯收入稳定超过多少钱", MATCHER, TODAY).intent == "target"
    assert parse_query("2020年哪些指标超过了预期", MATCHER, TODAY).intent == "outcome"
    info = parse_query("吉林省粮食产量2008年是多少斤，到2020年又是多少", MATCHER, TODAY)
    assert info.years == (2008, 2020) and info.horizons == ()
    assert parse_query("到2020年杭州GDP目标", MATCHER, TODAY).horizons == (2020,)  # a plan's horizon stays one
    assert parse_query("到2020年城镇化率达到多少", MATCHER, TODAY).horizons == (2020,)
    named = parse_query("2015年提出到2020年的目标实现了吗", MATCHER, TODAY)  # a report is named: its horizon stays
    assert named.years == (2015,) and named.horizons == (2020,)
    assert parse_query("2019年GDP目标达成没有", MATCHER, TODAY).intent == "outcome"
    assert parse_query("博州2020年的GDP", MATCHER, TODAY).regions == ("博尔塔拉蒙古自治州",)


def test_several_places_become_several_targets() -> None:
    scope = resolve(parse_query("浙江和江苏2023年GDP增长目标分别是多少", MATCHER, TODAY), DOCS)
    assert [t.doc_ids for t in scope.targets] == [("zj23",), ("js23",)]


def test_a_place_or_year_with_no_report_is_remembered_with_what_exists() -> None:
    place = resolve(parse_query("上海2020年GDP增长了多少", MATCHER, TODAY), DOCS)
    assert place.missing_place == "上海市" and "浙江省 2021, 2022, 2023" in place.existing[0]
    year = resolve(parse_query("江苏2010年GDP增长目标", MATCHER, TODAY), DOCS)
    assert year.missing_year == "江苏省2010年" and year.existing == ("江苏省 2023",)


def test_a_report_cannot_stand_in_for_its_neighbour() -> None:
    # 浙江 has reports for 2021-2023: 2023's outcome is reviewed in the 2024 report, which is missing, and the
    # 2023 report only sets that year's targets; 2020's targets were set in the missing 2020 report.
    outcome = resolve(parse_query("浙江2023年GDP实际增长了多少", MATCHER, TODAY), DOCS)
    assert outcome.missing_year == "浙江省2024年" and outcome.preferred_missing
    target = resolve(parse_query("浙江2020年GDP增长目标是多少", MATCHER, TODAY), DOCS)
    assert target.missing_year == "浙江省2020年"
    # With both reports there, or a question that asks for neither, nothing is missing.
    assert resolve(parse_query("浙江2022年GDP实际增长了多少", MATCHER, TODAY), DOCS).missing_year is None
    assert resolve(parse_query("浙江2023年的重点工程有哪些", MATCHER, TODAY), DOCS).missing_year is None
    # A bare 多少 may ask for the year's target, which the year's own report gives.
    assert resolve(parse_query("浙江2023年工业投资增长多少", MATCHER, TODAY), DOCS).missing_year is None


def test_relative_years_fall_back_to_the_latest_report() -> None:
    scope = resolve(parse_query("浙江去年GDP增长多少", MATCHER, dt.date(2030, 1, 1)), DOCS)
    assert scope.doc_ids == ("zj23",) and scope.missing_year is None


@pytest.mark.parametrize(("question", "years", "horizons"), [
    ("钱塘区到2025年GDP要达到多少", (), (2025,)),
    ("2035年远景目标有哪些", (), (2035,)),
    ("萧山2030年GDP增长目标是多少", (), (2030,)),  # a target years ahead
    ("萧山2030年GDP增长了多少", (2030,), ()),  # an outcome: a report year, missing
    ("2019年到2021年杭州GDP", (2019, 2020, 2021), ()),  # a range is not a horizon
    ("杭州2021年GDP增长目标", (2021,), ()),
])
def test_plan_horizons_are_not_report_years(question: str, years: tuple[int, ...], horizons: tuple[int, ...]) -> None:
    info = parse_query(question, PlaceMatcher(), today=dt.date(2026, 11, 23))
    assert (info.years, info.horizons) == (years, horizons)
    assert all(str(y) in strip_years(question, info.horizons) for y in horizons)


def test_a_place_alias_inside_a_quoted_name_is_not_a_place() -> None:
    matcher = PlaceMatcher()
    assert matcher.find("“北斗七星”科创联盟今年要怎么发挥作用") == []
    assert matcher.find("七星区2020年GDP") == ["七星区"] and matcher.find("“杭州”2020年") == ["杭州市"]


def test_quoted_names_are_kept_for_a_verbatim_match() -> None:
    assert parse_query("“22688”交通大会战要提速了吗", MATCHER, TODAY).phrases == ("22688",)
    assert parse_query("《新时代美丽杭州建设实施纲要》有多少项任务", MATCHER, TODAY).phrases == ("新时代美丽杭州建设实施纲要",)
    assert parse_query("杭州“三公”经费和\"3533\"工程", MATCHER, TODAY).phrases == ("三公", "3533")
    assert parse_query("杭州2020年GDP", MATCHER, TODAY).phrases == ()


def test_now_prefers_the_newest_report_up_to_the_year_it_is() -> None:
    # "现在/目前" with no year: every report of the place stays in scope, the newest up to now is preferred.
    in_2022 = resolve(parse_query("浙江现在的森林覆盖率是多少", MATCHER, dt.date(2022, 7, 1)), DOCS)
    assert set(in_2022.doc_ids or ()) == {"zj21", "zj22", "zj23"} and in_2022.prior == {"zj22": PREFERRED}
    later = resolve(parse_query("浙江目前森林覆盖率多少", MATCHER, dt.date(2030, 1, 1)), DOCS)
    assert later.prior == {"zj23": PREFERRED}  # the newest there is, when now's own is not indexed
    # A named year decides by itself; without a present word there is no preference.
    assert parse_query("浙江2021年现在的森林覆盖率", MATCHER, TODAY).now is None
    # 体现在 / 实现在 are no "now".
    assert parse_query("浙江数字经济的成效主要体现在哪些方面", MATCHER, TODAY).now is None
    assert parse_query("浙江如何实现在全国率先发展", MATCHER, TODAY).now is None
    assert resolve(parse_query("浙江森林覆盖率是多少", MATCHER, TODAY), DOCS).prior == {}


def test_an_intent_said_in_so_many_words_weighs_more_than_a_bare_how_much() -> None:
    stated = resolve(parse_query("浙江2022年GDP增长目标", MATCHER, TODAY), DOCS)
    bare = resolve(parse_query("浙江2022年GDP增长多少", MATCHER, TODAY), DOCS)
    assert stated.prior == {"zj22": STATED, "zj23": 0.0} and bare.prior == {"zj23": PREFERRED, "zj22": 0.0}
    assert STATED > PREFERRED


def test_a_passage_is_a_review_or_a_plan_by_its_section_or_else_by_its_opening() -> None:
    assert phase_of("一、1991年国内工作的回顾", "国民生产总值比上年增长百分之七。") == "review"
    assert phase_of("三、2021年工作安排", "去年成绩来之不易。") == "plan"  # the section decides first
    # No section hint, and both kinds of wording: the one the passage opens with decides.
    plans = "今年计划要求，国民生产总值增长百分之六，货币发行和新增信贷规模与去年相比要适当控制。"
    assert phase_of("二、抓紧有利时机，加快经济发展", plans) == "plan"
    reviews = "去年全市地区生产总值增长7%，完成了今年初确定的目标要求。"
    assert phase_of("二、抓紧有利时机，加快经济发展", reviews) == "review"
    assert phase_of("二、抓紧有利时机，加快经济发展", "深化改革，扩大开放。") is None

