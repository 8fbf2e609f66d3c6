"""The answer line: the sentence that answers, scored in the question's own wording."""

from dataclasses import replace

from qa.lang.figures import gives_figure
from qa.search import answer as ans
from qa.search.extract import extract

TARGETS = ("今年发展主要预期目标是：经济增长4.5%—5%，在实际工作中努力争取更好结果；城镇新增就业1200万人以上；"
           "单位国内生产总值二氧化碳排放降低3.8%左右。")


def test_a_sentence_is_scored_in_one_wording_not_all_synonyms_at_once() -> None:
    # The question says 经济增长; its synonyms (国内生产总值, 生产总值) are other wordings, not extra terms.
    asked = {"经济": 1.0, "增长": 1.5, "目标": 1.7}
    synonym = {"国内": 3.1, "生产": 1.8, "总值": 3.0, "生产总值": 3.0, "增长": 1.5, "目标": 1.7}
    everything = {**asked, **synonym}
    target = "今年发展主要预期目标是：经济增长4.5%—5%，在实际工作中努力争取更好结果；"
    picked = extract("国家2026年经济增长目标是多少", [TARGETS], everything, wordings=[asked, synonym])
    assert (0, target) in picked
    # Scored with all the terms at once, only the CO2 clause is picked: the regression this guards against.
    alone = extract("国家2026年经济增长目标是多少", [TARGETS], everything)
    assert [sentence for _, sentence in alone] == ["单位国内生产总值二氧化碳排放降低3.8%左右。"]


def test_a_why_question_gets_the_sentence_that_explains() -> None:
    text = ("2015年全市主要预期目标是：生产总值增长9%左右，一般公共预算收入增长11%。"
            "这里要着重说明一下，提出9%左右的经济增长目标，综合考虑了发展的环境、需要和可能。")
    weights = {"经济": 1.0, "增长": 1.5, "目标": 1.7, "9%": 2.0}
    picked = extract("为什么把2015年经济增长目标定在9%左右", [text], weights, max_sentences=1)
    assert picked == [(0, "这里要着重说明一下，提出9%左右的经济增长目标，综合考虑了发展的环境、需要和可能。")]


def test_a_list_asked_for_comes_with_its_items() -> None:
    text = ("规范小区物业管理，支持老旧住宅加装电梯。办好10件民生实事。一是高质量完成“一圈两场三道”建设任务。"
            "二是新改扩建公办幼儿园30所。三是新改建农村公路1000公里。强化安全生产。")
    weights = {"民生": 2.0, "实事": 2.5, "10": 1.0}
    picked = extract("长沙2019年要办哪10件民生实事", [text], weights)
    assert [sentence for _, sentence in picked] == [
        "办好10件民生实事。", "一是高质量完成“一圈两场三道”建设任务。", "二是新改扩建公办幼儿园30所。",
        "三是新改建农村公路1000公里。"]
    # A question that asks for no list gets no items: "一是…" sentences score on their own words only.
    assert [s for _, s in extract("长沙2019年民生实事办得好不好", [text], weights)] == ["办好10件民生实事。"]


def test_a_heading_asked_for_comes_with_the_sentences_under_it() -> None:
    text = ("（一）“民生建设十大实事”聚民心。提高公交线路覆盖率，改造交通堵点，增加停车泊位2万个。"
            "新建改扩建中小学幼儿园30所。全年城镇新增就业5万人。")
    weights = {"民生": 2.0, "建设": 1.0, "实事": 2.5}
    picked = [s for _, s in extract("乌鲁木齐2019年民生建设十大实事包括哪些", [text], weights)]
    assert picked == ["（一）“民生建设十大实事”聚民心。", "提高公交线路覆盖率，改造交通堵点，增加停车泊位2万个。",
                      "新建改扩建中小学幼儿园30所。"]
    # Not for a question that asks for no list, and not under a long sentence that says more than a heading.
    assert [s for _, s in extract("乌鲁木齐民生实事办得好不好", [text], weights)] == ["（一）“民生建设十大实事”聚民心。"]
    long_first = "（一）“民生建设十大实事”聚民心，各族群众的获得感、幸福感、安全感在这一年里明显增强了很多。" + text[16:]
    assert len([s for _, s in extract("乌鲁木齐2019年民生建设十大实事包括哪些", [long_first], weights)]) == 1


def test_only_enumerated_items_follow_and_only_a_list_question_brings_them() -> None:
    weights = {"就业": 2.0, "措施": 2.5}
    # 五是否…, 2、3季度 and 3．5万 are no items: the list ends before each.
    for tail in ("五是否定了旧办法。", "2、3季度岗位回落。", "3．5万人转岗。"):
        text = f"采取三项就业措施。一是扩大岗位。{tail}二是稳定岗位。"
        picked = [s for _, s in extract("萧山采取了哪些就业措施", [text], weights)]
        assert picked == ["采取三项就业措施。", "一是扩大岗位。"], tail
    text = "采取三项就业措施。一是扩大岗位。2、3季度就业回落。3．5万人实现再就业。"
    one = [s for _, s in extract("萧山哪一年的就业最好", [text], weights)]
    assert "一是扩大岗位。" not in one  # 哪一年 asks for one thing, not a list


