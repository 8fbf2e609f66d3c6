"""BM25 over jieba tokens; the tokenizer is a plain function injected into the index."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from qa.lang.synonyms import expand_query
from qa.lang.tokens import Tokenizer, tokenize


class LexicalIndex:
    """bm25s over pre-tokenized passages; scores for every row so fusion can filter freely."""

    def __init__(self, retriever: Any, tokenizer: Tokenizer = tokenize) -> None:
        self._retriever = retriever
        self._tokenizer = tokenizer
        self._vocab = set(retriever.vocab_dict) if getattr(retriever, "vocab_dict", None) else set()

    @classmethod
    def build(cls, texts: Sequence[str], tokenizer: Tokenizer = tokenize) -> LexicalIndex:
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
        return cls(bm25s.BM25.load(str(folder), show_progress=False), tokenizer)
