"""A question that asks only a change ("同比涨了多少", "比上年降了多少", "增速是多少"), and whether a line gives one.

"杭州2020年人工智能产业营收同比涨了多少" is not answered by "人工智能产业营收达1557.6亿元": a level says where a measure
stands, not how far it moved. A change is given as a rate (增长8.2%, 5‰, 1.2倍, 3个百分点, 两成) or as an amount after
a verb of change ("比上年增加48万人", "减少1.2万吨", "由242天增加至334天"). A question that asks a level too
("从多少涨到多少", "总量多少、增长多少") is answered in part by the level alone, so it is left alone.
"""

from __future__ import annotations

import re

from qa.lang.figures import asks_one_figure

# 翻 alone opens 翻新 and 翻建; a doubling is asked as 翻番 or 翻了几番.
_CHANGE_ASKED = re.compile(r"增长|增速|增幅|涨幅|涨|提高|提升|下降|降低|降了|减少|增加(?!值)|同比|翻(?:了)?(?:几|多少)?番|翻番")
# Anything the question asks besides the change: a level (提高到了多少), a share, a rank, a count of years, a
# comparison of two levels, an action done (改造), a yes or no, a list or a reason.
_OTHER_ASKED = re.compile(r"总量|总额|规模|(?:到|至|为)了?多少|多少(?:亿|万|元|人|家|吨|个(?!百分点|点))|从多少|由多少"
                          r"|占|比重|排|第几|多少年|几年|几个月|改造|相比|差多少|(?:和|与|跟)[^，。？]{0,8}比(?!上年|去年)"
                          r"|吗|是否|哪|什么|怎么|为什么|为啥|为何|咋|如何|怎样")
_NUMERAL = r"(?:\d[\d,，]*(?:\.\d+)?|[一二三四五六七八九十两百千]+)"
# A rate (8.2%, 5‰, 1.2倍 but not 倍增工程, 3个百分点, 两成); a verb of change and its amount, next to each other
# ("增加48万人", "上调65元", "增加超过120万人") or with what changed between ("新增地铁运营里程130公里", "减少贫困人口
# 130万人"; not 提升: "改善提升项目39个" counts projects); a doubling; no change at all (持平); a difference (比上年多117万亩).
_CHANGE_GIVEN = re.compile(
    r"\d(?:\.\d+)?\s*[%‰]|百分之|(?<=[\d一二三四五六七八九十两半多几数成])倍|百分点|\d个点(?!位)"
    r"|[一二三四五六七八九两]成(?![本果为立交功都效])"
    rf"|(?:增长|增加|提高|提升|下降|降低|减少|上涨|上升|回落|上调|下调|增|降|减|涨)了?(?:至|到)?了?"
    rf"(?:近|超过|超|约|达到|达|逾|将近)?{_NUMERAL}"
    r"|(?:新增|净增|减少|增加(?!值|到|至)|增收|减收|增产|减产|上调|下调|压减|多增)[^，,；;。、%\d]{0,10}?\d"
    r"|翻(?:了)?[一两二三四]?番|持平|比(?:上年|去年|同期|上年同期)[^，。；]{0,6}?[多少]了?\d")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def asks_change_only(question: str) -> bool:
    return (bool(_CHANGE_ASKED.search(question)) and not _OTHER_ASKED.search(question)
            and asks_one_figure(question))


def gives_change(line: str) -> bool:
    return bool(_CHANGE_GIVEN.search(line.translate(_FULL_WIDTH)))
