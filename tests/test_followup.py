"""Follow-up rewriting on its own: what inherits the earlier place, year and topic, and what stands alone."""

import datetime as dt

import pytest

from qa.core.records import Turn
from qa.lang.places import PlaceMatcher
from qa.search.followup import rewrite

MATCHER = PlaceMatcher({"萧山区": ["萧山"], "钱塘区": ["钱塘新区"]})
FIRST = [Turn("杭州2020年新增多少家国家高新技术企业", "2010家")]


@pytest.mark.parametrize(("question", "expected"), [
    ("那萧山呢？", "萧山2020年新增多少家国家高新技术企业"),
    ("2024年呢？", "杭州2024年新增多少家国家高新技术企业"),
    ("钱塘新区2021年呢", "钱塘2021年新增多少家国家高新技术企业"),
    ("具体有哪些措施？", "杭州2020年新增多少家国家高新技术企业 有哪些措施"),
])
def test_elliptical_questions_inherit_place_year_and_topic(question: str, expected: str) -> None:
    assert rewrite(question, FIRST, MATCHER) == expected


@pytest.mark.parametrize("question", ["萧山数字经济发展得怎么样", "火星人口多少", "杭州2020年新增多少家国家高新技术企业"])
def test_questions_with_their_own_topic_stand_alone(question: str) -> None:
    assert rewrite(question, FIRST, MATCHER) is None


def test_no_history_means_no_rewrite() -> None:
    assert rewrite("那萧山呢？", [], MATCHER) is None
    assert rewrite("那萧山呢？", [Turn("   ")], MATCHER) is None


def test_context_accumulates_over_several_turns() -> None:
    history = [*FIRST, Turn("那萧山呢？")]
    assert rewrite("2024年呢？", history, MATCHER) == "萧山2024年新增多少家国家高新技术企业"


def test_relative_years_count_from_the_readers_date() -> None:
    # Read as of 2021, the first turn's 去年 is 2020, and the follow-up inherits that year, not today's 去年.
    history = [Turn("杭州去年新增多少家国家高新技术企业", "2010家")]
    assert rewrite("那萧山呢？", history, MATCHER, dt.date(2021, 7, 1)) == "萧山2020年新增多少家国家高新技术企业"
    assert rewrite("那萧山呢？", history, MATCHER, dt.date(2024, 7, 1)) == "萧山2023年新增多少家国家高新技术企业"


def test_relative_years_in_a_follow_up_count_from_the_conversations_report() -> None:
    # 2020's outcome is reviewed in the 2021 report, where 今年 is 2021 and 去年 2020.
    history = [Turn("杭州2020年社会消费品零售总额多少", "6945亿元")]
    assert rewrite("今年目标增长多少？", history, MATCHER) == "杭州2021年社会消费品零售总额多少 目标增长多少"
    targets = [Turn("杭州2021年GDP增长目标是多少", "7%")]
    assert rewrite("那去年呢？", targets, MATCHER) == "杭州2020年GDP增长目标是多少"
