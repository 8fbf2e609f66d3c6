"""The one tokenizer: jieba search mode, lower-cased, with the one stopword list.

Its fingerprint covers everything that shapes its output (jieba's version and dictionary, the
stopwords, the number rules), so an index built with different tokens is refused, not misread. The synonym
table is not part of it: it expands questions only, and growing it must not make every index unreadable.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType

import jieba

Tokenizer = Callable[[str], list[str]]

_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_KEEP = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")
# Words that ask rather than name a topic. Chat highlighting and follow-up detection use them too.
QUESTION_WORDS = frozenset(
    "多少 什么 哪些 哪个 哪里 怎么 怎样 如何 是否 有没有 有无 吗 呢 啊 吧 请问 一下 几 多大 为什么".split()
)
# Function words and vague fillers: left in, a long question matches every passage that says 的/是/情况.
FUNCTION_WORDS = frozenset(
    "的 了 和 与 及 是 在 有 为 对 等 将 把 被 也 就 都 而 并 或 之 其 中 上 下 个 年 月 日 "
    "情况 方面 相关 具体 主要 大概 大约 目前 现在 那 这 这个 那个 它 他们 我们 要 会 能 可以".split()
)
STOPWORDS = QUESTION_WORDS | FUNCTION_WORDS


@lru_cache(maxsize=1)
def _jieba() -> ModuleType:
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segmenter() -> ModuleType:
    """jieba, initialised: for the other readings of a question (part-of-speech tags) on the same dictionary."""
    return _jieba()


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens, lower-cased, with numbers kept whole (`3.12%` also as `3.12`)."""
    tokens: list[str] = []
    for token in _jieba().lcut_for_search(text.replace("*", "")):
        token = token.strip().lower()
        if not token or not _KEEP.search(token) or token in STOPWORDS:
            continue
        tokens.append(token)
        if token.endswith("%") and _NUMBER.fullmatch(token):
            tokens.append(token[:-1])
    return tokens


@lru_cache(maxsize=1)
def tokenizer_fingerprint() -> str:
    """A hash of jieba's version and dictionary, the stopwords and the number rules."""
    digest = hashlib.sha256()
    digest.update(f"jieba {jieba.__version__}\n".encode())
    with jieba.get_dict_file() as fh:
        digest.update(fh.read())
    digest.update("\n".join(sorted(STOPWORDS)).encode())
    digest.update(_NUMBER.pattern.encode() + _KEEP.pattern.encode())
    return "jieba-" + digest.hexdigest()[:16]
