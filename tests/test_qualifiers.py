"""A figure asked with a breakdown word (入境, 出口, 授权, 调查, 小麦) is answered only by a figure said of it."""

import pytest

from qa.lang.qualifiers import asked_qualifiers, part_only, unsaid
from qa.lang.units import gives_unit
from qa.search import answer as ans
from qa.search.extract import extract

from .verdicts import SURE, full_evidence


@pytest.mark.parametrize(("question", "asked"), [
    ("西安2023年接待入境游客多少人次", ["入境"]),
    ("西藏2015年接待的游客里境外游客有多少", ["境外"]),
    ("济宁19年出口额是多少亿元", ["出口"]),
    ("全国2023年外贸进出口总额是多少", []),  # 进出口 is neither 出口 nor 进口
    ("浙江2005年城镇调查失业率是多少", ["调查"]),
    # A breakdown word outside the clause that asks the figure asks none of its own.
    ("杭州疫情期间一共治好了多少确诊病人，有没有死亡的", []),
    ("萧山2021年高中这块要动哪几所学校", []),  # 哪几 asks a list
    ("2020年提高中央财政转移支付多少", []),  # 提高中央 says no 高中
    ("高中阶段毛入学率多少", ["高中"]),
    ("进口博览会意向成交额多少", []),  # a fair's name
    ("实际利用外国直接投资多少亿美元", []),  # investment from abroad is not 入境
    ("几乎所有农村都通了公路吗", []),  # 几乎 asks no figure
])
def test_the_breakdown_a_figure_is_asked_in(question: str, asked: list[str]) -> None:
    assert [group[0] for group in asked_qualifiers(question)] == asked


@pytest.mark.parametrize(("question", "sentence", "missing"), [
    ("西安2023年接待入境游客多少人次", "全年接待游客2.78亿人次、旅游收入3350亿元。", "入境"),
    ("哈尔滨2019年接待入境游客多少人次", "全年接待国内外游客9579.7万人次。", "入境"),
    ("西安2023年接待入境游客多少人次", "接待境外游客120万人次。", None),  # a word of its kind
    # The clause that says it must give the figure, or the one after it with its subject left out.
    ("杭州2020年货物进口额是多少", "探索“保税进口+零售加工”新模式，跨境电商进出口总额1084.2亿元。", "进口"),
    ("2019年入境游客多少人次", "入境游客增长20%，达到120万人次。", None),
    ("杭州2020年农村居民收入增长了多少", "城镇、农村居民人均可支配收入分别增长3.9%和6.7%。", None),
    ("杭州2020年农村居民收入增长了多少", "城乡居民收入分别增长3.9%和6.7%。", None),  # 城乡 says both
    # 税收 is a part of the revenue, 早稻 of the rice.
    ("萧山23年税收收入是多少", "财政总收入567亿元增长10.1%，一般公共预算收入332亿元增长4.3%。", "税收"),
    ("萧山23年税收收入是多少", "税收收入298亿元，占一般公共预算收入的89.8%。", None),
    ("浙江88年早稻产量多少", "粮食总产量为1553.64万吨，下降2.2%。", "早稻"),
    ("萧山23年税收收入是多少", "非税收入35亿元。", "税收"),  # 非税收入 is the rest of the revenue
    ("杭州2020年为企业减免税收多少亿元", "全年为企业减税降费超过500亿元。", None),
    ("浙江88年早稻产量多少", "早籼稻产量120万吨。", None),
    ("深圳2016年国内发明专利授权量多少件", "国内发明专利申请量增长约40%。", "授权"),
    ("黑龙江2013年大豆产量多少", "粮食总产量达1300亿斤，稳定大豆种植面积。", "大豆"),
    ("萧山去年PM10平均浓度是多少", "PM2.5平均浓度同比下降20.8%。", "PM10"),
    ("北京24年pm2.5年均浓度多少", "细颗粒物年均浓度30.5微克/立方米。", None),
    # Gross output is not value added, nor are pigs sold the herd kept.
    ("杭州2020年规上工业总产值是多少", "规上工业实现增加值3634亿元。", "产值"),
    ("钱塘区2020年工业总产值多少", "工业总产值突破2900亿元。", None),
    ("四川07年生猪存栏多少万头", "生猪出栏9911万头。", "存栏"),
    # A part is not the whole, nor another part: 发明 patents, 民间 investment, 服务业, 制造业, one trade.
    ("深圳2006年发明专利申请量具体多少件", "专利申请量增长42%，达到29728件，居全国第二。", "发明"),
    ("杭州2020年服务业增加值增长了多少", "全市地区生产总值增长3.9%。", "服务业"),
    ("杭州2020年服务业增加值增长了多少", "第三产业增加值增长5.1%。", None),  # a word of its kind
    ("杭州2020年服务外包出口额是多少亿", "货物出口3693亿元、增长2.1%。", "服务外包"),
    ("广东17年高新技术企业数量打算达到多少家", "培育壮大高新技术企业，争取年底前达2.3万家。", None),
    # A figure per head is no total: GDP's is not 人均GDP's.
    ("杭州2020年人均GDP是多少", "全市实现地区生产总值16106亿元，增长3.9%。", "人均"),
    ("广州十一五末人均GDP目标是多少", "到2010年全市人均生产总值达到1万美元。", None),
    # Incomes are per head however a report says them; older reports say 平均每人.
    ("2020年农村居民人均可支配收入增长多少", "城乡居民收入分别增长3.9%和6.7%。", None),
    ("1985年农民人均纯收入多少", "农民平均每人纯收入达到397元。", None),
    ("人均预期寿命是多少岁", "居民平均预期寿命达到79.2岁。", None),
    # A kind's other names: 高新企业, 民营投资, 全部财政收入; a place named 工业园区 is no part of 工业.
    ("高新技术企业有多少家", "国家高新企业达到1.1万家。", None),
    ("2020年民间投资增长多少", "民营投资增长12%。", None),
    ("苏州工业园区2020年GDP多少", "园区实现地区生产总值2907亿元。", None),
    ("1981年农业总产值多少", "工农业总产值达到7490亿元。", "农业"),
    ("浙江2013年农民人均纯收入多少", "城镇居民人均可支配收入和农村居民人均纯收入分别增长9.6%和10.7%。", None),
    # People call GDP 经济总产值; 产值能耗 is energy per unit of output.
    ("杭州2020年经济总产值是多少", "全市实现地区生产总值16106亿元。", None),
    ("2020年杭州万元产值能耗下降了多少", "单位生产总值能耗下降3.5%。", None),
    # The figure may come past clauses that give none, in a clause that opens with its year or a plan word.
    ("1957年全国工业总产值是多少", "一九五七年的工业总产值（不包括手工业产值，下同），预计达到六百二十八亿一千万元。", None),
    ("1981年全国工农业总产值实际增长了多少", "工农业总产值的增长速度，一九八一年计划为百分之三点七，实际达到百分之四点六；",
     None),
    ("西安2023年接待入境游客多少人次", "入境旅游持续恢复，全年接待游客2.78亿人次。", "入境"),
    # A rank asks no figure: "服务外包出口规模居全国第二" answers "服务外包出口在全国排第几".
    ("杭州的服务外包出口在全国能排第几", "货物出口3693亿元。", None),
])
def test_a_figure_said_of_the_breakdown(question: str, sentence: str, missing: str | None) -> None:
    assert unsaid(question, [sentence]) == missing


