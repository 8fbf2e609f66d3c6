"""Resolve elliptical follow-ups ("那萧山呢？", "2024年呢？", "具体有哪些？") against earlier turns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from qa.core.records import Turn
from qa.lang.places import PlaceMatcher, short_name
from qa.lang.query import RELATIVE, YEAR, parse_query
from qa.lang.tokens import QUESTION_WORDS, STOPWORDS, tokenize
from qa.search.scope import report_preference

_LEAD = re.compile(r"^(?:那么|那|还有|另外|再问一下|再问|同时|以及|然后|and)\s*")
_PRONOUN = re.compile(r"它们|它的|它|其|该|这些|那些|这个|那个|[这那](?:方面|块|部分|一项|一)|上述|此|具体")
_PUNCT = re.compile(r"[？?！!。，,、；;：:\s“”\"'（）()]+")
# Aspect words ask about the previous topic instead of naming a new one ("目标呢？", "具体措施？").
_ASPECTS = frozenset(
    "具体 目标 完成 怎么样 情况 进展 结果 效果 指标 数字 数据 计划 打算 措施 举措 内容 包括 "
    "到 要 要求 任务 原因 增长 增速 达到 实现 规划 预期 做 做了 得 比 比较 相比 变化 多 高 低 了 是 有".split()
)
_DRILL = _ASPECTS | QUESTION_WORDS | frozenset(RELATIVE)
# The rewrite spells resolved years out, so 去年 left in the topic would name the year twice.
_RELATIVE = re.compile("|".join(sorted(RELATIVE, key=len, reverse=True)))


def _strip_context(text: str, matcher: PlaceMatcher) -> str:
    """The question minus places, years, leading connectives and punctuation."""
    text = _RELATIVE.sub("", YEAR.sub("", matcher.strip(text)))
    text = _LEAD.sub("", text.strip())
    return _PUNCT.sub("", text).removesuffix("呢").removesuffix("的")


def _is_followup(question: str, topic: str) -> bool:
    if _LEAD.match(question.strip()) or _PRONOUN.search(topic) or re.search(r"呢[？?。！!\s]*$", question):
        return True
    # A question with its own content words ("萧山数字经济", "火星人口多少") stands alone.
    content = [t for t in tokenize(topic) if t not in _DRILL and t not in STOPWORDS]
    return not content


def rewrite(
    question: str, history: Sequence[Turn], matcher: PlaceMatcher, today: dt.date | None = None,
) -> str | None:
    """A self-contained version of a follow-up question, or None if it already stands alone.

    `today` is the date 今年/去年 count from, the same one the question itself is read with: the rewrite
    spells the years out, so an earlier turn's 去年 must become the year the reader meant.
    """
    context: str | None = None
    for turn in history:
        if turn.question.strip():
            context = _resolve(turn.question, context, matcher, today)
    if context is None:
        return None
    resolved = _resolve(question, context, matcher, today)
    return resolved if resolved != question else None


def _resolve(question: str, context: str | None, matcher: PlaceMatcher, today: dt.date | None) -> str:
    if not context:
        return question
    topic = _strip_context(question, matcher)
    if not _is_followup(question, topic):
        return question
    new, old = parse_query(question, matcher, today), parse_query(context, matcher, today)
    if new.relative and old.years and not old.relative:
        # 今年 in a conversation about a report is that report's year: after "杭州2020年…多少" (answered by the
        # 2021 report, which reviews 2020), "今年目标" is the target for 2021, whatever year it is now.
        year = report_preference(old.intent, max(old.years))[0]
        new = parse_query(question, matcher, dt.date(year, 7, 1))
    regions = new.regions or old.regions
    years = new.years or old.years
    old_topic = _strip_context(context, matcher)
    content = [t for t in tokenize(_PRONOUN.sub("", topic)) if t not in _DRILL and t not in STOPWORDS]
    if not topic:
        topic = old_topic
    elif not content or _PRONOUN.search(topic):
        topic = f"{old_topic} {_PRONOUN.sub('', topic)}".strip()
    prefix = "".join(short_name(r) for r in regions) + "".join(f"{y}年" for y in years)
    return f"{prefix}{topic}".strip()