def test_a_figure_asked_for_puts_a_sentence_with_a_number_in_the_answer() -> None:
    text = ("确保减税降费落实到位。减税降费直击当前市场主体的痛点和难点，是既公平又有效率的政策。"
            "全年减轻企业税收和社保缴费负担近2万亿元。这会给各级财政带来很大压力。")
    # The two sentences about 减税降费 score 0.6; the one with the figure 0.25 + the number bonus, under the 0.7 of
    # the best that other sentences must reach, and over the half that a sentence with a figure must.
    weights = {"减税降费": 12.0, "全年": 2.5, "企业": 2.5, "减负": 3.0}
    picked = [sentence for _, sentence in extract("国务院2019年减税降费全年要给企业减负多少", [text], weights)]
    assert "全年减轻企业税收和社保缴费负担近2万亿元。" in picked
    assert picked[0] == "确保减税降费落实到位。"  # in reading order, after the sentences that scored best


def test_a_town_no_passage_names_is_not_answered_from_its_county() -> None:
    ev = ans.Evidence(1.0, 1.0, 1.0, 0.05, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, missing_town="瓜沥镇")
    verdict = ans.decide("瓜沥镇2020年工业总产值多少", ["工业总产值突破2900亿元。"], {"工业总产值": 3.0}, ev)
    assert not verdict.answerable and ev.decided
    assert verdict.reason == "没有找到瓜沥镇的政府工作报告，检索到的报告中也没有提到它"


def test_a_figure_in_words_is_a_number() -> None:
    # Reports of the 1990s write percentages in words: "定为百分之八至九" gives the figure a 多少 question asks.
    assert ans.number_found("经济增长的宏观调控目标，定为百分之八至九。", {"经济增长": 1.0}) == 1.0
    assert ans.number_found("经济增长要保持合理区间。", {"经济增长": 1.0}) == 0.0


def test_an_amount_in_words_is_a_figure() -> None:
    # The reports of the 1950s-80s write their amounts in words.
    for figure in ("一九五八年计划粮食产量三千九百二十亿斤", "招收研究生二万人", "增长四点五倍", "一亿吨石油",
                   "财政赤字三十亿元左右", "九百六十万平方公里", "二十条措施", "三种模式", "新增就业三十多万人",
                   "三千余人", "生猪三亿头", "装机2000MW", "GDP6.5%"):
        assert gives_figure(figure), figure
    # Words made with digit words give none: a single digit word before a measure, a year, an ordinal.
    for none in ("实现“二次创业”", "城乡二元结构", "三台县", "粉碎“四人帮”", "依靠亿万人民", "千万不能松懈",
                 "一九八五年招收的研究生", "第三次全国人口普查", "三次产业协调发展", "一人一票", "党的十八大以来",
                 "八一大道", "千家万户", "以百倍的信心", "第三十二条", "100G网络", "3.5GHz"):
        assert not gives_figure(none), none


def test_a_date_or_an_item_number_is_no_figure() -> None:
    for figure in ("经济增长4.5%—5%", "派出318名医务工作者", "国民生产总值增长百分之六", "建设十大工程", "3.5万亿元",
                   "一百个项目"):
        assert gives_figure(figure), figure
    for none in ("经济增长目标同2035年远景目标总体衔接", "2021年1月5日在杭州", "3.全力推进“腾笼换鸟”", "到2025年",
                 "力争经济总量再上一个新台阶", "努力实现PM2.5和臭氧浓度“双控双减”", "推进5G建设", "G20杭州峰会"):
        assert not gives_figure(none), none
    # The target sentence with no figure scores the question's terms best; the number bonus goes to the one that
    # gives the figure, so a 多少 question is answered with it.
    text = "经济增长目标同2035年远景目标总体衔接。全区经济增长12%。"
    weights = {"经济": 1.0, "增长": 1.0, "目标": 2.0}
    picked = [sentence for _, sentence in extract("内蒙古2013年经济增长目标是多少", [text], weights)]
    assert picked == ["经济增长目标同2035年远景目标总体衔接。", "全区经济增长12%。"], picked


