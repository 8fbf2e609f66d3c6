"""What the question asks, given or not: a past year's result (not a later report's targets), a rank, a change."""

from dataclasses import replace

import pytest

from qa.lang.changes import asks_change_only, gives_change
from qa.lang.ranks import asks_rank_only, gives_rank
from qa.lang.stance import over_years_only
from qa.search import answer as ans
from qa.search.given import earlier_result_year, later_target_year, not_given, only_results, other_years_only, part

from .verdicts import SURE, full_evidence

TARGETS = "2021年全区经济社会发展主要预期目标地区生产总值增长6.5%,力争7%;数字经济核心产业增加值增长12%;"


@pytest.mark.parametrize(("sentence", "text", "where", "target"), [
    # The clause says it: a qualifier, 力争, 控制在, 预期.
    ("城镇登记失业率控制在3.5%以内。", "城镇登记失业率控制在3.5%以内。", None, True),
    ("地区生产总值增长7%左右；", "地区生产总值增长7%左右；", None, True),
    ("今年城镇新增就业25万人。", "今年城镇新增就业25万人。", "review", True),
    # An item of a target list, led once by 预期目标 in the same full-stop sentence.
    ("数字经济核心产业增加值增长12%;", TARGETS, None, True),
    # An unmarked figure in the part of the report that plans.
    ("城镇新增就业25万人。", "城镇新增就业25万人。", "plan", True),
    # Results: an unmarked figure outside the plan, the year before, an estimate of the year just ended.
    ("城镇新增就业25万人。", "城镇新增就业25万人。", None, False),
    ("去年城镇登记失业率稳定在3%左右。", "去年城镇登记失业率稳定在3%左右。", "plan", False),
    ("预计全年地区生产总值突破2200亿元增长5.8%", "总体要求预期目标预计全年地区生产总值突破2200亿元增长5.8%", "plan", False),
    # A programme's name (鲲鹏计划) in the sentence says nothing of the figure.
    ("深入实施“鲲鹏计划”，新培育境内外上市公司28家。", "深入实施“鲲鹏计划”，新培育境内外上市公司28家。", None, False),
    # In the review, a qualifier reports what was achieved, and a target only compared with leads no list.
    ("城镇登记失业率控制在3%以内。", "城镇登记失业率控制在3%以内。", "review", False),
    ("城镇居民人均可支配收入8690元，增长11.6%。", "地区生产总值增长7.5%，超过预期目标；城镇居民人均可支配收入8690元，增长11.6%。",
     None, False),
    ("两年投资1万亿元的计划（实际完成1.1万亿元）。", "两年投资1万亿元的计划（实际完成1.1万亿元）。", None, False),
    # 实际利用外资 is the measure's name, not a result said in so many words.
    ("实际利用外资10亿美元左右。", "实际利用外资10亿美元左右。", None, True),
    # Where no heading says the part (a 图解 summary), the list's lead may be the sentence before; in the review it
    # is not, and two sentences back is too far.
    ("实际利用外资超11.1亿美元。", "力争新招引落地项目25个。实际利用外资超11.1亿美元。", None, True),
    ("实际利用外资超11.1亿美元。", "力争新招引落地项目25个。实际利用外资超11.1亿美元。", "review", False),
    ("实际利用外资超11.1亿美元。", "力争新招引落地项目25个。新设企业4.5万户。实际利用外资超11.1亿美元。", None, False),
])
def test_a_figure_is_a_target_by_its_clause_its_list_or_its_part_of_the_report(
        sentence: str, text: str, where: str | None, target: bool) -> None:
    found = later_target_year([(0, sentence)], [text], [2021], [2020], [where])
    assert found == (2021 if target else None)


def test_only_a_later_report_with_only_targets_counts() -> None:
    target = "城镇登记失业率控制在3.5%以内。"
    result = "城镇登记失业率为2.9%。"
    assert later_target_year([(0, target)], [target], [2021], [2021]) is None  # the report's own year: its target
    assert later_target_year([(0, target)], [target], [None], [2020]) is None  # a report of no known year
    assert later_target_year([(0, target)], [target], [2021], []) is None  # no year asked
    # One figure that may be the result keeps the line.
    assert later_target_year([(0, target), (1, result)], [target, result], [2021, 2021], [2020]) is None
    # A sentence without a figure neither answers nor misleads.
    assert later_target_year([(0, "稳定就业。"), (1, target)], ["稳定就业。", target], [2021, 2021], [2020]) == 2021
    assert later_target_year([(0, "稳定就业。")], ["稳定就业。"], [2021], [2020]) is None



