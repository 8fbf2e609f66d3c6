"""stance(): whether a figure's sentence plans the report's year, reviews a past one, or spans several."""

import pytest

from qa.lang.stance import stance


@pytest.mark.parametrize(("clause", "sentence", "expected"), [
    # the year's plan: a target qualifier, or plan wording in the clause or sentence
    ("地区生产总值增长6%左右", "主要预期目标是：地区生产总值增长6%左右，城镇新增就业10万人。", "plan"),
    ("今年赤字率拟按3%安排", "今年赤字率拟按3%安排、比上年提高0.2个百分点。", "plan"),
    ("粮食产量稳定在1.3万亿斤", "2030年粮食产量稳定在1.3万亿斤。", "span"),
    # the review: past years, review wording, or a result measured against the target
    ("国内生产总值比上年增长7.8%", "国内生产总值比上年增长7.8%，虽然略低于8%的预定目标。", "review"),
    ("城镇新增就业980万人", "城镇新增就业980万人，超过预期目标。", "review"),
    ("地区生产总值增长7.1%", "2019年，地区生产总值增长7.1%。", "review"),
    # several years at once: five-year figures, averages, from one year to another
    ("年均增长9.8%", "城镇居民人均可支配收入从30335元提高到48316元，年均增长9.8%。", "span"),
    ("五年城镇新增就业4500万人", "为劳动者创造就业机会，五年城镇新增就业4500万人。", "span"),
    ("比重由2007年的1.4%提高到2012年的1.97%", "研发经费占比重由2007年的1.4%提高到2012年的1.97%。", "span"),
    # a difference from last year is not the level asked for
    ("目标比去年多100万人", "城镇新增就业预期目标比去年多100万人。", "change"),
    # nothing says
    ("服务业比重上升到50.5%", "服务业比重上升到50.5%。", None),
])
def test_stance(clause: str, sentence: str, expected: str | None) -> None:
    assert stance(clause, sentence, 2021 if "2030" not in sentence else 2025) == expected


def test_the_report_year_itself_is_the_plan() -> None:
    assert stance("全省生产总值增长8%", "建议2013年全省生产总值增长8%。", 2013) == "plan"
    assert stance("全省生产总值增长8%", "建议2013年全省生产总值增长8%。", 2014) == "review"
