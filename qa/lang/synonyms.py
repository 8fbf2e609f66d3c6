"""Colloquial terms -> the wording government work reports use (`GDP` -> `地区生产总值`)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, tuple[str, ...]]:
    """Colloquial term -> report wording, from the bundled `data/synonyms.tsv`."""
    text = resources.files("qa.lang").joinpath("data/synonyms.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            head, *targets = [part.strip() for part in line.split("\t") if part.strip()]
            table[head.lower()] = tuple(targets)
    return table


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Abbreviation -> full form, as the reports define them (`data/abbreviations.tsv`)."""
    text = resources.files("qa.lang").joinpath("data/abbreviations.tsv").read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {short.strip(): full.strip() for short, full, *_ in pairs}


def report_forms(term: str) -> list[str]:
    """The term and the reports' own words for it: its synonyms and, for an abbreviation, its full form
    (社零 -> 社会消费品零售总额)."""
    full = abbreviations().get(term)
    return [term, *synonym_table().get(term, ()), *([full] if full else [])]


def _heads(lowered: str) -> list[tuple[int, str]]:
    """(position, head) of each colloquial term in the lower-cased question, in table order, at its first place that
    is not inside a longer head the question says (财政收入 is no 收入 -> 可支配收入; 财政收入和居民收入 still has one)."""
    found = [(m.start(), head) for head in synonym_table() if head in lowered
             for m in re.finditer(re.escape(head), lowered)]
    spans = [(at, at + len(head)) for at, head in found]
    out: dict[str, int] = {}
    for at, head in found:
        inside = any(a <= at and at + len(head) <= b and (b - a) > len(head) for a, b in spans)
        if not inside and head not in out:
            out[head] = at
    return [(at, head) for head, at in out.items()]


def expand_query(question: str) -> str:
    """Append the report's own wording for colloquial terms in the question."""
    lowered = question.lower()
    table = synonym_table()
    extra = [t for _, head in _heads(lowered) for t in table[head] if t.lower() not in lowered]
    for short, full in abbreviations().items():  # both ways: reports use the short form once they define it
        if short in question and full not in question:
            extra.append(full)
        elif full in question and short not in question:
            extra.append(short)
    return question if not extra else question + " " + " ".join(dict.fromkeys(extra))


def variants(question: str, limit: int = 8) -> list[str]:
    """The question, then the question with one colloquial term or abbreviation put in the report's wording:
    the alternatives a passage may use. (`expand_query` appends them all, which suits ranking but not a
    test of how much of the question a passage covers.)"""
    lowered = question.lower()
    out = [question]
    for at, head in _heads(lowered):
        out += [question[:at] + t + question[at + len(head):] for t in synonym_table()[head]]
    for short, full in abbreviations().items():
        if short in question and full not in question:
            out.append(question.replace(short, full))
        elif full in question and short not in question:
            out.append(question.replace(full, short))
    return list(dict.fromkeys(out))[:limit]
