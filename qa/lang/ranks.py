"""A question that asks only a rank ("在全省排第几"), and whether an answer line gives one.

"萧山2023年GDP在全省排第几" is not answered by "地区生产总值增长5.8%": the reports give a rank in so many words
("居全国第五", "增幅居万亿城市首位", "跃升到45位", "并列第一"), and a line without one gives no rank at all. A question
that also asks a figure ("有多少件，在省会城市排第几") is answered in part by the figure alone.
"""

from __future__ import annotations

import re

_RANK_ASKED = re.compile(r"(?:排名|排|居|列|位列|名列)?(?:第几|第多少)(?:位|名)?|排(?:名)?(?:多少|几)(?:位|名)?|位次|名次")
# Anything else the question asks for besides the rank.
_OTHER_ASK = re.compile(r"多少|几|多大|多高|多长|怎么|如何|怎样|哪些|什么|分别|比重|占比|是否|吗")
_ORDINAL = r"[一二三四五六七八九十百零两\d]+"
# A rank is said after a verb of standing (居, 排, 位列, 跃升到) or a field (全国, 全省, 城市) and is not a sector, a
# session or a period (第一产业, 第二次, 前三季度): "增速居全国第1", "全市第一", "跃升到45位", "并列第一".
_STANDING = r"(?:居|排|列|跃升|升至|上升到|前移至|进入|保持|跻身|全国|全省|全市|全区|城市|省会|同类|盟市|之)"
# The lookaheads also refuse a shorter ordinal than is written ("第十一届" is no 第十 + 一届).
_MORE = r"[\d一二三四五六七八九十百零两]"
_RANK_GIVEN = re.compile(rf"{_STANDING}[^，。；;,]{{0,12}}?(?:第\s*{_ORDINAL}(?!{_MORE}|产业|次|届|批|轮|季度|时间|要务|年|个)"
                         rf"|首位(?!度)|前\s*{_ORDINAL}(?!{_MORE}|[季个年批])|\d+\s*位)|并列第|榜首|居首|之首")


def asks_rank_only(question: str) -> bool:
    if not _RANK_ASKED.search(question):
        return False
    return not _OTHER_ASK.search(_RANK_ASKED.sub(" ", question))


def gives_rank(line: str) -> bool:
    return bool(_RANK_GIVEN.search(line))