def test_a_past_result_answered_by_targets_is_declined_with_both_years_named() -> None:
    texts = ["抓好重点群体就业创业，城镇登记失业率控制在3.5%以内。"]
    weights = {"城镇": 2.0, "登记": 2.0, "失业率": 3.0}
    question = "杭州2020年城镇登记失业率是多少"
    verdict = ans.decide(question, texts, weights, full_evidence(), SURE, outcome_years=[2020], report_years=[2021])
    assert not verdict.answerable
    assert verdict.reason == "报告中只有2021年起的目标，没有给出2020年的实际数字"
    assert verdict.text == f"{ans.NO_ANSWER}{verdict.reason}；下面是最接近的段落。"
    assert verdict.confidence < SURE.threshold
    # Asked of the report's own year (its target), or with no year, the same passage answers.
    for years in ([2021], []):
        answered = ans.decide(question, texts, weights, full_evidence(), SURE, outcome_years=years, report_years=[2021])
        assert answered.answerable and answered.text == texts[0] + "[1]"


@pytest.mark.parametrize(("question", "only"), [
    ("萧山2023年GDP在全省排第几？", True),
    ("江西2018到2022年GDP全国排名从第几位升到第几位", True),
    ("湖北GDP过去五年在全国的位次从第几升到第几", True),
    # A figure asked as well: the figure alone answers in part.
    ("杭州有效发明专利有多少件，在省会城市排第几", False),
    ("太原人均GDP在省会城市里排第几，十三五期间怎么变的", False),
    ("泸州这几年GDP总量在四川排第几", False),  # 这几年 may ask the years too
    ("萧山2023年GDP增长多少", False),
])
def test_a_question_that_asks_only_a_rank(question: str, only: bool) -> None:
    assert asks_rank_only(question) is only


@pytest.mark.parametrize(("line", "gives"), [
    ("营商环境居全国第五", True),
    ("增速居全国第1", True),
    ("增幅居万亿城市首位", True),
    ("在全国城市排名跃升到45位", True),
    ("在前十经济大省中并列第一", True),
    ("增速位居15个副省级城市第三", True),
    ("预计全年地区生产总值突破2200亿元增长5.8%", False),
    # A sector, a session, a period or a count of people is no rank.
    ("地区生产总值增长5.8%，其中第一产业增加值增长3.1%", False),
    ("市第七次党代会召开，前三季度增长5.5%", False),
    ("引进7位院士", False),
    ("规上工业增加值增长7%；", False),
    # A longer ordinal, a count of months, a plan's number, a ratio named 首位度.
    ("全省第十一届运动会", False),
    ("全省前11个月", False),
    ("全市第14个五年规划", False),
    ("首位度提升", False),
])
def test_a_line_that_gives_a_rank(line: str, gives: bool) -> None:
    assert gives_rank(line) is gives


def test_a_rank_asked_and_not_given_is_declined() -> None:
    texts = ["预计全年地区生产总值突破2200亿元、增长5.8%。"]
    weights = {"地区生产总值": 3.0}
    declined = ans.decide("萧山2023年GDP在全省排第几", texts, weights, full_evidence(), SURE)
    assert not declined.answerable and declined.reason == "报告中没有给出这一排名"
    ranked = ["地区生产总值增长5.8%、增速居全省第4。"]
    answered = ans.decide("萧山2023年GDP在全省排第几", ranked, weights, full_evidence(), SURE)
    assert answered.answerable and answered.text == ranked[0] + "[1]"


def test_a_rank_asked_alone_is_answered_by_the_sentence_that_gives_one() -> None:
    question = "西藏2013到2017年经济增速在全国排第几"
    weights = {"经济": 1.0, "增速": 3.0, "全国": 1.0}
    texts = ["2015年全区生产总值增长11%，经济增速位居全国前列。",
             "经济增速保持较快。地区生产总值增速连续五年居全国前三，年均增长10.8%。"]
    verdict = ans.decide(question, texts, weights, full_evidence(), SURE)
    assert verdict.answerable and "连续五年居全国前三" in verdict.text