def test_a_figure_of_the_breakdown_in_the_asked_unit() -> None:
    question = "新疆2024年棉花种了多少亩"
    line = "棉花总产568.6万吨、占全国92.2%。"
    assert unsaid(question, [line]) is None
    assert unsaid(question, [line], lambda clause: gives_unit(clause, "亩")) == "棉花"
    assert unsaid(question, ["棉花种植面积3600万亩。"], lambda clause: gives_unit(clause, "亩")) is None


def test_a_breakdown_asked_and_not_given_is_declined_and_one_given_is_the_answer() -> None:
    question = "杭州2020年外贸出口额多少"
    weights = {"外贸": 2.0, "出口": 3.0}
    mixed = "跨境电商进出口总额1084.2亿元、增长13.9%。"
    declined = ans.decide(question, [mixed], weights, full_evidence(), SURE)
    assert not declined.answerable and declined.reason == "报告中没有给出“出口”的这一数字"
    # Beside it, the sentence that gives the figure of 出口 is the answer.
    own = "货物出口3693亿元、增长2.1%。"
    answered = ans.decide(question, [mixed, own], weights, full_evidence(), SURE)
    assert answered.answerable and own in answered.text
    # Ranked first, too: of one passage's sentences, one allowed, it is the one that gives the figure of 出口.
    assert extract(question, [mixed + own], weights, max_sentences=1) == [(0, own)]


def test_the_unit_binds_the_breakdown_only_where_one_figure_is_asked() -> None:
    weights = {"浓度": 2.0, "优良": 1.0, "天数": 1.0}
    line = ["细颗粒物年均浓度30.5微克/立方米、下降6.2%，优良天数290天。"]
    # Two figures asked: 天 is the second's unit, not the PM2.5 figure's.
    two = ans.decide("北京24年PM2.5年均浓度多少，优良天数多少天", line, weights, full_evidence(), SURE)
    assert two.answerable
    one = ans.decide("北京24年PM2.5年均浓度多少天", ["细颗粒物年均浓度30.5微克/立方米。"], weights, full_evidence(), SURE)
    assert not one.answerable and one.reason == "报告中没有给出“PM2.5”的这一数字"


@pytest.mark.parametrize(("question", "sentences", "named"), [
    # Only a part's figure: the whole is not given.
    ("杭州2020年外贸进出口总额是多少",
     ["在全国率先探索“保税进口+零售加工”新模式，跨境电商进出口总额1084.2亿元、增长13.9%。"], "跨境电商"),
    ("上海23年外贸出口多少", ["外贸进出口总额达到4.2万亿元、增长0.7%。",  # 进出口 is not the 出口 asked
                          "电动载人汽车、锂电池、太阳能电池等“新三样”出口分别增长43.9%、50.5%和0.9%。"], "新三样"),
    # The whole's figure, with its parts after it ("其中").
    ("杭州2020年外贸进出口总额是多少", ["外贸进出口总额5934亿元，其中跨境电商进出口1084.2亿元。"], None),
    # The question asks the part itself, or no trade figure; or no clause gives the measure's figure at all.
    ("杭州2020年跨境电商进出口总额是多少", ["跨境电商进出口总额1084.2亿元。"], None),
    ("杭州2020年GDP是多少", ["跨境电商进出口总额1084.2亿元。"], None),
    ("杭州2020年出口多少", ["推动跨境电商出口。"], None),
])
def test_a_part_of_a_trade_figure_is_no_figure_of_the_whole(question: str, sentences: list[str], named: str | None) -> None:
    assert part_only(question, sentences) == named
