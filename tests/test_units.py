"""The unit a question asks its figure in, and the answer line that must give a figure in it."""

import pytest

from qa.lang.units import asked_unit, asks_stock, asks_total, gives_level, gives_unit
from qa.search import answer as ans

from .verdicts import SURE, full_evidence


@pytest.mark.parametrize(("question", "unit"), [
    ("宁波2015年港口货物吞吐量多少亿吨", "亿吨"),
    ("萧山购车补贴一个名额补多少钱", "钱"),
    ("合肥2021年星级酒店有多少家", "家"),
    ("杭州地铁2020年客运量是多少人次", "人次"),
    ("萧山今年计划新增多少张养老床位", "张"),
    ("杭州有效发明专利有多少件，在省会城市排第几", "件"),
    ("山东94年GDP到了多少亿", "亿"),
    ("有多少个人参加", "人"),
    # No unit: a bare 多少, a rate (几个点), a list (哪几个), the universal counter 个, a threshold (亿元以上).
    ("杭州2020年GDP增长多少", None),
    ("2020年杭州农村居民收入增长了几个点", None),
    ("CPI涨了几个百分点", None),
    ("湛江撑起规上工业半壁江山的是哪几个产业", None),
    ("萧山2020年引进了几个院士专家这样的顶尖人才", None),
    ("钱塘新区成立以来引进了多少亿元以上项目", None),
    # Found by a review over 176 written questions and the 962 of the dev sets:
    ("陇南2013年工业用电量多少千瓦时", "千瓦时"),  # the longest unit, not 千瓦
    ("萧山购车补贴投放了多少名额", None),  # 名额, 家庭, 项目, 天然气: a unit-looking character opens a word
    ("杭州有多少家庭用上了天然气", None),
    ("钱江世纪城想挤进全国CBD前几名", None),  # a rank
    ("这几家企业产值一共多少亿元", "亿元"),  # 这几家 is "these few"
    ("萧山2021年的几家大医院项目有哪些", None),
    ("出口了多少人民币的货", "钱"),
    ("减免了多少个人所得税", None),  # 个人所得税, not people
    ("引进了多少个人才项目", None),
    # An age asked in words, a count of couples, a concentration.
    ("杭州市长今年多大年纪", "岁"),
    ("人均预期寿命多少岁", "岁"),
    ("海口2023年离婚登记有多少对", "对"),
    ("多少对外贸易企业受益", None),  # 对外, not couples
    ("政府拿出多少对困难群众进行救助", None),
    ("多少对新人登记结婚", "对"),
    ("北京2014年PM10年均浓度是多少微克", "微克"),
])
def test_the_unit_a_question_asks(question: str, unit: str | None) -> None:
    assert asked_unit(question) == unit


@pytest.mark.parametrize(("sentence", "unit", "gives"), [
    ("宁波舟山港集装箱吞吐量达到2063万标箱。", "亿吨", False),
    ("沿海港口吞吐量力争突破20亿吨。", "亿吨", True),
    ("投放10000 个购车补贴名额，拉动汽车消费近20亿元。", "钱", True),
    ("投放10000 个购车补贴名额。", "钱", False),
    ("经营主体总量达36.1万户、增长19.3%。", "家", True),  # 户 counts what 家 counts
    ("新引进院士专家等顶尖人才10人。", "名", True),
    ("全市有效发明专利拥有量7.3万件，增长25.2%。", "件", True),
    ("预计地区生产总值增长4%、总量保持全省第4。", "亿", False),
    ("全年实现国内生产总值1841.2亿元。", "亿", True),
    ("开工建设十二座水库。", "座", True),
    ("集装箱吞吐量381.3万标准箱，增长18.7%。", "万标箱", True),  # the reports' own spelling of the unit
    ("实现贫困人口脱贫12.58万、贫困村出列96个。", "人", True),  # a list leaves 人 unsaid after 万
    ("贫困发生率降至0.37%。", "人", False),
    ("城市居民人均可支配收入17794元。", "万元", True),  # another scale of the asked unit
    ("货邮吞吐量达到23.3万吨。", "亿吨", True),
    ("粮食总产600亿斤。", "万吨", True),  # a counter of the same kind
    ("审批时限压缩至3个工作日以内。", "天", True),
    ("安全转移8.7万贫困人口。", "人", True),  # 万 before the people it counts
    ("新增市场主体**1262**家。", "家", True),  # markup inside a figure
    ("全年粮食产量1633亿 斤。", "吨", True),
    ("城镇新增就业1.2万[1]", "人", True),  # the answer line's marker follows a figure with its counter unsaid
    ("接待游客1.2亿人次。", "万", True),  # any scale answers a scale
    ("人均预期寿命达到82.4岁。", "岁", True),
    ("常住人口1036万人。", "岁", False),
    ("细颗粒物年均浓度58微克/立方米。", "微克", True),
    ("空气中细颗粒物年均浓度实际下降了4%。", "微克", False),
    ("PM2.5浓度为35μg/m³。", "微克", True),
    ("财政收入8500万元。", "亿", True),
    ("地区生产总值1.81万亿。", "亿元", True),
])
def test_a_figure_in_the_unit(sentence: str, unit: str, gives: bool) -> None:
    assert gives_unit(sentence, unit) is gives