@pytest.mark.parametrize(("question", "only"), [
    ("杭州2020年人工智能产业营收同比涨了多少", True),
    ("杭州去年经济增速多少", True),
    ("萧山2020年实际利用外资比上年增长了多少", True),
    ("2020年杭州农村居民收入增长了几个点", True),
    ("浙江12年人口自然增长率要控制在多少", True),
    # A level asked too, or instead: the level alone answers in part.
    ("GDP总量多少，增长多少", False),
    ("城镇居民收入从多少涨到多少", False),
    ("规上工业增加值是多少", False),  # 增加值 is a measure, not a change
    ("新增就业多少人", False),
    ("增速在全省排第几", False),
    # Found by a review against the corpus: a level after the verb, a count of years, an action, a comparison of
    # two levels, a reason.
    ("最低工资标准提高到了多少", False),
    ("GDP连续多少年保持增长", False),
    ("几年实现翻番", False),
    ("提升改造了多少条道路", False),
    ("翻新了多少所学校", False),
    ("居民收入翻了几番", True),
    ("萧山村集体经营性收入目标，2021年和2024年比涨了多少", False),
    ("1995年国家把经济增长目标定在多少？为啥比上一年低", False),
])
def test_a_question_that_asks_only_a_change(question: str, only: bool) -> None:
    assert asks_change_only(question) is only


@pytest.mark.parametrize(("line", "gives"), [
    ("地区生产总值增长８．２％。", True),  # full-width
    ("人口自然增长率控制在5‰以内。", True),
    ("比上年增加48万人。", True),
    ("空气优良天数由242天增加至334天。", True),
    ("粮食产量增长百分之五。", True),
    ("进出口总额翻了1.2倍。", True),
    ("提高3个百分点。", True),
    ("人工智能产业营收达1557.6亿元。", False),
    ("全市接待游客1.8亿人次，旅游总收入3335亿元。", False),
    ("规上工业增加值1557亿元。", False),  # 增加值 is no verb of change
    # What changed between the verb and the amount, a doubling, no change, a difference, a qualified amount.
    ("城镇新增就业12.5万人。", True),
    ("减少贫困人口130万人", True),
    ("新增地铁运营里程130公里", True),
    ("城乡居民收入比2010年翻了一番。", True),
    ("每人每月上调65元", True),
    ("全社会固定资产投资与上年持平", True),
    ("比上年多117万亩", True),
    ("比上年增加超过120万人", True),
    ("启动市场主体倍增工程", False),  # 倍 after no number
    ("2510个点位问题整改清零", False),
    ("提升改造背街小巷120条", False),  # an action's count, not a change
])
def test_a_line_that_gives_a_change(line: str, gives: bool) -> None:
    assert gives_change(line) is gives


def test_a_change_asked_and_not_given_is_declined() -> None:
    weights = {"人工智能": 3.0, "产业": 1.0, "营收": 3.0}
    question = "杭州2020年人工智能产业营收同比涨了多少"
    level = ["国家新一代人工智能创新发展试验区加快建设，人工智能产业营收达1557.6亿元。"]
    declined = ans.decide(question, level, weights, full_evidence(), SURE)
    assert not declined.answerable and declined.reason == "报告中没有给出这一增减幅度"
    rate = ["人工智能产业营收达1557.6亿元，增长15.2%。"]
    answered = ans.decide(question, rate, weights, full_evidence(), SURE)
    assert answered.answerable and answered.text == rate[0] + "[1]"


def test_a_line_of_targets_yields_to_a_result_that_says_enough_of_the_question() -> None:
    question = "江西2012年植树造林完成了多少亩"
    weights = {"植树": 3.0, "造林": 3.0, "完成": 1.0}
    plan = "大力推进绿色通道工程建设，完成植树造林230万亩以上。"
    review = "造林绿化工程完成造林面积298.65万亩。"
    answered = ans.decide(question, [plan, review], weights, full_evidence(), SURE, outcome_years=[2012],
                          report_years=[2013, 2013], parts=["plan", "review"])
    assert answered.answerable and answered.text == review + "[2]"
    # A result that says too little of the question ("完成" alone) does not stand in: the targets were all there was.
    other = "完成投资298.65亿元。"
    declined = ans.decide(question, [plan, other], weights, full_evidence(), SURE, outcome_years=[2012],
                          report_years=[2013, 2013], parts=["plan", "review"])
    assert not declined.answerable and declined.reason == "报告中只有2013年起的目标，没有给出2012年的实际数字"
    # Asked of the plan's own year, the target answers.
    own = ans.decide(question.replace("2012", "2013"), [plan, review], weights, full_evidence(), SURE,
                     outcome_years=[2013], report_years=[2013, 2013], parts=["plan", "review"])
    assert own.answerable and own.text.startswith(plan)


