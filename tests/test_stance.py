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
    # a review word or a past year in the clause outweighs a target qualifier
    ("去年城镇调查失业率稳定在5%左右", "去年城镇调查失业率稳定在5%左右，物价保持稳定。", "review"),
    ("2020年粮食产量达到6.7亿吨以上", "2020年粮食产量达到6.7亿吨以上。", "review"),
    # ... but a comparison with last year does not: the qualifier makes it a target, its absence a result
    ("生产总值比上年增长8%左右", "全省生产总值比上年增长8%左右。", "plan"),
    ("生产总值同比增长6.1%", "全省生产总值同比增长6.1%。", "review"),
    ("经济增长6.1%", "经济增长6.1%，高于预期。", "review"),
    # 全年 frames plans as often as results; the base year of a comparison is not a second reported year
    ("全年城镇新增就业1100万人以上", "全年城镇新增就业1100万人以上。", "plan"),
    ("地区生产总值比2010年翻一番", "2020年地区生产总值比2010年翻一番。", "review"),
    # several-year words count in the figure's own clause only
    ("今年经济增长6%左右", "今后要坚持稳中求进，今年经济增长6%左右。", "plan"),
    ("累计减税降费2.6万亿元", "累计减税降费2.6万亿元，其中今年1.2万亿元。", "span"),
    # nothing says
    ("服务业比重上升到50.5%", "服务业比重上升到50.5%。", None),
])
def test_stance(clause: str, sentence: str, expected: str | None) -> None:
    assert stance(clause, sentence, 2021 if "2030" not in sentence else 2025) == expected


def test_the_report_year_itself_is_the_plan() -> None:
    assert stance("全省生产总值增长8%", "建议2013年全省生产总值增长8%。", 2013) == "plan"
    assert stance("全省生产总值增长8%", "建议2013年全省生产总值增长8%。", 2014) == "review"


def test_a_difference_never_fits_as_well_as_a_level() -> None:
    from qa.search.timeline import _Reading

    def reading(said: str | None) -> _Reading:
        return _Reading("城镇新增就业…", "城镇新增就业1100万人", 1.0, True, said)

    assert reading("change").fit(None) == 1 and reading("change").fit("plan") == 1
    assert reading("plan").fit(None) == 2 and reading("plan").fit("plan") == 2 and reading("plan").fit("review") == 0
    assert reading(None).fit("review") == 1 and reading("span").fit(None) == 0
