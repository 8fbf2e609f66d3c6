"""Ranking with a limit reads the sections of only the passages that can still make the cut, and gives
exactly the head of the full ranking: the same passages, scores and order."""

from __future__ import annotations

import pytest

from qa.core.records import Filters
from qa.core.service import QAService
from qa.lang.query import parse_query
from qa.lang.tokens import tokenize
from qa.search.ask import query_vector, scope_for
from qa.search.retrieval import RetrievalConfig, rank_rows

# Phase, year, prior and phrase bonuses all in play: intents, years, places, quoted names and nothing at all.
QUESTIONS = ["2021年GDP增长目标是多少", "去年地区生产总值增长了多少", "萧山2024年要完成哪些任务", "“未来工厂”建了几家",
             "十四五期间研发投入强度目标", "城市大脑", "2020年新增城镇就业", "杭州和萧山2021年经济增长目标"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_limited_ranking_is_the_head_of_the_full_one(fake_service: QAService, question: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    snap = fake_service.snapshot
    matcher = fake_service.matcher
    scope = scope_for(snap, parse_query(question, matcher), Filters(), matcher)
    vector = query_vector(fake_service.encoder, snap, question)
    weights = snap.idf(tokenize(question))
    rows = snap.rows_of(scope.doc_ids) if scope.doc_ids is not None else None
    reads: list[int] = []
    real = type(snap).section_and_head

    def counted(self: object, row: int, *rest: int) -> tuple[str, str]:
        reads.append(row)
        return real(self, row, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(type(snap), "section_and_head", counted)
    full = rank_rows(snap, vector, weights, rows, scope, RetrievalConfig())
    read_all = len(reads)
    for limit in (1, 3, 10):
        reads.clear()
        assert rank_rows(snap, vector, weights, rows, scope, RetrievalConfig(), limit) == full[:limit]
        assert len(reads) <= read_all
    if scope.phase and len(full) > 30:  # bonuses to read, and enough passages that most cannot make the cut
        reads.clear()
        rank_rows(snap, vector, weights, rows, scope, RetrievalConfig(), 3)
        assert len(reads) < read_all / 2, (len(reads), read_all)
