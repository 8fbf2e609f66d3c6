"""Towns and sub-districts a question names (瓜沥镇, 宁围街道): below the gazetteer, which stops at counties.

No government work report is delivered for a town, and a report of its county seldom gives a town's figures. A
question about 瓜沥镇 had been answered with 萧山区's industrial output, since the place matcher did not know the
town was a place at all. The name is read from its suffix; a word that only ends like one (城镇, 特色小镇, 重点镇,
乡镇街道, 全区各街道) is not a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from qa.lang.tokens import segmenter

# Two characters of name, then 镇 or 街道, not running on into a compound (镇街, 镇村, 街道办).
_TOWN = re.compile(r"([\u4e00-\u9fff]{2})(镇|街道)(?![街村域区域级上中内办])")
# The character before the suffix in common words that are no names: 城镇, 村镇, 乡镇, 小镇, 集镇, 市镇, 古镇, 名镇,
# 重点镇, 中心镇, 建制镇, 示范镇, 特色镇, 工业强镇, 工业重镇, 百县千镇, 撤乡设镇, 现代化镇, 区街镇; 各街道, 全区街道,
# 社区街道, 城市街道.
_NOT_A_NAME_END = frozenset("城村乡镇小集市古名点心制范色强重千百改并设撤驻促跨至化一街"
                            "各每全个的和与及或等区社县州省里内外大中新老")
# A stem opening with these is a phrase (乡建镇, 县三镇, 驻镇帮镇), or a number or year is in it.
_NOT_A_NAME_START = frozenset("乡村县镇区市省街一二两三四五六七八九十百千年0123456789")
# jieba's tags for names and places: a stem its dictionary knows as anything else is a word (专业镇, 推进街道,
# 生态镇, 卫生镇), one it does not know at all is most likely a name (瓜沥, 临浦, 宁围).
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nz", "nt", "s"})
# Words that describe a kind of town (卫星镇, 淘宝镇, 宜居街道, 零碳街道) and that jieba does not tag as words.
_MODIFIERS = frozenset("卫星 淘宝 城郊 近郊 远郊 沿河 沿江 沿海 口岸 宜居 美丽 文明 智慧 低碳 零碳 无废 网红 老旧 拓宽 边境 门户 "
                       "枢纽 明星 未来 数字 海岛 山区 平安 健康 森林 园林 生态 工业 农业 商贸 旅游 文化 历史".split())


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    segmenter()  # the index's dictionary, initialised
    import jieba.posseg  # lazy: its tables load on first use

    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab  # jieba's own table, read only
    return tags


def towns(question: str, known: Callable[[str], bool] = lambda name: False) -> list[str]:
    """The towns and sub-districts the question names (瓜沥镇, 宁围街道), in order; `known` tells the names the
    gazetteer has (景德镇 is a city; 镇江 and 镇海 open with 镇)."""
    starts: set[int] | None = None  # segmented only once a candidate gets this far: most questions name no town
    out = []
    for m in _TOWN.finditer(question):
        stem, name, at = m.group(1), m.group(0), m.start(2)
        if stem[-1] in _NOT_A_NAME_END or stem[0] in _NOT_A_NAME_START or known(name):
            continue
        # A stem must open a word: 南京到镇江 has no town 京到, 美丽圩镇 no 丽圩. And 镇 may open a place itself.
        starts = _word_starts(question) if starts is None else starts
        if m.start(1) not in starts or any(known(question[at:at + n]) for n in (2, 3)):
            continue
        if _tags().get(stem, "ns") not in _NAME_TAGS or stem in _MODIFIERS:
            continue
        out.append(name)
    return list(dict.fromkeys(out))


def _word_starts(text: str) -> set[int]:
    starts, at = set(), 0
    for word in segmenter().lcut(text, HMM=False):
        starts.add(at)
        at += len(word)
    return starts


def town_stem(town: str) -> str:
    """瓜沥镇 -> 瓜沥: what a report says when it names the town in passing (瓜沥七彩小镇)."""
    return town[:-2] if town.endswith("街道") else town[:-1]
