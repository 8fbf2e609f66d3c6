"""A number question's first passages re-ranked by the clause that says the question and gives a figure.

BM25 and the embedding score a passage as a whole, so "经济增长目标同2035年远景目标总体衔接" (the target talked
about) can outrank "今年发展主要预期目标是：经济增长4.5%—5%" (the target given). A 多少 question wants the second: the
passage whose one clause covers most of the question's terms beside a figure earns a bonus in proportion. A why
question is left alone: it asks the reason, which seldom sits beside the figure. A rank question ("在全国排第几")
wants the clause that gives a rank ("营商环境综合评价居全国第五"), not any figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.lang.figures import gives_figure
from qa.search.asks import is_number_question, is_why_question
from qa.search.retrieval import Hit

_CLAUSE = re.compile(r"[，,；;。！？!?\n]")


def figure_clause_cover(text: str, wordings: Sequence[dict[str, float]],
                        gives: Callable[[str], bool] = gives_figure) -> float:
    """The largest share of the question's terms, in any one wording, that a clause giving a figure (or what
    `gives` tests for) says."""
    weighted = [(w, total) for w in wordings if (total := sum(w.values()))]
    best = 0.0
    for clause in _CLAUSE.split(text.lower()):
        if clause and gives(clause):
            for terms, total in weighted:
                best = max(best, sum(v for t, v in terms.items() if t in clause) / total)
    return best


# "排第几", "位次", "排名": an ordinal is asked, which the sentence with the figure seldom says ("增长5.2%、居全国第3").
_RANK = re.compile(r"第几|排名|位次|排在|排多少|名次")


def wants_figure(question: str) -> bool:
    return is_number_question(question) and not is_why_question(question) and not _RANK.search(question)


def wants_rank(question: str) -> bool:
    return bool(_RANK.search(question)) and not is_why_question(question)


def rerank(hits: Sequence[Hit], text_of: Callable[[int], str], wordings: Sequence[dict[str, float]], weight: float,
           depth: int, group_of: Callable[[int], int] = lambda row: 0,
           gives: Callable[[str], bool] = gives_figure) -> list[Hit]:
    """The first `depth` hits with `weight` times their figure clause's cover added, re-sorted within their group
    (`group_of`: the named report a passage answers for) in the places the group held: a question naming several
    reports keeps them alternating, its best passage of each first, and the scores shown stay in order."""
    head = [replace(h, score=h.score + weight * figure_clause_cover(text_of(h.row), wordings, gives)) for h in hits[:depth]]
    groups = [group_of(h.row) for h in head]
    ordered = {g: iter(sorted((h for h, hg in zip(head, groups, strict=True) if hg == g), key=lambda h: (-h.score, h.row)))
               for g in dict.fromkeys(groups)}
    ranked = [next(ordered[g]) for g in groups]
    if len(ordered) > 1:
        # Slots keep their group, not their score: a later slot may now outscore an earlier one of another group.
        for i in range(1, len(ranked)):
            if ranked[i].score > ranked[i - 1].score:
                ranked[i] = replace(ranked[i], score=ranked[i - 1].score)
    return ranked + list(hits[depth:])
