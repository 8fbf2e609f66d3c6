"""A share asked ("占GDP比重是多少") is answered only by a percentage said as a share."""

import pytest

from qa.lang.shares import asks_share, gives_share
from qa.search import answer as ans

from .verdicts import SURE, full_evidence


@pytest.mark.parametrize(("question", "asks"), [
    ("杭州出口占全国份额是多少", True),
    ("杭州去年文化产业增加值占GDP比重是多少", True),
    ("行政村占多大比例", True),
    ("黑龙江2012年提出要提高哪五个比重", False),  # a list
    ("杭州2020年GDP增长多少", False),
])
def test_a_question_that_asks_a_share(question: str, asks: bool) -> None:
    assert asks_share(question) is asks


@pytest.mark.parametrize(("line", "gives"), [
    ("文化产业增加值占GDP比重达8.5%。", True),
    ("研发经费支出与地区生产总值之比从3%提升到3.5%。", True),
    ("棉花总产568.6万吨、占全国92.2%。", True),
    ("文化产业实现增加值2285亿元、增长8.2%。", False),  # a level and a growth rate, no share
    ("确保全市出口占全国份额基本稳定。", False),  # a share talked about, not given
])
def test_a_line_that_gives_a_share(line: str, gives: bool) -> None:
    assert gives_share(line) is gives


@pytest.mark.parametrize(("question", "line", "gives"), [
    # What the share is of, where the question says: 全国, 全省, 全市, GDP (or 生产总值).
    ("山东98年外贸出口占全国的比重是多少", "工业制成品占出口产品比重达到72.3%。", False),
    ("新疆2024年棉花产量占全国多少", "棉花总产568.6万吨、占全国92.2%。", True),
    ("苏州2022年税收占江苏全省多少", "税收收入占全省比重达到27.9%。", True),
    ("上海2012年研发经费占GDP比例多少", "相当于全市生产总值的比例达到3.16%。", True),
    ("杭州2020年制造业增加值占GDP比重是多少", "工业制成品占出口产品比重达到72.3%。", False),
    # A share of something else the table does not know is left to the share alone.
    ("大同新能源装机占山西多大比重", "新能源电力装机占比达到20%。", True),
    # A share said with no whole is left to the share alone; a question naming two wholes takes either.
    ("杭州2020年服务业占GDP比重多少", "服务业增加值占比提高到68.4%。", True),
    ("广西糖料蔗产量占全国多大比重", "居全国第一，占比超过60%。", True),
    ("杭州2020年文化产业增加值占全市GDP比重多少", "文化产业增加值占地区生产总值比重达到12.5%。", True),
    # 市 alone is no whole: 上市, 城市 and 市场 say it too.
    ("钱塘生物医药产值占杭州全市多大比重", "产值占新区工业比重达到20%。", False),
])
def test_a_share_given_of_what_the_question_asks(question: str, line: str, gives: bool) -> None:
    assert gives_share(line, question) is gives


def test_a_share_asked_and_not_given_is_declined() -> None:
    question = "杭州去年文化产业增加值占GDP比重是多少"
    weights = {"文化产业": 3.0, "增加值": 1.0, "比重": 1.0}
    level = ["积极推进之江文化产业带建设，文化产业实现增加值2285亿元、增长8.2%。"]
    declined = ans.decide(question, level, weights, full_evidence(), SURE)
    assert not declined.answerable and declined.reason == "报告中没有给出这一比重"
    share = ["文化产业增加值占GDP比重达8.5%。"]
    assert ans.decide(question, share, weights, full_evidence(), SURE).answerable
