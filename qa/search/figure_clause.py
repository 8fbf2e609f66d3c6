"""A number question's first passages re-ranked by the clause that says the question and gives a figure.

BM25 and the embedding score a passage as a whole, so "经济增长目标同2035年远景目标总体衔接" (the target talked
about) can outrank "今年发展主要预期目标是：经济增长4.5%—5%" (the target given). A 多少 question wants the second: the
passage whose one clause covers most of the question's terms beside a figure earns a bonus in proportion. A why
question is left alone: it asks the reason, which seldom sits beside the figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.search import answer as ans
from qa.search.retrieval import Hit

_CLAUSE = re.compile(r"[，,；;。！？!?\n]")


def figure_clause_cover(text: str, wordings: Sequence[dict[str, float]]) -> float:
    """The largest share of the question's terms, in any one wording, that a clause giving a figure says."""
    weighted = [(w, total) for w in wordings if (total := sum(w.values()))]
    best = 0.0
    for clause in _CLAUSE.split(text.lower()):
        if clause and ans.gives_figure(clause):
            for terms, total in weighted:
                best = max(best, sum(v for t, v in terms.items() if t in clause) / total)
    return best


# "排第几", "位次", "排名": an ordinal is asked, which the sentence with the figure seldom says ("增长5.2%、居全国第3").
_RANK = re.compile(r"第几|排名|位次|排在|排多少|名次")


def wants_figure(question: str) -> bool:
    return ans.is_number_question(question) and not ans.is_why_question(question) and not _RANK.search(question)


def rerank(hits: Sequence[Hit], text_of: Callable[[int], str], wordings: Sequence[dict[str, float]], weight: float,
           depth: int, group_of: Callable[[int], int] = lambda row: 0, shown: int = 5) -> list[Hit]:
    """The first `depth` hits with `weight` times their figure clause's cover added, re-sorted. A named report
    (`group_of`: which one a passage answers for, -1 for none) that had a passage among the first `shown` keeps its
    best one there: a question naming several reports shows each of them as before."""
    head = [replace(h, score=h.score + weight * figure_clause_cover(text_of(h.row), wordings)) for h in hits[:depth]]
    ranked = sorted(head, key=lambda h: (-h.score, h.row))
    had = [g for g in dict.fromkeys(group_of(h.row) for h in hits[:shown]) if g >= 0]
    for group in had:
        if all(group_of(h.row) != group for h in ranked[:shown]):
            best = next(h for h in ranked if group_of(h.row) == group)
            ranked.remove(best)
            ranked.insert(shown - 1, best)
    return ranked + list(hits[depth:])
