from qa.index.lexical import LexicalIndex
from qa.lang.synonyms import expand_query
from qa.lang.tokens import tokenize


def test_numbers_and_terms_survive_tokenization() -> None:
    tokens = tokenize("研发经费支出占地区生产总值比重达到3.12%，征集“5213”计划，推进“腾笼换鸟”")
    assert "3.12%" in tokens and "3.12" in tokens and "5213" in tokens
    assert "的" not in tokenize("杭州的经济")


def test_bm25_finds_numbers_and_idioms() -> None:
    texts = [
        "比重达到3.12%；数字经济增长18%以上",
        "征集高层次人才创业创新“5213”计划项目300个",
        "全力推进“腾笼换鸟”，连片腾笼2000亩",
    ]
    index = LexicalIndex.build(texts)
    for query, expected in [("3.12%", 0), ("5213计划", 1), ("腾笼换鸟", 2)]:
        scores = index.scores(query)
        assert int(scores.argmax()) == expected and scores[expected] > 0


def test_query_expansion_uses_report_wording() -> None:
    assert "地区生产总值" in expand_query("杭州GDP增速")
    assert expand_query("完全无关") == "完全无关"
