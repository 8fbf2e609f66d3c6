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
# Two-character verbs first, so 查询 is not read as 查 and leave 询 behind; a verb said twice (查查, 查一查) is one.
_LOOK = r"(?:查询|查找|搜索|说说|讲讲|介绍|列举|总结|查一查|找一找|看一看|搜一搜|查查|找找|看看|搜搜|查|找|看|搜|问)"
# 一下, or a bare 下 that opens no word of the topic (下岗, 下降, 下一步, 下半年 … stay).
_A_LITTLE = r"(?:一下|下(?![岗降一半班午属级面来去滑跌调游沉乡放]))"
_OPENINGS = (
    r"(?:你好|您好|嗨|哈喽|hi|hello)(?![a-z-])",
    r"(?:请问|请教|想请教|打听)" + _A_LITTLE + "?",
    _PLEASE + r"(?:帮我|帮忙|给我|替我)" + _LOOK + _A_LITTLE + "?",
    _PLEASE + _LOOK + _A_LITTLE,  # a bare 查 or 看 opens a topic (查处, 看病): only with 一下 is it a request
    r"我?(?:想|想要|希望|需要)(?:知道|了解|请教|查询|查找|搜索|看看|问|查|找)" + _A_LITTLE + "?",
    r"(?:你|您)?(?:能|可以)(?:不能)?告诉我",
    r"告诉我",
)
_OPENING = re.compile(rf"^{_SEP}(?:{'|'.join(_OPENINGS)}){_SEP}", re.IGNORECASE)
# 谢谢 closes a question even when typed straight after it; 感谢 and 麻烦了 only after a pause, since "向哪些人表示感谢"
# and "企业办事还是太麻烦了" end in them.
_CLOSING = re.compile(
    rf"(?:{_SEP}(?:谢谢|多谢)(?:你|您|啦|了)?|[\s，,。.！!～~]+(?:感谢(?:你|您)?|麻烦(?:你|您)?了)"
    rf"|[\s，,。.！!～~]*(?<![a-z])(?:thanks|thank you|thx)){_SEP}$",
    re.IGNORECASE,
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
