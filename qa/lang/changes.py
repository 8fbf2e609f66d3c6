"""A question that asks only a change ("同比涨了多少", "比上年降了多少", "增速是多少"), and whether a line gives one.

"杭州2020年人工智能产业营收同比涨了多少" is not answered by "人工智能产业营收达1557.6亿元": a level says where a measure
stands, not how far it moved. A change is given as a rate (增长8.2%, 5‰, 1.2倍, 3个百分点, 两成) or as an amount after
a verb of change ("比上年增加48万人", "减少1.2万吨", "由242天增加至334天"). A question that asks a level too
("从多少涨到多少", "总量多少、增长多少") is answered in part by the level alone, so it is left alone.
"""

from __future__ import annotations

import re

_CHANGE_ASKED = re.compile(r"增长|增速|增幅|涨幅|涨|提高|提升|下降|降低|降了|减少|增加(?!值)|同比|翻")
# Anything the question asks besides the change: a level, a share, a rank, a yes or no, a list or a reason.
_OTHER_ASKED = re.compile(r"总量|总额|规模|达到多少|到多少|多少(?:亿|万|元|人|家|吨|个(?!百分点|点))|从多少|由多少"
                          r"|占|比重|排|第几|吗|是否|哪|什么|怎么|为什么")
_NUMERAL = r"(?:\d[\d,，]*(?:\.\d+)?|[一二三四五六七八九十两百千]+)"
_CHANGE_GIVEN = re.compile(r"\d(?:\.\d+)?\s*[%‰]|百分之|倍|百分点|个点|[一二三四五六七八九两]成(?![本果为立交功都效])"
                           rf"|(?:增长|增加|提高|提升|下降|降低|减少|上涨|上升|回落|增|降|减|涨)了?(?:至|到)?(?:近|超|约|达)?{_NUMERAL}")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def asks_change_only(question: str) -> bool:
    return (bool(_CHANGE_ASKED.search(question)) and not _OTHER_ASKED.search(question)
            and len(re.findall(r"多少|几", question)) == 1)


def gives_change(line: str) -> bool:
    return bool(_CHANGE_GIVEN.search(line.translate(_FULL_WIDTH)))
