"""Tokens and BM25 postings: numbers and idioms survive, scores match the BM25 formula."""

import math

import numpy as np

from qa.index.postings import K1, B, Postings
from qa.lang.synonyms import expand_query, variants
from qa.lang.tokens import tokenize

from .conftest import REPO

TEXTS = [
    "比重达到3.12%；数字经济增长18%以上",
    "征集高层次人才创业创新“5213”计划项目300个",
    "全力推进“腾笼换鸟”，连片腾笼2000亩",
]


def test_numbers_and_terms_survive_tokenization() -> None:
    tokens = tokenize("研发经费支出占地区生产总值比重达到3.12%，征集“5213”计划，推进“腾笼换鸟”")
    assert "3.12%" in tokens and "3.12" in tokens and "5213" in tokens
    assert "的" not in tokenize("杭州的经济")


def _idf(postings: Postings, terms: list[str]) -> dict[str, float]:
    n = len(postings.doclen)
    return {t: math.log(1 + (n - len(postings.posting(t)[0]) + 0.5) / (len(postings.posting(t)[0]) + 0.5)) for t in terms}


def test_bm25_finds_numbers_and_idioms() -> None:
    postings = Postings.build([tokenize(t) for t in TEXTS])
    avgdl = float(postings.doclen.mean())
    for query, expected in [("3.12%", 0), ("5213计划", 1), ("腾笼换鸟", 2)]:
        scores = postings.scores(_idf(postings, tokenize(query)), avgdl)
        assert int(scores.argmax()) == expected and scores[expected] > 0


def test_scores_follow_the_bm25_formula_and_subsets_agree() -> None:
    docs = [tokenize(t) for t in TEXTS] + [["经济", "经济", "增长"], ["增长"]]
    postings = Postings.build(docs)
    avgdl = float(np.mean([len(d) for d in docs]))
    weights = {"经济": 1.3, "增长": 0.4}
    scores = postings.scores(weights, avgdl)
    for row, tokens in enumerate(docs):
        expected = sum(w * tokens.count(t) * (K1 + 1) / (tokens.count(t) + K1 * (1 - B + B * len(tokens) / avgdl))
                       for t, w in weights.items())
        assert abs(scores[row] - expected) < 1e-5
    subset = np.asarray([1, 3, 4])
    assert np.allclose(postings.scores(weights, avgdl, subset), scores[subset])


def test_merging_postings_renumbers_rows_and_drops_dead_ones() -> None:
    a = Postings.build([tokenize(t) for t in TEXTS])
    b = Postings.build([tokenize("数字经济增长"), tokenize("腾笼换鸟")])
    merged = Postings.merge([(a, np.asarray([True, False, True])), (b, np.asarray([True, True]))])
    assert len(merged.doclen) == 4
    term = tokenize("腾笼换鸟")[0]
    assert merged.posting(term)[0].tolist() == [1, 3]
    assert merged.posting("数字")[0].tolist() == [0, 2]
    assert merged.posting("5213")[0].size == 0 and "5213" not in merged.terms


def test_query_expansion_uses_report_wording() -> None:
    assert "地区生产总值" in expand_query("杭州GDP增速")
    assert expand_query("完全无关") == "完全无关"


def test_a_shortfall_is_searched_in_the_reports_words() -> None:
    # "有些目标没达成" asked; "部分指标没有完成" said (杭州 2021).
    assert "没有完成" in expand_query("为什么杭州2020年有些年度目标没达成")


def test_a_term_inside_a_longer_term_is_not_expanded_on_its_own() -> None:
    # 收入 -> 可支配收入 is for "人均收入"; inside 财政收入 it would search household income for a fiscal question.
    assert "可支配收入" not in expand_query("1999年全国财政收入有多少")
    assert "一般公共预算收入" in expand_query("1999年全国财政收入有多少")
    assert "可支配收入" in expand_query("杭州居民收入增长多少")
    assert not any("可支配收入" in v for v in variants("全国财政收入"))
    assert "可支配收入" in expand_query("财政收入和居民收入分别增长多少")  # said again on its own


def test_every_colloquial_term_has_one_row() -> None:
    rows = [line.split("\t")[0] for line in (REPO / "qa/lang/data/synonyms.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) == len(set(rows)), sorted({r for r in rows if rows.count(r) > 1})


def test_the_reports_two_words_for_gdp_growth_are_tried_both_ways() -> None:
    # 国内生产总值增速 asked, 经济增速 said (2020年国务院报告); GDP asked, 地区生产总值 said; and back (江西 2023: GDP).
    assert any("经济增速目标" in v for v in variants("国内生产总值增速目标"))
    assert any("地区生产总值" in v for v in variants("江西GDP排名"))
    assert any("GDP" in v for v in variants("江西地区生产总值排名"))
