"""What a question asks for (a figure, a list, a reason, what fell short), and how much of it a text says."""

from __future__ import annotations

import re

from qa.lang.tokens import tokenize

_NUMBER_QUESTION = re.compile(r"多少|几|比重|占比|增速|增幅|涨幅|率|规模|总量|目标是|达到|多大|多高|多长|排名|第几")
_LIST_QUESTION = re.compile(r"哪些|有什么|什么|包括|措施|举措|怎么|如何|哪几")
WHY_QUESTION = re.compile(r"为什么|为何|什么原因|原因是|理由|出于什么|怎么考虑")
# "哪个指标没完成": the sentence that says what fell short ("除进出口总额…下降37.3%以外", "低于预期目标").
SHORTFALL_QUESTION = re.compile(r"没完成|未完成|没有完成|没达到|未达到|没有达到|没实现|未实现|没有实现"
                                r"|没达成|未达成|没有达成|差距")
SHORTFALL = re.compile(r"未完成|没有完成|未达到|没有达到|未能实现|没有实现|未实现|低于|除[^。；]{1,40}以外|差距")
REASON = re.compile(r"综合考虑|主要是|主要考虑|是为了|因为|由于|着重说明|有利于|旨在|目的是|考虑到")


def question_terms(question: str) -> list[str]:
    return list(dict.fromkeys(tokenize(question)))


def coverage(weights: dict[str, float], text: str) -> float:
    """Weighted share of question terms that occur in `text` (substring test, so jieba splits don't matter)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    lowered = text.lower()
    return sum(w for t, w in weights.items() if t in lowered) / total


def is_number_question(question: str) -> bool:
    return bool(_NUMBER_QUESTION.search(question))


def is_why_question(question: str) -> bool:
    return bool(WHY_QUESTION.search(question))


def is_list_question(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question))
