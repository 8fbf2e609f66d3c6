"""A topic that had not yet come up when the asked reports were written.

"湖北06年扶持新能源汽车有哪些措施": the 2006 report of 湖北 never says 新能源汽车; one report in 300 of 2006 and before
does, half of those after it do. Its passages about 汽车 and about 新能源 answer nothing, however well they match word
by word. A compound used as often before as after ("年度目标", "重污染", "三公经费") is more likely the asker's own
wording of what the report says otherwise, and is left to the model; so is every 多少 question, whose metric the
reports name in many ways ("粮食总产" for 粮食总产量).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from qa.core.records import Document
from qa.lang.synonyms import abbreviations, synonym_table

# A topic is new when later reports use it at least `NEWER` times as often as the reports of the asked year and
# before, and at least `COMMON_SHARE` of them (and `MIN_REPORTS`) do. On the corpus dev set's tuning half, the
# unanswerable questions' compounds were 25 to 290 times as common after as before, each used by half of the later
# reports or more; the answerable ones' absent compounds about as common before as after (0.5 to 1.3 times).
NEWER = 4.0
COMMON_SHARE = 1 / 30
MIN_REPORTS = 20
# Narrow scopes only: a question about a whole province's decade reads too many reports for absence to mean much.
MAX_SCOPE = 6
# Marks a report puts inside a compound ("“三公”经费") or a PDF leaves between its characters.
_MARKS = re.compile(r"[\s“”‘’\"'《》〈〉「」]")


def forms(term: str) -> list[str]:
    """The term and the reports' own words for it (社零 -> 社会消费品零售总额)."""
    full = abbreviations().get(term)
    return [term, *synonym_table().get(term, ()), *([full] if full else [])]


def unmentioned(runs: Sequence[tuple[str, ...]], scoped: Sequence[Document], every: Iterable[Document]) -> str | None:
    """The first compound of `runs` (`qa.lang.nouns.compounds`) whose run none of the `scoped` reports says in any
    form, and that is new since their year among the indexed reports (`every`); None when every run is said in
    part, or its compounds are no newer than they are."""
    years = [doc.year for doc in scoped]
    if not runs or not scoped or len(scoped) > MAX_SCOPE or None in years:
        return None
    flat = [_MARKS.sub("", doc.text).lower() for doc in scoped]
    def said(compound: str) -> bool:
        return any(form.lower() in text for form in forms(compound) for text in flat)

    absent = [c for run in runs if not any(said(c) for c in run) for c in run]
    if not absent:
        return None
    newest = max(y for y in years if y is not None)
    before, after = dict.fromkeys(absent, 0), dict.fromkeys(absent, 0)
    reports_before = reports_after = 0
    for doc in every:
        later = doc.year is not None and doc.year > newest
        reports_after += later
        reports_before += not later
        for c in absent:
            if c in doc.text or c.upper() in doc.text:  # lower-cased like the question: PM2.5, 5G
                (after if later else before)[c] += 1
    for c in absent:
        share_after = after[c] / max(1, reports_after)
        share_before = before[c] / max(1, reports_before)
        if after[c] >= MIN_REPORTS and share_after >= COMMON_SHARE and share_after >= NEWER * share_before:
            return c
    return None