@pytest.mark.parametrize(("section", "where"), [
    ("二、2024年工作安排 > （五）更富成效促进区域协调发展", "plan"),
    ("二、新一届政府的努力方向和2022年工作安排", "plan"),
    ("二、2019年工作安排 > （一）推动创新取得新突破", "plan"),  # the first heading that says decides
    ("一、2023年工作回顾 > （一）经济恢复提质加速", "review"),
    ("一、国民经济持续快速发展“十五”计划开局良好", "review"),  # 计划 alone plans nothing
    ("", None),
])
def test_the_part_of_a_report_a_section_is_in(section: str, where: str | None) -> None:
    assert part(section) == where


REVIEW = "一、2024年工作回顾 > （一）经济运行稳中有进"


@pytest.mark.parametrize(("sentence", "section", "results"), [
    ("固定资产投资增长3.1%，社会消费品零售总额增长5.3%，进出口总额增长11.8%，增速均居副省级城市前列；", REVIEW, True),
    ("社会消费品零售总额增长5.3%。", "一、过去五年工作回顾", True),
    # 要 plans; 主要 and 要素 do not.
    ("PM2.5平均浓度38微克/立方米，主要入江支流断面全面消除劣Ⅴ类。", REVIEW, True),
    ("数据要素市场交易额100亿元。", REVIEW, True),
    ("PM2.5平均浓度要降到35微克/立方米。", REVIEW, False),
    # Where the report plans, or may: part() reads 开局 and 取得 as a review, and a heading may join both parts.
    ("社会消费品零售总额增长5.3%。", "二、2025年工作安排", False),
    ("社会消费品零售总额增长5.3%。", "三、全力以赴做好“十四五”开局工作", False),
    ("社会消费品零售总额增长5.3%。", "三、推动高质量发展取得显著进展", False),
    ("社会消费品零售总额增长5.3%。", "一、1998年工作回顾和1999年工作目标", False),
    ("社会消费品零售总额增长5.3%。", "", False),
    # A review's estimate is the year's result, before the statistics are final; 规模以上 and 限额以上 name a size.
    ("预计全年社会消费品零售总额增长5%。", REVIEW, True),
    ("服务业增加值比重预计提高1.2个百分点，规模以上工业增加值增长11.3%。", REVIEW, True),
    ("限额以上批发零售业销售额增长8%。", REVIEW, True),
    ("粮食产量稳定在300亿斤以上。", REVIEW, False),
    # A word that sets or recalls a target.
    ("国内生产总值比上年增长7.8%，虽然略低于8%的预定目标。", REVIEW, False),
    ("城镇登记失业率控制在3%以内。", REVIEW, False),
    ("年初承诺的10件民生实事全部兑现。", REVIEW, False),
    # A sentence with no figure neither answers nor misleads, and a line without figures shows nothing.
    ("消费市场加快回暖。", REVIEW, False),
])
def test_a_line_of_results_is_found_by_its_section_and_its_words(sentence: str, section: str, results: bool) -> None:
    assert only_results([(0, sentence)], [sentence], [section]) is results


def test_an_item_of_a_list_led_by_its_target_is_no_result() -> None:
    text = "今年经济社会发展的主要预期目标是：地区生产总值增长6%；城镇新增就业8万人；"
    assert not only_results([(0, "城镇新增就业8万人；")], [text], [REVIEW])


