"""The service contract shared by CLI and API, with the fast fake encoder or no model at all."""

from dataclasses import replace

import numpy as np
import pytest

from qa.core.errors import BadRequest, NoMatch, NotFound
from qa.core.records import Citation, Filters, Passage, Turn
from qa.core.service import QAService
from qa.search.ask import run, with_absent
from qa.search.retrieval import RetrievalConfig
from qa.search.signals import named_where_answered, nouns_with_figure, year_said


def test_answer_shape_and_citations(fake_service: QAService) -> None:
    result = fake_service.ask("萧山2023年财政总收入多少", top_k=3)
    assert result.retrieval == "hybrid" and len(result.passages) == 3
    assert [p.rank for p in result.passages] == [1, 2, 3]
    for p in result.passages:
        cite = p.citation
        doc = fake_service.document(cite.doc_id)
        assert "".join(p.text.split()) == "".join(doc.text[cite.start:cite.end].replace("*", "").split())


def test_region_and_year_prefer_the_right_report(fake_service: QAService) -> None:
    top = fake_service.ask("萧山2023年财政总收入多少").passages[0]
    assert top.citation.doc_id == "002_41568aa1710098f8" and "567亿元" in top.text


def test_full_width_digits_and_letters_read_as_ascii(fake_service: QAService) -> None:
    typed = fake_service.ask("萧山２０２３年财政总收入多少，ＧＤＰ呢")
    plain = fake_service.ask("萧山2023年财政总收入多少，GDP呢")
    assert typed.question == plain.question == "萧山2023年财政总收入多少，GDP呢"
    assert [p.chunk_id for p in typed.passages] == [p.chunk_id for p in plain.passages]
    assert typed.passages[0].citation.doc_id == "002_41568aa1710098f8"


@pytest.mark.parametrize("spelling", ["萧山二〇二三年财政总收入多少", "萧山23年财政总收入多少", "蕭山2023年財政總收入多少"])
def test_a_year_spelled_another_way_finds_the_same_passages(fake_service: QAService, spelling: str) -> None:
    plain = fake_service.ask("萧山2023年财政总收入多少")
    other = fake_service.ask(spelling)
    assert [(p.chunk_id, p.score) for p in other.passages] == [(p.chunk_id, p.score) for p in plain.passages]
    assert other.answer == plain.answer and other.passages[0].citation.doc_id == "002_41568aa1710098f8"


def test_filters_restrict_results(fake_service: QAService) -> None:
    result = fake_service.ask("研发投入", top_k=10, filters=Filters(regions=("钱塘",)))
    assert result.passages and {p.citation.doc_id for p in result.passages} == {"004_bfa3ef6ae9a59b07"}
    # Filters that select no report are an error naming what is indexed, not a silent empty answer.
    with pytest.raises(NoMatch, match="years=1999.*indexed: .*萧山区 2021, 2024"):
        fake_service.ask("研发投入", filters=Filters(years=(1999,)))
    with pytest.raises(NoMatch, match=r"regions=钱塘; years=2024\)"):  # each matches a report, together none
        fake_service.ask("研发投入", filters=Filters(regions=("钱塘",), years=(2024,)))
    assert fake_service.ask("研发投入", filters=Filters(regions=("萧山", "上海"))).passages  # one alternative matches
    traditional = fake_service.ask("研发投入", top_k=10, filters=Filters(regions=("錢塘",)))  # 錢塘: 钱塘, traditional
    assert [p.chunk_id for p in traditional.passages] == [p.chunk_id for p in result.passages]


def test_unknown_place_is_unanswerable(fake_service: QAService) -> None:
    result = fake_service.ask("上海2020年GDP增长了多少")
    assert not result.answerable and "上海市" in result.answer


def test_follow_up_is_rewritten_from_history(fake_service: QAService) -> None:
    result = fake_service.ask("那萧山呢？", history=[Turn("杭州2020年新增多少家国家高新技术企业", "2440家")])
    assert result.rewritten_question and result.rewritten_question.startswith("萧山2020年")
    assert result.passages[0].citation.doc_id.startswith("000_")


@pytest.mark.parametrize("question", ["", "   ", "问" * 1001, 42])
def test_bad_questions_are_clear_errors(fake_service: QAService, question) -> None:
    with pytest.raises(BadRequest):
        fake_service.ask(question)