def test_an_answer_without_a_figure_in_the_asked_unit_is_declined_with_the_unit_named() -> None:
    weights = {"港口": 3.0, "吞吐量": 3.0}
    texts = ["推进现代化枢纽港建设，宁波舟山港集装箱吞吐量达到2063万标箱。"]
    verdict = ans.decide("宁波2015年港口吞吐量多少亿吨", texts, weights, full_evidence(), SURE)
    assert not verdict.answerable
    assert verdict.reason == "报告中没有给出以“亿吨”计的这一数字"
    assert verdict.text == "报告中没有找到相关内容。报告中没有给出以“亿吨”计的这一数字；下面是最接近的段落。"
    assert verdict.confidence < SURE.threshold
    # Asked in the unit the passage gives, or in none, the same passage answers.
    for question in ("宁波2015年港口吞吐量多少万标箱", "宁波2015年港口吞吐量多少"):
        answered = ans.decide(question, texts, weights, full_evidence(), SURE)
        assert answered.answerable and answered.text == texts[0] + "[1]", question
    money = ans.decide("一个名额补多少钱", ["投放10000个购车补贴名额。"], {"名额": 3.0}, full_evidence(), SURE)
    assert money.reason == "报告中没有给出以“元”计的这一数字"


@pytest.mark.parametrize(("question", "total"), [
    ("贵州2024年GDP总量是多少", True),
    ("杭州2020年社零总额是多少", True),
    ("宁波2020年地区生产总值是多少", True),
    ("国家2003到2007年财政教育支出一共多少", True),
    # A change, a share, a rank or a count of years asked as well or instead: the rate may answer.
    ("萧山2023年GDP总量多少，增长多少", False),
    ("泸州这几年GDP总量在四川排第几", False),
    ("截至2016年泉州经济总量连续多少年全省第一", False),
    ("萧山规上工业增加值增长多少", False),
    ("杭州2023年GDP总量占全省多少", False),  # a share
    ("21年杭州报告里说，去年在建的铁路有几条、一共多少公里", False),  # a count asked too
])
def test_a_question_that_asks_a_total(question: str, total: bool) -> None:
    assert asks_total(question) is total


@pytest.mark.parametrize(("line", "level"), [
    ("全年实现国内生产总值1844.09亿元，增长13%", True),
    ("各级各类学校在校学生总计达两亿零七百万人，其中3500万人", True),
    ("94.29万建档立卡贫困人口全部脱贫", True),
    ("地区生产总值增长3.5%左右", False),
    ("增长1.2倍，高于全省2.1个百分点", False),
    ("增长５．７％", False),
    ("地区生产总值增速居全省第2名", False),  # a rank
    ("前3个季度增长5.5%", False),  # a period
])
def test_a_line_that_gives_a_level(line: str, level: bool) -> None:
    assert gives_level(line) is level


def test_a_total_answered_by_a_rate_alone_is_declined() -> None:
    weights = {"地区生产总值": 3.0, "总量": 1.0}
    rate = ["全年地区生产总值增长3.5%左右。"]
    declined = ans.decide("呼伦贝尔2024年地区生产总值总量多少", rate, weights, full_evidence(), SURE)
    assert not declined.answerable and declined.reason == "报告中没有给出这一总量"
    level = ["全年地区生产总值达到3008.61亿元，增长3.5%。"]
    assert ans.decide("呼伦贝尔2024年地区生产总值总量多少", level, weights, full_evidence(), SURE).answerable