def test_a_target_asked_and_only_results_given_is_declined() -> None:
    result = [(0, "社会消费品零售总额增长5.3%，增速居副省级城市前列；")]
    texts = [result[0][1]]

    def reason(question: str) -> str | None:
        return not_given(question, result[0][1], result, texts, [2025], (), ["review"], (), [REVIEW])

    assert reason("武汉2025年社零增长目标多少") == "报告中只有实际完成的数字，没有给出这一目标"
    assert reason("武汉25年社零计划增长几个点") == "报告中只有实际完成的数字，没有给出这一目标"
    # What happened is what a question without a target word asks; 为什么/哪些 ask no figure; "目标完成了吗" asks
    # what happened; 计划单列市, 计划生育 and 预期寿命 are no targets.
    for question in ("武汉2024年社零增长了多少", "为什么没定社零增长目标", "社零增长目标完成了吗，增长了多少",
                     "宁波作为计划单列市社零增长多少", "预期寿命是多少"):
        assert reason(question) is None, question
    target = [(0, "社会消费品零售总额增长6%左右。")]
    assert not_given("武汉2025年社零增长目标多少", target[0][1], target, [target[0][1]], [2025], (), ["plan"], (),
                     ["二、2025年工作安排"]) is None


def test_a_figure_of_a_place_without_a_report_must_be_said_of_it() -> None:
    # 寿光 has no report of its own and is searched in 潍坊's, which names it but gives 潍坊's own figures.
    question = "寿光2020年蔬菜产量多少吨"
    weights = {"蔬菜": 3.0, "产量": 2.0}
    named = "寿光蔬菜产业集群入选全国首批优势特色产业集群。"
    parent_figure = "全力支持武汉抗击疫情，捐赠蔬菜1720吨。"
    inner = [("寿光", "潍坊市")]
    declined = ans.decide(question, [named, parent_figure], weights, full_evidence(), SURE, inner=inner)
    assert not declined.answerable and declined.reason == "潍坊市的报告中没有给出寿光的这一数字"
    own = "寿光蔬菜产量达到450万吨。"
    answered = ans.decide(question, [own, parent_figure], weights, full_evidence(), SURE, inner=inner)
    assert answered.answerable and answered.text.startswith(own)
    # A place with a report of its own: its reports' figures are its own.
    assert ans.decide(question, [named, parent_figure], weights, full_evidence(), SURE).answerable


def test_a_result_from_the_review_of_an_earlier_year_is_not_the_asked_years() -> None:
    # The 1998 report reviews 1997: its "预计完成109.7亿元" is no figure of 1998.
    review = "全市社会消费品零售总额预计完成109.7亿元，增长19.1%;"
    question = "南昌98年社会消费品零售总额是多少亿元"

    def reason(sentence: str, year: int, where: str | None = "review", named: bool = False) -> str | None:
        return not_given(question, sentence, [(0, sentence)], [sentence], [year], [1998], [where],
                         years_loose=named)

    assert reason(review, 1998) == "报告中只有1997年及以前的数字，没有给出1998年的"
    # A report given late in its year reviews that year too: 今年 names it.
    assert reason("预计今年社会消费品零售总额512亿元。", 1998) is None
    assert reason(review, 1996) == "报告中只有1995年及以前的数字，没有给出1998年的"
    # The next year's report reviews the asked year; a sentence that names it, or a part no heading names, may give it.
    assert reason(review, 1999) is None
    assert reason("1998年社会消费品零售总额完成120亿元。", 1998) is None
    assert reason(review, 1998, where=None) is None
    # "98年南昌报告里说…" names the report: its review is what is asked.
    assert reason(review, 1998, named=True) is None


def test_the_answer_declines_an_earlier_years_review_unless_the_question_names_that_report() -> None:
    question = "南昌98年社会消费品零售总额是多少亿元"
    review = "全市社会消费品零售总额预计完成109.7亿元，增长19.1%。"
    weights = {"社会消费品零售总额": 3.0, "亿元": 1.0}

    def verdict(named: bool) -> ans.Verdict:
        return ans.decide(question, [review], weights, replace(full_evidence(), years_loose=named), SURE,
                          outcome_years=[1998], report_years=[1998], parts=["review"])

    assert verdict(False).reason == "报告中只有1997年及以前的数字，没有给出1998年的"
    assert verdict(True).answerable


def test_an_earlier_years_review_yields_to_a_later_passage_that_gives_the_asked_years_result() -> None:
    question = "南昌98年社会消费品零售总额是多少亿元"
    texts = ["全市社会消费品零售总额预计完成109.7亿元，增长19.1%。", "城乡市场繁荣活跃。",
             "全年实现社会消费品零售总额118.6亿元。"]
    weights = {"社会消费品零售总额": 3.0, "亿元": 1.0}
    verdict = ans.decide(question, texts, weights, full_evidence(), SURE, outcome_years=[1998],
                         report_years=[1998, 1998, 1999], parts=["review", "review", "review"])
    assert verdict.answerable and verdict.text == "全年实现社会消费品零售总额118.6亿元。[3]"