def test_unknown_ids(fake_service: QAService) -> None:
    with pytest.raises(NotFound):
        fake_service.document("nope")
    with pytest.raises(NotFound):
        fake_service.passage("nope")


def test_lexical_mode_says_so_and_still_answers(lexical_service: QAService) -> None:
    result = lexical_service.ask("腾笼换鸟")
    assert result.retrieval == "lexical" and result.warnings and "REPORTQA_MODEL" in result.warnings[0]
    assert result.passages and all("腾笼换鸟" in p.text for p in result.passages[:2])
    health = lexical_service.health()
    assert health.retrieval == "lexical" and health.warning and "REPORTQA_MODEL" in health.warning


def test_passage_with_context(fake_service: QAService) -> None:
    chunk = fake_service.snapshot.chunk(5)
    data = fake_service.passage(chunk.chunk_id, context=2)
    assert data.passage.chunk_id == chunk.chunk_id
    assert [c.ordinal for c in data.before] == [3, 4]


def test_a_place_with_no_report_is_named_with_what_is_indexed(fake_service: QAService) -> None:
    result = fake_service.ask("上海2020年GDP增长了多少")
    assert not result.answerable and result.confidence < 0.1
    assert result.reason and "上海市" in result.reason and "萧山区 2021, 2024" in result.reason
    assert result.answer.startswith("报告中没有找到相关内容") and result.passages  # still shows what is closest


def test_a_year_with_no_report_says_which_years_exist(fake_service: QAService) -> None:
    result = fake_service.ask("萧山2030年GDP增长了多少")
    assert not result.answerable
    assert result.reason == "没有萧山区2030年的政府工作报告（已索引：萧山区 2021, 2024）"


def test_a_year_with_no_report_is_answered_where_a_later_report_gives_that_year_s_figure(
        fake_service: QAService) -> None:
    # 钱塘区 has only its 2021 report, which says "地区生产总值、工业总产值2019年分别突破1100亿元、2900亿元".
    said = fake_service.ask("钱塘新区2019年GDP和工业总产值分别多少")
    assert said.answerable and "1100亿元" in said.answer and "2900亿元" in said.answer
    # It names 2017 nowhere: still no report for that year.
    unsaid = fake_service.ask("钱塘区2017年GDP和工业总产值分别多少")
    assert not unsaid.answerable and unsaid.reason == "没有钱塘区2017年的政府工作报告（已索引：钱塘区 2021）"


def test_a_plan_horizon_is_looked_for_in_the_reports_before_it(fake_service: QAService) -> None:
    # 2030 is years ahead: a target for it can only be in an earlier report, and these never name 2030.
    result = fake_service.ask("萧山2030年GDP增长目标是多少")
    assert not result.answerable and result.passages
    assert result.reason == "报告中没有提到萧山区2030年的目标（已索引：萧山区 2021, 2024）"
    # 到2025年 is a horizon too: the 钱塘区 2021 report sets 2025 targets; no report of 2025 is needed.
    found = fake_service.ask("钱塘区到2025年地区生产总值要达到多少")
    assert found.reason is None or "政府工作报告" not in found.reason
    assert found.passages[0].citation.doc_id == "004_bfa3ef6ae9a59b07"


def test_answers_carry_a_confidence(fake_service: QAService) -> None:
    result = fake_service.ask("萧山2023年财政总收入多少")
    assert result.answerable and 0.0 < result.confidence <= 1.0 and result.reason is None
    assert "[1]" in result.answer or "[2]" in result.answer


def test_level_and_year_range_filters(fake_service: QAService) -> None:
    districts = fake_service.ask("数字经济", top_k=20, filters=Filters(levels=("district",)))
    assert {p.citation.doc_id for p in districts.passages} <= {"000_aaa038b905557ba9", "002_41568aa1710098f8",
                                                               "004_bfa3ef6ae9a59b07"}
    recent = fake_service.ask("数字经济", top_k=20, filters=Filters(year_from=2022))
    assert {p.citation.doc_id for p in recent.passages} == {"002_41568aa1710098f8"}
    inside = fake_service.documents(Filters(regions=("杭州市",), include_subregions=True))
    assert len(inside) == 4
    with pytest.raises(NoMatch, match="levels=province"):
        fake_service.documents(Filters(levels=("province",)))


