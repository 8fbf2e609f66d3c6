"""Traditional characters read as simplified: the reports are printed in simplified Chinese.

A reader from Hong Kong or Taiwan types 經濟增長目標; BM25 finds no 經濟 in the reports, the place matcher no
蘇州, and the year patterns no 十四五規劃. OpenCC's t2s tables (phrase-aware) convert the question before anything
reads it. Simplified text passes through unchanged (all 572 dev questions do), except a few characters that are
both: 乾 is also simplified in 乾县 and 乾安县, so place names already in simplified form are kept as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from qa.lang.courtesy import in_writing, without_courtesy
from qa.lang.places import PlaceMatcher
from qa.lang.query import canonical_years
from qa.lang.question import closed_up


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # lazy: a C extension that only questions need

    return opencc.OpenCC("t2s")


def simplified(text: str, keep: Sequence[tuple[int, int]] = ()) -> str:
    """`text` in simplified characters, with the `keep` spans (start, end) left as written."""
    if text.isascii():
        return text
    convert = _t2s().convert
    out, pos = [], 0
    for start, end in sorted(keep):
        if start < pos:
            continue
        out += [convert(text[pos:start]) if start > pos else "", text[start:end]]
        pos = end
    out.append(convert(text[pos:]) if pos < len(text) else "")
    return "".join(out)


def in_simplified(text: str, matcher: PlaceMatcher) -> str:
    """`text` in simplified characters, the places it already names in simplified form kept as written."""
    return simplified(text, [(m.start, m.end) for m in matcher.mentions(text)])


def as_read(question: str, matcher: PlaceMatcher) -> str:
    """The question as the pipeline reads it: no spaces between Chinese words, simplified characters (places named
    in simplified form kept), no courtesy around it, spoken question words written (为啥 -> 为什么), and every year
    in four digits."""
    return canonical_years(in_writing(without_courtesy(in_simplified(closed_up(question), matcher))))