def test_the_earlier_year_is_found_only_when_every_figure_is_an_earlier_review() -> None:
    earlier, later = "社会消费品零售总额预计完成109.7亿元。", "社会消费品零售总额118.6亿元。"
    texts = [earlier, later]
    picked = [(0, earlier), (1, later)]
    assert earlier_result_year(picked, texts, [1998, 1999], [1998], ["review", "review"]) is None
    assert earlier_result_year(picked, texts, [1998, None], [1998], ["review", "review"]) is None
    assert earlier_result_year([(0, earlier), (1, "市场繁荣活跃。")], texts, [1998, 1998], [1998],
                               ["review", "review"]) == 1997  # a sentence with no figure neither answers nor counts
    assert earlier_result_year([(0, earlier)], texts, [1998], [1998, 1999], ["review"]) == 1997
    assert earlier_result_year([(0, earlier)], texts, [1998], [], ["review"]) is None


def test_what_the_line_gives_must_come_from_the_asked_years_figures() -> None:
    question = "南昌98年社会消费品零售总额是多少亿元"
    earlier = "全市社会消费品零售总额预计完成109.7亿元，增长19.1%;"  # the 1998 report's review: 1997's
    own = "社会消费品零售总额增长9.4%;"  # the 1999 report's review: 1998's, but in no 亿元
    texts = [own, earlier]
    reason = not_given(question, own + earlier, [(0, own), (1, earlier)], texts, [1999, 1998], [1998],
                       ["review", "review"])
    assert reason == "报告中没有给出以“亿元”计的这一数字"
    # Given in 亿元 by the asked year's own figure, the line stands, the earlier year's sentence beside it.
    said = "社会消费品零售总额118.6亿元，增长9.4%;"
    assert not_given(question, said + earlier, [(0, said), (1, earlier)], [said, earlier], [1999, 1998], [1998],
                     ["review", "review"]) is None


def test_a_line_whose_figures_are_all_of_other_named_years_is_declined() -> None:
    question = "钱塘新区2020年地区生产总值是多少"
    dated = "地区生产总值、工业总产值2019年分别突破1100亿元、2900亿元;"

    def reason(sentence: str, loose: bool = False) -> str | None:
        return not_given(question, sentence, [(0, sentence)], [sentence], [2021], [2020], ["review"], years_loose=loose)

    assert reason(dated) == "报告中只有2019年的数字，没有给出2020年的"
    assert reason(dated, loose=True) is None  # the question names the report it reads: its review is asked
    # A year named as a base, a start or a horizon dates no figure; a sentence naming the asked year answers.
    for kept in ("地区生产总值从2015年的800亿元增加到1200亿元;", "地区生产总值1200亿元，比2019年增长5%;",
                 "2019年以来地区生产总值年均增长6%;", "2020年地区生产总值达到1200亿元，比2019年增长5%;"):
        assert other_years_only([(0, kept)], [2020]) == [], kept
    assert reason("地区生产总值1200亿元，比2019年增长5%;") is None
    assert other_years_only([(0, dated), (1, "城乡居民收入增长5%。")], [2020]) == []  # one undated figure may be 2020's


def test_a_total_is_not_given_by_another_measures_level_through_a_rate_wording() -> None:
    # GDP's wordings include 经济增长, whose 经济 "数字经济规模" says; the question asks no rate.
    question = "厦门22年GDP总量是多少亿"
    wordings = [{"gdp": 4.6, "总量": 3.5, "亿": 1.5}, {"地区": 2.4, "生产总值": 3.0, "总量": 3.5, "亿": 1.5},
                {"经济": 2.0, "增长": 1.0, "总量": 3.5, "亿": 1.5}]
    line = "地区生产总值增长4.4%；数字经济规模超4500亿元。"
    assert not_given(question, line, [(0, line)], [line], wordings=wordings) == "报告中没有给出这一总量"
    given = "地区生产总值7802.66亿元，增长4.4%。"
    assert not_given(question, given, [(0, given)], [given], wordings=wordings) is None