def test_timeline_gives_one_cited_sentence_per_report_year(fake_service: QAService) -> None:
    result = fake_service.timeline("萧山历年研发投入强度目标")
    assert result.region == "萧山区" and result.years == (2021, 2024)
    assert [e.year for e in result.entries] == [2021, 2024]
    for entry in result.entries:
        cite = entry.passage.citation
        assert cite.doc_id in ("000_aaa038b905557ba9", "002_41568aa1710098f8")
        assert entry.sentence.replace("\n", "") in entry.passage.text.replace("\n", "")
        assert all(f.text in entry.sentence for f in entry.figures)
    assert any(f.unit == "%" for e in result.entries for f in e.figures)


def test_a_place_without_reports_is_looked_for_in_its_ancestors_reports(fake_service: QAService) -> None:
    # 临安区 has no report here; 杭州市's 2021 report names its 天目窑 excavation.
    found = fake_service.ask("临安天目窑考古发掘怎么安排")
    assert any("临安天目窑" in p.text and p.citation.doc_id == "001_9ecc862bbb333f7d" for p in found.passages[:3])
    # No ancestor report names 余杭区's figures: an honest refusal naming both places.
    missing = fake_service.ask("余杭区2021年规上工业增加值要增长多少")
    assert not missing.answerable
    assert missing.reason == "没有找到余杭区的政府工作报告，杭州市的报告中也没有提到它", missing.reason


def test_a_town_is_answered_only_from_passages_that_name_it(fake_service: QAService) -> None:
    # 瓜沥镇 has no report, and no seed report names it: no 萧山区 figure stands in for the town's.
    town = fake_service.ask("瓜沥镇2020年工业总产值多少")
    assert not town.answerable and town.passages
    assert town.reason == "没有找到瓜沥镇的政府工作报告，检索到的报告中也没有提到它", town.reason
    # The same question of 萧山 itself is no hard "not found" (the fake encoder leaves the rest to the model).
    county = fake_service.ask("萧山2019年工业总产值多少")
    assert not (county.reason or "").startswith("没有找到"), county.reason


def test_a_place_named_in_a_sentence_that_says_nothing_asked_is_not_named_where_answered() -> None:
    def shown(text: str) -> Passage:
        return Passage(1, 1.0, text, "c1", Citation("d", "t", "s", "二、2024年主要任务", 0, len(text), None, None))

    terms = {"浦东": 9.0, "经济": 1.0, "增长": 1.5, "目标": 1.7}
    # The passage's best sentence for the question names no growth target: 浦东 is named, but not where answered.
    aside = shown("全面推进浦东引领区建设。瞄准具备率先突破条件的关键领域，推出更多实质性举措。")
    assert not named_where_answered("浦东", terms, [aside])
    said = shown("全面推进浦东引领区建设。浦东经济增长目标为6%左右。")
    assert named_where_answered("浦东", terms, [said])


def test_a_plan_horizon_is_not_answered_from_one_year_s_targets(fake_service: QAService) -> None:
    # 钱塘区's 2021 report gives both its 2021 targets and its targets for 2025 (十四五's last year).
    def scores(config: RetrievalConfig) -> dict[str, float]:
        before, fake_service.config = fake_service.config, config
        try:
            found = fake_service.ask("钱塘区到2025年GDP要达到多少", top_k=10)
        finally:
            fake_service.config = before
        return {p.citation.section: p.score for p in found.passages}

    with_rule, without = scores(RetrievalConfig()), scores(RetrievalConfig(horizon_weight=0.0))
    one_year = "2021年全区经济社会发展主要预期目标"
    assert without[one_year] - with_rule[one_year] == pytest.approx(RetrievalConfig().horizon_weight, abs=1e-6)
    assert with_rule["主要目标和关键性指标"] == pytest.approx(without["主要目标和关键性指标"], abs=1e-6)


def test_relative_years_count_from_as_of(fake_service: QAService) -> None:
    # A reader of the 2021 report asks "今年" as of 2021; one reading the 2024 report, as of 2024.
    question = "萧山今年GDP增长目标是多少"
    assert fake_service.ask(question, as_of=2021).passages[0].citation.doc_id == "000_aaa038b905557ba9"
    assert fake_service.ask(question, as_of=2024).passages[0].citation.doc_id == "002_41568aa1710098f8"
    assert fake_service.ask("萧山去年GDP增长了多少", as_of=2025).passages[0].citation.doc_id == "002_41568aa1710098f8"


@pytest.mark.parametrize("as_of", [1800, 2500, True, "2021"])
def test_as_of_must_be_a_year(fake_service: QAService, as_of: object) -> None:
    with pytest.raises(BadRequest, match="as_of"):
        fake_service.ask("萧山今年GDP增长目标是多少", as_of=as_of)  # type: ignore[arg-type]