def test_a_sentence_about_other_years_only_yields_to_one_about_the_asked_year() -> None:
    # A newest report quoted beside an old one ("成都最新的GDP目标"): the old target names only its own year.
    texts = ["今年全市经济社会发展的主要预期目标是：地区生产总值增长5.5%左右。",
             "2017年经济社会发展的主要预期目标是：地区生产总值增长7.5%左右。"]
    weights = {"地区生产总值": 3.0, "目标": 1.0}
    assert len(extract("成都最新的GDP目标是多少", texts, weights)) == 2  # without years, both
    picked = extract("成都最新的GDP目标是多少", texts, weights, years=[2026])
    assert picked == [(0, "今年全市经济社会发展的主要预期目标是：地区生产总值增长5.5%左右。")], picked
    # A sentence naming the asked year among others keeps its score.
    span = ["地区生产总值从2020年的2.83万亿元提高到2025年的3.87万亿元。"]
    assert extract("深圳2025年GDP多少", span, {"地区生产总值": 3.0}, years=[2025]) == [(0, span[0])]


def test_a_question_naming_two_reports_is_answered_from_each() -> None:
    zhejiang = "全省地区生产总值增长6%左右，一般公共预算收入增长6%。全面推进共同富裕示范区建设，地区生产总值目标明确。"
    jiangsu = "全省经济增长目标为5%以上。"
    weights = {"地区生产总值": 3.0, "增长": 1.0, "目标": 1.0}
    texts = [zhejiang, "全省地区生产总值增长6.5%。", jiangsu]
    alone = [p for p, _ in extract("浙江和江苏2023年GDP增长目标分别是多少", texts, weights)]
    assert 2 not in alone  # scored alone, 江苏's sentence falls under 0.7 of 浙江's best: the regression
    both = extract("浙江和江苏2023年GDP增长目标分别是多少", texts, weights, groups=[0, 0, 1])
    assert (2, "全省经济增长目标为5%以上。") in both and any(p == 0 for p, _ in both), both


def test_a_question_about_a_missed_target_gets_the_sentence_that_says_what_fell_short() -> None:
    done = "财政收入指标完成286.7亿元。就业指标完成32万人。投资指标完成增长10%。"
    review = "除进出口总额下降37.3%以外，主要指标完成了省人大确定的任务。"
    weights = {"指标": 3.7, "没": 8.2, "完成": 1.6}
    missed = [s for _, s in extract("甘肃2009年哪个主要指标没完成", [done, review], weights)]
    assert missed[-1] == review, missed
    # Asked what was done, the three sentences of the first passage outrank it.
    assert review not in [s for _, s in extract("甘肃2009年主要指标完成了吗", [done, review], weights)]


def _evidence(**changes: object) -> ans.Evidence:
    base = ans.Evidence(coverage=0.4, sentence_coverage=0.4, rare_term=0.0, dense_margin=0.0, lexical_share=0.3,
                        number_question=1.0, number_found=0.0, list_question=0.0, scoped=1.0, preferred_missing=0.0)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_noun_no_report_uses_is_named_in_the_reason() -> None:
    strict = ans.Model(tuple(0.0 for _ in ans.FEATURES), -5.0, 0.5)  # declines whatever the signals say
    texts = ["2020年，全市实现地区生产总值16106亿元。"]
    verdict = ans.decide("杭州2020年电影院票房有多少", texts, {"票房": 5.0}, _evidence(unseen=("电影院", "票房")), strict)
    assert not verdict.answerable
    assert verdict.reason == "报告中没有提到“电影院”、“票房”"
    assert verdict.text == "报告中没有找到相关内容。报告中没有提到“电影院”、“票房”；下面是最接近的段落。"
    plain = ans.decide("杭州2020年电影院票房有多少", texts, {"票房": 5.0}, _evidence(), strict)
    assert plain.reason == "报告中没有提到这一数字"



def test_nouns_said_together_in_the_question_order() -> None:
    nouns = ["人均", "住房", "面积"]
    assert ans.adjacency(nouns, "城镇居民人均住房面积达到41平方米。") == 1.0
    # every noun somewhere, none of them together: the figure is about something else
    assert ans.adjacency(nouns, "人均预期寿命83岁，新建住房5万套，绿地面积增加200万平方米。") == 0.0
    assert ans.adjacency(nouns, "人均住房建筑面积41平方米。") == 1.0  # at most 2 characters between
    assert ans.adjacency(nouns, "人均住房和公共建筑总面积。") == 0.5  # 面积 too far after 住房
    assert ans.adjacency(["票房"], "电影票房增长") == 1.0 and ans.adjacency(["票房"], "住房") == 0.0
    assert ans.adjacency([], "任何句子") == 1.0


def test_a_year_written_in_characters_is_a_year_said() -> None:
    # Reports of the 1950s write their years in characters: the 1958 plan yields to the 1957 figure asked for.
    texts = ["一九五八年工业总产值计划达到六百四十三亿七千万元。一九五七年工业总产值预计达到六百二十八亿一千万元。"]
    picked = extract("1957年全国工业总产值是多少", texts, {"工业": 1.0, "总产值": 3.0}, years=[1957], max_sentences=1)
    assert picked == [(0, "一九五七年工业总产值预计达到六百二十八亿一千万元。")], picked