@pytest.mark.parametrize(("sentence", "years"), [
    ("地区生产总值、工业总产值2019年分别突破1100亿元、2900亿元;", [2019]),
    ("２０１９年地区生产总值突破1100亿元。", [2019]),
    # A year mentioned in passing, as a base, a span, a target or inside a title dates no figure.
    ("PM2.5平均浓度达到53微克/立方米，提前完成省下达的2020年目标。", []),
    ("全省粮食总产4260万吨，超过历史最高的1999年。", []),
    ("实施《老旧小区改造三年行动方案（2022—2024年）》，改造城镇老旧小区46个。", []),
    ("和2019年相比增长3.9%。", []),
    ("2016—2019年累计完成投资500亿元。", []),
    ("获评生态环境部2023年度表扬城市，空气优良率96.7%。", []),
])
def test_the_years_that_date_a_lines_figures(sentence: str, years: list[int]) -> None:
    assert other_years_only([(0, sentence)], [2018]) == years


def test_a_sentence_that_reviews_leads_no_list_of_targets() -> None:
    figure = "全省实现生产总值6835.27亿元，增长8.9%；"
    for previous in ("完成了省人大常委会批准调整后的各项预期目标。", "全市上下力争上游。"):
        assert later_target_year([(0, figure)], [previous + figure], [2015], [2014], [None]) is None, previous


def one_line(question: str, line: str) -> str | None:
    """`not_given` of a number question answered by one sentence, all the passage there is."""
    return not_given(question, line, [(0, line)], [line], number_question=True)


def test_a_trade_figure_of_one_part_only_is_declined() -> None:
    sent = "跨境电商进出口总额1084.2亿元、增长13.9%。"
    reason = one_line("杭州2020年外贸进出口总额是多少", sent)
    assert reason == "报告中只有“跨境电商”这一部分的数字，没有给出总的"
    whole = "外贸进出口总额5934亿元，其中跨境电商进出口1084.2亿元。"
    assert one_line("杭州2020年外贸进出口总额是多少", whole) is None


def test_a_figure_asked_and_no_figure_given_is_declined() -> None:
    sent = "居民可支配收入与经济增长同步；"
    reason = one_line("萧山2024年最低工资标准是多少", sent)
    assert reason == "报告中没有给出这一数字"
    # A figure in words is one ("一百多个"); a rank asks none ("第二" answers 排第几).
    words = "同我国建交的国家已经有一百多个。"
    assert one_line("1975年和我国建交的国家有多少个", words) is None
    rank = "服务外包出口规模居全国第二。"
    assert one_line("杭州服务外包出口在全国排第几", rank) is None
    # A change, a share or a rank in words is a figure given too.
    for question, line in (("2020年城乡居民收入比2010年翻了多少", "城乡居民收入比2010年翻了一番。"),
                           ("杭州GDP位次是多少", "地区生产总值居全国城市第八位。")):
        assert one_line(question, line) is None, question


def test_a_figure_over_several_years_is_no_one_years() -> None:
    sent = "利用外资大幅度增长，外商直接投资实际金额五年累计1858亿美元。"

    def reason(question: str, line: str = sent) -> str | None:
        return not_given(question, line, [(0, line)], [line], [1998], [1997], ["review"], number_question=True)

    assert reason("97年外商直接投资实际到位多少") == "报告中只有多年累计或年均的数字，没有给出1997年的"
    # Asked over the years, it answers; so does a line with the year's own figure too.
    assert reason("93到97年外商直接投资累计到位多少") is None
    both = "2012年全省生产总值达5.7万亿元，五年年均增长10.2%；"
    assert reason("广东2012年GDP是多少", both) is None
    # A year's average concentration is the year's; a count to date after "五年来，" is no average.
    assert reason("北京2014年PM2.5实际降了多少", "细颗粒物年均浓度实际下降了4%。") is None
    assert reason("98年有多少家500强在北京投资", "五年来，全球最大的500家跨国公司有146家在京投资。") is None
    # A yearly average of a level, a year in words and a five-year plan's name are one year's; a quoted plan
    # period is several.
    for one_year in ("在岗职工年均工资达到8.5万元。", "一九八五年工农业总产值达到八千二百亿元。",
                     "第七个五年计划的第一年，国民生产总值增长8%。"):
        assert not over_years_only([one_year]), one_year
    assert over_years_only(["“十三五”期间新增城镇就业50万人。"])