def test_the_level_must_be_of_what_the_total_is_asked_of() -> None:
    gdp = [{"gdp": 4.6, "总量": 3.5, "亿元": 1.8}, {"地区": 2.4, "生产总值": 3.0, "总量": 3.5, "亿元": 1.8},
           {"经济": 2.0, "增长": 1.0, "总量": 3.5}]  # GDP's wordings, one of them a rate's (经济增长)
    # Another measure's level beside the asked one's rate answers nothing.
    assert not gives_level("预计地区生产总值增长6%左右，一般公共预算收入完成496.3亿元、增长4.5%", gdp)
    assert gives_level("全年实现地区生产总值1844.09亿元，增长13%", gdp)
    # A clause that opens with its total or verb takes its subject from the clause before.
    assert gives_level("地区生产总值增长5.1％，总量达到3008.61亿元", gdp)
    assert gives_level("地区生产总值增长5%，增速连续3年居全省首位，总量突破3000亿元", gdp)
    # A question whose words name nothing but the total: any level answers.
    assert gives_level("累计完成投资120亿元", [{"一共": 3.0, "亿元": 1.8}])


@pytest.mark.parametrize(("question", "stock"), [
    ("杭州养老机构床位现在一共有多少张", True),
    ("杭州目前拥有多少个国家级孵化器", True),
    ("钱塘区现在一共有多少家国家高新技术企业", True),
    # A stock named as one is dated, not added, by its year.
    ("萧山2020年有效发明专利拥有量多少件", True),
    ("杭州2020年汽车保有量多少辆", True),
    ("杭州2020年拥有多少家上市公司", False),  # 拥有 alone, dated: what the year brought is as likely asked
    # A flow asked (what was added, brought in or built), or no count at all.
    ("钱塘新区成立以来一共引进了多少项目", False),
    ("杭州2020年新增了多少家上市公司", False),
    ("杭州人均预期寿命现在是多少岁", False),
    ("钱塘研发经费占GDP比重现在是多少", False),
    ("杭州常住人口现在有多少", False),
])
def test_a_question_that_asks_a_stock(question: str, stock: bool) -> None:
    assert asks_stock(question) is stock


def test_a_stock_answered_by_an_increment_is_declined() -> None:
    question = "杭州养老机构床位现在一共有多少张"
    weights = {"养老": 3.0, "机构": 1.0, "床位": 3.0}
    added = ["建设镇街级示范型居家养老服务中心73家，新增养老机构床位3255张。"]
    declined = ans.decide(question, added, weights, full_evidence(), SURE, wordings=[weights])
    assert not declined.answerable and declined.reason == "报告中只有新增的数字，没有给出总数"
    held = ["全市养老机构床位达到8.6万张。"]
    answered = ans.decide(question, held, weights, full_evidence(), SURE, wordings=[weights])
    assert answered.answerable and answered.text == held[0] + "[1]"
    # Another clause's level does not borrow the increment's subject by a verb ("完成1978户…改造").
    verb = ["新增养老机构床位3255张，完成1978户老年人家庭适老化改造。"]
    assert not ans.decide(question, verb, weights, full_evidence(), SURE, wordings=[weights]).answerable


@pytest.mark.parametrize("line", [
    "新增上市公司12家，总数达到198家。",
    "新增境内外上市公司12家、累计达到198家。",
    "上市公司达198家、比上年增加12家。",
    "上市公司增加到198家。",
])
def test_a_stock_said_after_an_increment_or_beside_one_is_given(line: str) -> None:
    assert gives_level(line, [{"上市": 2.0, "公司": 1.0}], stock=True)
    assert not gives_level("新增上市公司12家。", [{"上市": 2.0, "公司": 1.0}], stock=True)


def test_what_a_year_built_is_an_increment_and_what_was_built_in_all_a_total() -> None:
    weights = [{"农村": 2.0, "文化礼堂": 4.0}]
    assert not gives_level("建成农村文化礼堂531家，基本实现全覆盖。", weights, stock=True)
    for total in ("累计建成农村文化礼堂2800家。", "共建成农村文化礼堂2800家。", "已建成农村文化礼堂2800家。",
                  "共计建成农村文化礼堂2800家。", "目前全市建成农村文化礼堂2800家。", "先后建成农村文化礼堂2800家。"):
        assert gives_level(total, weights, stock=True), total
    assert gives_level("建成农村文化礼堂531家。", weights)  # a level all the same, where no total is asked


def test_the_size_of_a_figure_is_no_measure_it_is_of() -> None:
    # "多少亿" names the size: a level in 亿 of another measure does not say the asked one.
    assert not gives_level("数字经济规模超4500亿元", [{"生产总值": 3.0, "亿": 3.0}])
    assert gives_level("地区生产总值7802.66亿元", [{"生产总值": 3.0, "亿": 3.0}])
