"""A number question's passages re-ranked by the clause that says the question and gives a figure (or a rank)."""

from qa.lang.ranks import gives_rank
from qa.search.figure_clause import figure_clause_cover, rerank, wants_figure, wants_rank
from qa.search.retrieval import Hit

TALKED = "经济增长目标同2035年远景目标总体衔接，与我国经济长期增长潜力基本吻合。"
GIVEN = "今年发展主要预期目标是：经济增长4.5%—5%，在实际工作中努力争取更好结果。"
WORDING = {"经济": 1.0, "增长": 1.0, "目标": 2.0}


def test_the_clause_that_gives_a_figure_is_the_one_that_counts() -> None:
    assert figure_clause_cover(TALKED, [WORDING]) == 0.0  # 2035年 is a date, not a figure
    assert figure_clause_cover(GIVEN, [WORDING]) == 1.0  # "…预期目标是：经济增长4.5%—5%" says all of it
    # A clause without a figure says nothing: the second clause of GIVEN has 实际 but no number.
    assert figure_clause_cover(GIVEN, [{"实际": 1.0}]) == 0.0
    # The best of the question's wordings counts.
    assert figure_clause_cover(GIVEN, [{"生产总值": 1.0}]) == 0.0
    assert figure_clause_cover(GIVEN, [{"生产总值": 1.0}, WORDING]) == 1.0


def test_the_passage_giving_the_figure_moves_up() -> None:
    texts = {1: TALKED, 2: GIVEN, 3: "其他。"}
    hits = [Hit(1, 0.0500, 0.8, 10.0), Hit(2, 0.0498, 0.8, 9.0), Hit(3, 0.0400, 0.7, 5.0)]
    ranked = rerank(hits, texts.__getitem__, [WORDING], weight=0.01, depth=10)
    assert [h.row for h in ranked] == [2, 1, 3]
    assert abs(ranked[0].score - (0.0498 + 0.01)) < 1e-12
    # Only the first `depth` are re-ranked; the rest keep their order and score.
    assert rerank(hits, texts.__getitem__, [WORDING], weight=0.01, depth=1) == hits


def test_named_reports_keep_their_places_and_the_shown_scores_stay_in_order() -> None:
    # Two named reports alternate (rows 1, 3, 5 answer for report 0; rows 2, 4, 6 for report 1). Report 0's later
    # passages give the figure; they move up within report 0's places, never into report 1's.
    texts = {1: TALKED, 2: GIVEN, 3: GIVEN, 4: TALKED, 5: GIVEN, 6: GIVEN}
    hits = [Hit(row, 0.05 - row * 0.001, None, 1.0) for row in range(1, 7)]
    group = {row: (row + 1) % 2 for row in range(1, 7)}.__getitem__
    ranked = rerank(hits, texts.__getitem__, [WORDING], weight=0.01, depth=10, group_of=group)
    assert [group(h.row) for h in ranked] == [0, 1, 0, 1, 0, 1]
    assert [h.row for h in ranked] == [3, 2, 5, 6, 1, 4]
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:], strict=False))
    free = rerank(hits, texts.__getitem__, [WORDING], weight=0.01, depth=10)
    assert [h.row for h in free] == [2, 3, 5, 6, 1, 4]


def test_only_a_figure_asked_for_and_no_reason_re_ranks() -> None:
    assert wants_figure("国家2026年经济增长目标是多少")
    assert not wants_figure("2008年国家为什么把CPI目标定在4.8%左右")
    assert not wants_figure("萧山2021年有哪些重点项目")
    assert not wants_figure("广西23年北部湾港吞吐量增速全国排第几")  # an ordinal is asked


def test_a_rank_question_re_ranks_by_the_clause_that_gives_a_rank() -> None:
    assert wants_rank("广西23年北部湾港吞吐量增速全国排第几")
    assert not wants_rank("萧山2021年有哪些重点项目")
    figure = "营商环境持续优化，新增市场主体24.6万户。"
    ranked_text = "营商环境综合评价居全国第五。"
    wording = {"营商": 2.0, "环境": 1.0, "全国": 1.0}
    assert figure_clause_cover(ranked_text, [wording], gives_rank) == 1.0
    assert figure_clause_cover(figure, [wording], gives_rank) == 0.0  # a figure is no rank
    texts = {1: figure, 2: ranked_text}
    hits = [Hit(1, 0.0500, 0.8, 10.0), Hit(2, 0.0495, 0.8, 9.0)]
    assert [h.row for h in rerank(hits, texts.__getitem__, [wording], 0.01, 10, gives=gives_rank)] == [2, 1]
    assert [h.row for h in rerank(hits, texts.__getitem__, [wording], 0.01, 10)] == [1, 2]