def test_a_quoted_name_is_found_verbatim(fake_service: QAService, tmp_path) -> None:
    # A report that says the question's other words, but never the quoted programme itself.
    other = tmp_path / "2021_other_city.txt"
    other.write_text("2021年某市政府工作报告\n全力提速交通大会战，交通大会战项目全面提速。\n", encoding="utf-8")
    fake_service.index_paths([other])
    fake_service.embed_pending()
    question = "“22688”交通大会战要提速了吗"

    def scores(weight: float) -> dict[bool, float]:
        fake_service.config = replace(fake_service.config, phrase_weight=weight)
        found = fake_service.ask(question, top_k=20).passages
        return {says: next(p.score for p in found if ("22688" in p.text) == says) for says in (True, False)}

    without, with_bonus = scores(0.0), scores(RetrievalConfig().phrase_weight)
    assert with_bonus[True] - without[True] == pytest.approx(RetrievalConfig().phrase_weight, abs=1e-5)
    assert with_bonus[False] == pytest.approx(without[False], abs=1e-6)


def test_a_report_deleted_and_uploaded_again_keeps_its_vectors(fake_service: QAService) -> None:
    data = (fake_service.settings.seeds_dir / "001_9ecc862bbb333f7d.txt").read_bytes()
    total = fake_service.snapshot.alive_rows
    fake_service.delete_document("001_9ecc862bbb333f7d")
    again = fake_service.add_document("001_9ecc862bbb333f7d.txt", data)
    assert again.doc_id == "001_9ecc862bbb333f7d"
    # Vectors are kept by content: nothing is left to embed, and retrieval is hybrid again at once.
    assert fake_service.snapshot.alive_rows == total and fake_service.snapshot.embedded == total
    assert fake_service.embed_pending() == 0 and fake_service.health().retrieval == "hybrid"


def test_a_noun_no_report_uses_counts_as_missing_in_coverage(fake_service: QAService) -> None:
    # 最低工资 is in no seed report. Dropped for its zero idf, it left 标准 as the whole question, and any passage
    # that says 标准 covered it fully; counted at the idf of a term no passage has, it is the rarest and missing.
    snap = fake_service.snapshot
    found = run(snap, fake_service.encoder, fake_service.matcher, "萧山2024年最低工资标准是多少", 5, Filters(), (),
                fake_service.config)
    assert found.evidence.unseen == ("最低工资",)
    assert found.evidence.coverage < 0.6 and found.evidence.rare_term == 0.0  # it was 1.0 and 1.0
    known = fake_service.ask("萧山2024年财政总收入是多少")
    assert known.answerable  # a question whose nouns the reports use is untouched


def test_absent_terms_join_the_weights_at_the_idf_of_a_term_no_passage_has(fake_service: QAService) -> None:
    snap = fake_service.snapshot
    indexed = snap.idf(["萧山", "财政", "标准", "腾笼换鸟"])
    assert snap.absent_idf > max(indexed.values()) > 0
    assert with_absent({"标准": 2.0}, ["最低工资", "标准"], 9.0) == {"标准": 2.0, "最低工资": 9.0}


def test_nouns_with_figure_is_the_share_of_the_question_said_in_one_sentence_that_gives_a_figure() -> None:
    idf = {"入境": 4.0, "游客": 2.0}.__getitem__
    visitors = "全年接待国内外游客9579.7万人次，旅游总收入增长12%。"
    assert nouns_with_figure([["入境", "游客"]], [visitors], True, idf) == pytest.approx(2.0 / 6.0)
    inbound = ["入境游客持续增长。", "接待入境游客110万人次。"]
    assert nouns_with_figure([["入境", "游客"]], [visitors, *inbound], True, idf) == 1.0
    # A 多少 question counts only sentences that give a figure; a 哪些 question counts any sentence.
    assert nouns_with_figure([["入境", "游客"]], inbound[:1], True, idf) == 0.0
    assert nouns_with_figure([["入境", "游客"]], inbound[:1], False, idf) == 1.0
    assert nouns_with_figure([[]], [visitors], True, idf) == 1.0  # no noun asked: nothing is missing


