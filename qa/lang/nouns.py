"""The nouns a question asks about, and which of them the indexed reports never use.

A question about 票房 or 最低工资, over reports that never say either, cannot be answered from them, however
well its other words match. Part-of-speech tags keep the test to nouns: a colloquial verb or filler that the
reports don't use (打算, 发了, 怎么样) says nothing about whether they answer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from qa.lang.tokens import STOPWORDS, segmenter

# Common and proper nouns, idioms and fixed phrases; not places (ns) or people (nr): the place matcher knows those,
# and a name the reports never print is no topic.
_NOUN_TAGS = frozenset({"n", "nz", "nt", "nw", "vn", "an", "i", "l", "j"})
# Nouns that only frame a question ("疫情的时候", "有什么数据").
_FRAMING = frozenset("时候 时间 情况 方面 问题 东西 事情 内容 数据 数字 数量 数目 报告 政府 工作 变化 区别 差别".split())


@lru_cache(maxsize=1)
def _tagger() -> Any:
    segmenter()  # the same initialised dictionary as the index's tokenizer
    import jieba.posseg  # lazy: its tables load on first use, and only questions need them

    return jieba.posseg


@lru_cache(maxsize=256)
def tagged(text: str, guess: bool = True) -> tuple[tuple[str, str], ...]:
    """The words of `text`, stripped and lower-cased, with their part of speech. Kept for a while: a question's
    own wording is tagged for its nouns and again for its compounds (`qa.search.topic`)."""
    return tag(text, guess)


def tag(text: str, guess: bool = True) -> tuple[tuple[str, str], ...]:
    """`tagged`, not kept: for a whole report."""
    return tuple((pair.word.strip().lower(), pair.flag) for pair in _tagger().lcut(text, HMM=guess))


def content_nouns(text: str, guess: bool = True) -> list[str]:
    """The nouns of `text` of two or more characters, lower-cased, in order, without framing words. `guess`: let
    jieba's HMM find words its dictionary lacks (新冠, 规上, 社零), which is most of the time tagging takes."""
    return list(dict.fromkeys(word for word, flag in tagged(text, guess) if is_content_noun(word, flag)))


def is_content_noun(word: str, flag: str) -> bool:
    """Whether a tagged word is a noun of two or more characters that does not only frame a question."""
    return len(word) >= 2 and flag in _NOUN_TAGS and word not in STOPWORDS and word not in _FRAMING


# Where a question turns to what it asks: the nouns after it are the thing asked for ("要完善什么管理制度", "建到
# 什么程度"), not the topic asked about. 这几年 and 几内亚 ask nothing.
_ASKING = re.compile(r"什么|哪|怎么|如何|怎样|啥|咋|有没有|是否|是不是|能否|何时|吗|多少|(?<![这近前])几(?!年|内亚)")
# Nouns that frame what is asked about a topic, not a topic ("城中村改造进展如何", "有什么思路").
_ASKED_ABOUT = frozenset("进展 思路 部署 定位 措施 举措 成效 现状 力度 对策 做法 政策 安排 打算 规划 计划 目标 任务 重点"
                         " 方向 路径 效果 成绩 成果 进度".split())


def topic_nouns(text: str) -> list[str]:
    """`content_nouns` of `text` before its question word: "海南17年发展人工智能有什么部署" asks about 人工智能."""
    found = _ASKING.search(text)
    return [noun for noun in content_nouns(text[:found.start()] if found else text) if noun not in _ASKED_ABOUT]


