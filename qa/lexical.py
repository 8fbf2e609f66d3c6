"""BM25 over jieba tokens; the tokenizer is a plain function injected into the index."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

TOKENIZER_VERSION = "jieba-search-2"
Tokenizer = Callable[[str], list[str]]

_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_KEEP = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")
# Function words and question words: they carry no topic, and left in they let a long
# question match every passage that happens to use 的/是/多少.
STOPWORDS = frozenset(
    "的 了 和 与 及 是 在 有 为 对 等 将 把 被 也 就 都 而 并 或 之 其 中 上 下 个 年 月 日 "
    "多少 什么 哪些 哪个 哪里 怎么 怎样 如何 是否 有没有 有无 吗 呢 啊 吧 请问 一下 情况 "
    "方面 相关 具体 主要 大概 大约 目前 现在 那 这 这个 那个 它 他们 我们 要 会 能 可以".split()
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


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
def synonyms() -> dict[str, tuple[str, ...]]:
    """Colloquial term -> report wording, from the bundled `data/synonyms.tsv`."""
    from importlib import resources

    text = resources.files("qa").joinpath("data/synonyms.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            head, *targets = [part.strip() for part in line.split("\t") if part.strip()]
            table[head.lower()] = tuple(targets)
    return table


def expand_query(question: str) -> str:
    """Append the report's own wording for colloquial terms (`GDP` -> `地区生产总值`)."""
    lowered = question.lower()
    extra = [t for head, targets in synonyms().items() if head in lowered for t in targets if t.lower() not in lowered]
    return question if not extra else question + " " + " ".join(dict.fromkeys(extra))


class LexicalIndex:
    """bm25s over pre-tokenized passages; scores for every row so fusion can filter freely."""

    def __init__(self, retriever, tokenizer: Tokenizer = tokenize) -> None:
        self._retriever = retriever
        self._tokenizer = tokenizer
        self._vocab = set(retriever.vocab_dict) if getattr(retriever, "vocab_dict", None) else set()

    @classmethod
    def build(cls, texts: Sequence[str], tokenizer: Tokenizer = tokenize) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        corpus_tokens = [tokenizer(t) or ["\x00empty"] for t in texts]
        retriever.index(corpus_tokens, show_progress=False)
        return cls(retriever, tokenizer)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage row for the query (zeros when nothing matches)."""
        tokens = [t for t in self._tokenizer(expand_query(query)) if t in self._vocab]
        n = int(self._retriever.scores["num_docs"])
        if not tokens:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)

    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25-style idf per token from the index's document frequencies (rare terms weigh more)."""
        scores = self._retriever.scores
        n = int(scores["num_docs"])
        indptr = scores["indptr"]
        vocab = self._retriever.vocab_dict
        out = {}
        for token in tokens:
            tid = vocab.get(token)
            df = int(indptr[tid + 1] - indptr[tid]) if tid is not None else 0
            out[token] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return out

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, tokenizer: Tokenizer = tokenize) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(folder), show_progress=False), tokenizer)