def test_a_horizon_a_later_report_reviews_is_not_refused_for_going_unnamed(fake_service: QAService) -> None:
    # The 钱塘区 2021 report looks back on 2020: "到2020年" may ask what was reached, which a review says without
    # naming the year. 2030 no indexed report has looked back on, so a passage must name it (the test above).
    reviewed = fake_service.ask("钱塘区到2020年地区生产总值达到多少")
    assert reviewed.reason is None or "的目标" not in reviewed.reason
    assert fake_service.ask("钱塘区到2030年地区生产总值要达到多少").reason == (
        "报告中没有提到钱塘区2030年的目标（已索引：钱塘区 2021）")


def test_an_encoder_without_a_background_start_encodes_at_once() -> None:
    from embeddings.encoder import start_query

    from .conftest import FakeEncoder

    encoder = FakeEncoder()
    pending = start_query(encoder, "萧山财政总收入")
    assert np.array_equal(pending(), encoder.encode_queries(["萧山财政总收入"])[0])


def test_a_year_fixed_by_as_of_has_to_have_its_report(fake_service: QAService) -> None:
    # Asked as of 2023, 去年 is 2022, and no 杭州 report reviews it. Asked as of today, 去年 is soft: the newest
    # report's own 去年 is read instead of nothing.
    fixed = fake_service.ask("杭州去年新增了几家上市公司", as_of=2023)
    assert not fixed.answerable
    assert fixed.reason == "没有杭州市2022年的政府工作报告（已索引：杭州市 2021）"
    soft = fake_service.ask("杭州去年新增了几家上市公司")
    assert soft.passages[0].citation.doc_id == "001_9ecc862bbb333f7d"
    assert soft.reason is None or "没有杭州市" not in soft.reason


@pytest.mark.parametrize(("question", "doc_id"), [
    ("萧山2024年新增城镇就业多少人", "002_41568aa1710098f8"),
    ("钱塘区新建了多少所学校", "004_bfa3ef6ae9a59b07"),
])
def test_the_figure_re_rank_keeps_the_named_place_first(lexical_service: QAService, question: str, doc_id: str) -> None:
    # A narrow scope's few passages are followed by others from the whole index; the re-rank by the clause
    # giving a figure must not lift 杭州's "城镇新增就业25万人" above 萧山's own passages.
    found = lexical_service.ask(question, top_k=5)
    ids = [p.citation.doc_id for p in found.passages]
    assert ids[0] == doc_id, ids
    first_other = next((i for i, d in enumerate(ids) if d != doc_id), len(ids))
    assert all(d != doc_id for d in ids[first_other:]), ids


@pytest.mark.parametrize(("sentence", "said"), [
    ("地区生产总值、工业总产值2019年分别突破1100亿元、2900亿元", True),
    ("2019年的地区生产总值达到1100亿元", True),
    # A horizon, a start, a comparison's base: not that year's figure.
    ("力争到2019年地区生产总值突破1100亿元", False),
    ("2019年以来地区生产总值年均增长8%", False),
    ("地区生产总值是2019年的1.7倍，达到1900亿元", False),
    ("地区生产总值比2019年增长8%，达到1300亿元", False),
])
def test_a_year_is_said_only_as_the_year_of_the_figure(sentence: str, said: bool) -> None:
    terms = {"地区生产总值": 3.0}
    assert year_said([2019], terms, [[sentence]], True) is said


def test_bm25_scores_while_the_query_vector_is_still_being_computed(fake_service: QAService,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The vector is asked for only once BM25 has scored, so the encoder's threads run beside BM25; the ranking is
    # the one a vector in hand gives.
    from qa.index.snapshot import Snapshot
    from qa.lang.tokens import tokenize
    from qa.search.retrieval import retrieve
    from qa.search.scope import Scope

    snap = fake_service.snapshot
    assert fake_service.encoder is not None
    question = "萧山财政总收入增长多少"
    vector = fake_service.encoder.encode_queries([question])[0]
    weights = snap.idf(tokenize(question))
    in_hand = retrieve(snap, vector, weights, Scope(None), 5)
    events: list[str] = []
    lexical = Snapshot.lexical
    monkeypatch.setattr(Snapshot, "lexical", lambda self, *args: (events.append("bm25"), lexical(self, *args))[1])

    def pending() -> np.ndarray:
        events.append("vector")
        return vector

    hits = retrieve(snap, pending, weights, Scope(None), 5)
    assert events == ["bm25", "vector"]
    assert [(h.row, h.score) for h in hits] == [(h.row, h.score) for h in in_hand] and hits
