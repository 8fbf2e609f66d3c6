"""The service contract shared by CLI and API, with the fast fake encoder or no model at all."""

import pytest

from qa.errors import BadRequest, NoMatch, NotFound
from qa.records import Filters, Turn
from qa.service import QAService


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


def test_filters_restrict_results(fake_service: QAService) -> None:
    result = fake_service.ask("研发投入", top_k=10, filters=Filters(regions=("钱塘",)))
    assert result.passages and {p.citation.doc_id for p in result.passages} == {"004_bfa3ef6ae9a59b07"}
    # Filters that select no report are an error naming what is indexed, not a silent empty answer.
    with pytest.raises(NoMatch, match=r"year=1999; indexed regions: 杭州市, 萧山区, 钱塘区; indexed years: 2021, 2024"):
        fake_service.ask("研发投入", filters=Filters(years=(1999,)))
    with pytest.raises(NoMatch, match=r"region=钱塘 and year=2024;"):  # each matches a report, together none
        fake_service.ask("研发投入", filters=Filters(regions=("钱塘",), years=(2024,)))
    assert fake_service.ask("研发投入", filters=Filters(regions=("萧山", "上海"))).passages  # one alternative matches


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
    chunk = fake_service.snapshot.chunks[5]
    data = fake_service.passage(chunk.chunk_id, context=2)
    assert data.passage.chunk_id == chunk.chunk_id
    assert [c.ordinal for c in data.before] == [3, 4]
