"""The question without the chat around it (请问, 帮我查一下, 我想知道 before it, 谢谢 after it), and its spoken
words in writing (为啥 -> 为什么).

People ask a search box as they would ask a person. The courtesy is no topic: left in, 帮/我/查/谢谢 count as
terms that no passage says, so a well-found answer looked half-covered and was declined ("帮我查一下，江苏2019年
一般公共预算收入预期增长多少，谢谢！"), and the query's vector leaned towards chat. Only wrapping at the two ends is
taken off, and only in forms that cannot open a topic: a bare 查 or 看 stays (查处了多少案件, 看病难).
"""

from __future__ import annotations

import re

_SEP = r"[\s，,。.！!？?：:；;、~～…]*"
_PLEASE = r"(?:请|麻烦(?:你|您)?|劳驾|能不能|能否|可以|可不可以|你能|您能)?"
_LOOK = r"(?:查|找|看|搜|查询|查找|搜索|问|说说|讲讲|介绍|列举|总结)"
_OPENINGS = (
    r"(?:你好|您好|嗨|哈喽|hi|hello)",
    r"请问(?:一下)?|请教(?:一下)?|想请教(?:一下)?|打听(?:一下)?",
    _PLEASE + r"(?:帮我|帮忙|给我|替我)" + _LOOK + r"?(?:一下|下)?",
    _PLEASE + r"(?:" + _LOOK + r"一下|查一查|找一找|看一看|搜一搜)",
    r"我?(?:想|想要|希望|需要)(?:知道|了解|问|查|找|请教|看看)(?:一下)?",
    r"(?:你|您)?(?:能|可以)(?:不能)?告诉我",
    r"告诉我",
)
_OPENING = re.compile(rf"^{_SEP}(?:{'|'.join(_OPENINGS)}){_SEP}", re.IGNORECASE)
_CLOSING = re.compile(
    rf"{_SEP}(?:(?:谢谢|多谢|感谢)(?:你|您|啦|了)?|麻烦(?:你|您)?了|thanks|thank you|thx){_SEP}$", re.IGNORECASE
)


# Spoken question words, in the written form the question patterns know (为什么 asks for a reason; 为啥 is a term no
# report uses, which counted as missing from every passage).
_SPOKEN = {"为啥": "为什么", "干啥": "做什么", "干嘛": "做什么", "咋样": "怎么样", "咋办": "怎么办", "咋": "怎么",
           "啥": "什么", "是不是": "是否", "头一回": "首次", "头一次": "首次", "头一遭": "首次"}
_SPOKEN_WORD = re.compile("|".join(sorted(_SPOKEN, key=len, reverse=True)))


def in_writing(question: str) -> str:
    """`question` with spoken question words written out: 为啥 -> 为什么, 咋样 -> 怎么样, 头一回 -> 首次."""
    return _SPOKEN_WORD.sub(lambda m: _SPOKEN[m.group(0)], question)


def without_courtesy(question: str) -> str:
    """`question` with the courtesies that open and close it taken off; as written if nothing else is left."""
    text = question
    while True:
        trimmed = _CLOSING.sub("", _OPENING.sub("", text, count=1), count=1)
        if trimmed == text:
            break
        text = trimmed
    # A question mark the courtesy stood before ("…多少，谢谢！") is gone with it; the rest keeps its own.
    return text.strip() or question