def wording_nouns(wordings: Sequence[str]) -> list[list[str]]:
    """`content_nouns` of each wording of one question (its own first, then each with one term in the reports'
    words). Only the first is tagged with the HMM: the others differ from it by one dictionary term, and take
    the words it found beyond the dictionary wherever they still say them."""
    if not wordings:
        return []
    own = wordings[0]
    first = content_nouns(own)
    found = [noun for noun in first if noun not in content_nouns(own, guess=False)]
    out = [first]
    for wording in wordings[1:]:
        lowered = wording.lower()
        # The words found beyond the dictionary count where the wordings agree, not inside the part put in the
        # reports' words.
        head = len(os.path.commonprefix([own, wording]))
        tail = len(os.path.commonprefix([own[head:][::-1], wording[head:][::-1]]))
        kept = lowered[:head] + "\n" + lowered[len(wording) - tail:]
        nouns = content_nouns(wording, guess=False) + [noun for noun in found if noun in kept]
        out.append(sorted(dict.fromkeys(nouns), key=lowered.find))
    return out


def _parts(word: str) -> list[str]:
    """The word's own sub-words of two or more characters (居民收入 -> 居民, 收入), if they cover all of it."""
    subs = [s.lower() for s in segmenter().lcut_for_search(word) if len(s) >= 2 and s.lower() != word]
    covered: set[int] = set()
    for sub in subs:
        at = word.find(sub)
        covered.update(range(at, at + len(sub)))
    return subs if len(covered) == len(word) else []


def unseen_nouns(nouns: Sequence[str], known: Callable[[str], bool]) -> list[str]:
    """The `nouns` (from `content_nouns`) that the reports never use: neither the noun itself nor, for a compound
    the reports write apart (居民收入), every one of its parts."""
    missing = []
    for noun in nouns:
        if known(noun):
            continue
        parts = _parts(noun)
        if not parts or not all(known(p) for p in parts):
            missing.append(noun)
    return missing


# A compound's first word: a noun or a one-character attribute (大数据, 新基建), not a verb's noun use: "发展经济"
# names no topic a report might lack.
_LEADING_TAGS = (_NOUN_TAGS - {"vn"}) | {"a"}
# Particles, conjunctions, prepositions, pronouns, adverbs, numerals, measures, punctuation, time and place words.
_FUNCTION_TAGS = frozenset("uj ul uz ug uv ud u c p r d m q x f y e o w t s".split())


@dataclass(frozen=True)
class Compound:
    """Two adjacent words that name one thing together, as the text was cut into them (低空|经济, 普惠|托育)."""

    first: str
    second: str

    @property
    def text(self) -> str:
        return self.first + self.second


def compounds(text: str) -> list[tuple[Compound, ...]]:
    """The compounds of each run of nouns in `text`, lower-cased, in order: every two adjacent words that name one
    thing together (新能源汽车, 低空经济, 大数据), a noun or attribute then a noun of two or more characters, neither a
    framing word (after an attribute the second may be: 大数据 is a topic, 数据 alone frames). "营商环境改革" gives
    (营商环境, 环境改革): a report that says one of them speaks of the run's topic."""
    return compound_runs(tagged(text))


def compound_runs(words: Sequence[tuple[str, str]]) -> list[tuple[Compound, ...]]:
    """`compounds` of text already cut and tagged (lower-cased words with their part of speech): a question's, or a
    whole report's when the corpus is mined for the topics its reports name (scripts/mine_topics.py)."""
    runs: list[tuple[Compound, ...]] = []
    run: list[Compound] = []
    for i, ((first, first_tag), (second, second_tag)) in enumerate(zip(words, words[1:], strict=False)):
        # A one-character content word just before the first is a word jieba cut apart (物/联网 of 物联网).
        glued = i > 0 and len(words[i - 1][0]) == 1 and words[i - 1][1] not in _FUNCTION_TAGS
        if first_tag in _LEADING_TAGS and second_tag in _NOUN_TAGS and len(second) >= 2 and not glued \
                and first not in _FRAMING | STOPWORDS and second not in STOPWORDS \
                and (first_tag == "a" or second not in _FRAMING):
            run.append(Compound(first, second))
            continue
        if run and not (first_tag in _NOUN_TAGS and second_tag in _NOUN_TAGS):
            runs.append(tuple(run))
            run = []
    if run:
        runs.append(tuple(run))
    return list(dict.fromkeys(runs))
