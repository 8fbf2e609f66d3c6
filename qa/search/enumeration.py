"""Enumerations in report text: the items of a list (一是…, 二是…; （一）…; 1.…) and the sentences under a
heading, which a list question's answer brings along with the sentence that announces them."""

from __future__ import annotations

import re
from collections.abc import Sequence

Scored = tuple[float, int, int, str]  # (score, passage index, sentence index, sentence)

# A sentence that is one item of an enumeration: 一是, 第二, （三）, 4., ⑤.
# Not "五是否…", nor "2、3季度" or "3．5万人", where the mark joins numbers.
_ITEM = re.compile(r"(?:[一二三四五六七八九十]+是(?!否)|第[一二三四五六七八九十]+[，、,]|[（(][一二三四五六七八九十\d]+[）)]"
                   r"|\d{1,2}[．、.](?!\d)|[①-⑳])")
MAX_LIST_ITEMS = 12
# A section heading's mark: （一）, 一、, 3. (an item's 一是 or 第一 is not one).
_HEADING = re.compile(r"(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[．.、](?!\d))")
# "哪10件", "哪三个": a list of a stated length (哪一年 asks for one thing).
_WHICH_N = re.compile(r"哪(?:[2-9]|\d{2,}|[两三四五六七八九十几])")


def asks_for_n(question: str) -> bool:
    """"哪10件民生实事": a list of a stated length."""
    return bool(_WHICH_N.search(question))


def list_items(chosen: Sequence[Scored], scored: Sequence[Scored]) -> list[Scored]:
    """The enumerated items (一是…, 二是…; （一）…; 1.…) that follow a chosen sentence in its passage: asked
    "哪10件民生实事", the answer is the ten, not the sentence that announces them."""
    at = {(row[1], row[2]): row for row in scored}  # (passage, sentence index) -> scored sentence
    out: list[Scored] = []
    for _, p, i, _ in chosen:
        follow = i + 1
        while (p, follow) in at and _ITEM.match(at[(p, follow)][3]) and len(out) < MAX_LIST_ITEMS:
            if at[(p, follow)] not in chosen and at[(p, follow)] not in out:
                out.append(at[(p, follow)])
            follow += 1
    return out


HEADING_CHARS = 40
BODY_SENTENCES = 2


def heading_bodies(chosen: Sequence[Scored], scored: Sequence[Scored]) -> list[Scored]:
    """The sentences under a chosen heading ("（四）做好金砖厦门会晤保障…", then what is done): asked 怎么 or 哪些, the
    heading only names the answer, and the sentences after it give it."""
    at = {(row[1], row[2]): row for row in scored}
    out: list[Scored] = []
    for _, p, i, sent in chosen:
        if not (_HEADING.match(sent) and len(sent) <= HEADING_CHARS):
            continue
        body = [at[(p, j)] for j in range(i + 1, i + 1 + BODY_SENTENCES) if (p, j) in at]
        out += [row for row in body if row not in chosen and row not in out and not _ITEM.match(row[3])]
    return out
