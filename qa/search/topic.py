"""A topic that had not yet come up when the asked reports were written.

"湖北06年扶持新能源汽车有哪些措施": the 2006 report of 湖北 never says 新能源汽车; one report in 300 of 2006 and before
does, half of those after it do. Its passages about 汽车 and about 新能源 answer nothing, however well they match word
by word. A compound used as often before as after ("年度目标", "重污染", "三公经费") is more likely the asker's own
wording of what the report says otherwise, and is left to the model; so is every 多少 question, whose metric the
reports name in many ways ("粮食总产" for 粮食总产量).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from weakref import WeakKeyDictionary

from qa.core.records import Document
from qa.lang.synonyms import report_forms

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


class Usage:
    """How many indexed reports of each year use a compound: counted once per compound and kept (the reports of a
    snapshot never change), so a topic asked again costs nothing."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._documents = list(documents)
        self.reports = Counter(doc.year for doc in self._documents)
        self._counts: dict[str, Counter[int | None]] = {}
        self._flat: dict[str, str] = {}

    def flat(self, doc: Document) -> str:
        """The report's text without marks or spaces, lower-cased, as the question's compounds are matched."""
        if doc.doc_id not in self._flat:
            if len(self._flat) >= _FLAT_CACHED:  # a few reports' copies, not the corpus's (46 M characters)
                self._flat.pop(next(iter(self._flat)))
            self._flat[doc.doc_id] = _MARKS.sub("", doc.text).lower()
        return self._flat[doc.doc_id]

    def of(self, compound: str) -> Counter[int | None]:
        if compound not in self._counts:
            if len(self._counts) >= _CACHED:
                self._counts.pop(next(iter(self._counts)))
            upper = compound.upper()  # lower-cased like the question: PM2.5, 5G
            self._counts[compound] = Counter(
                doc.year for doc in self._documents
                if compound in doc.text or (upper != compound and upper in doc.text))
        return self._counts[compound]


_CACHED = 4096
_FLAT_CACHED = 32
_USAGE: WeakKeyDictionary[object, Usage] = WeakKeyDictionary()


def usage_of(owner: object, documents: Callable[[], Iterable[Document]]) -> Usage:
    """The `Usage` of the reports `owner` (a snapshot) holds, made on first use."""
    found = _USAGE.get(owner)
    if found is None:
        found = _USAGE[owner] = Usage(documents())
    return found


def _loosely(compound: str) -> re.Pattern[str]:
    """The compound's characters in order, up to three apart within a clause: a report's full wording of its
    abbreviation (农村电商 in 农村电子商务, 规上企业 in 规模以上企业, 跨境电商 in 跨境贸易电子商务)."""
    return re.compile("[^，。；、,;]{0,3}".join(re.escape(char) for char in compound))


def unmentioned(runs: Sequence[tuple[str, ...]], scoped: Sequence[Document], usage: Usage) -> str | None:
    """The first compound of `runs` (`qa.lang.nouns.compounds`) whose run none of the `scoped` reports says in any
    form, and that is new since their year among the indexed reports (`usage`); None when every run is said in
    part, or its compounds are no newer than they are."""
    years = [doc.year for doc in scoped]
    if not runs or not scoped or len(scoped) > MAX_SCOPE or None in years:
        return None
    flat = [usage.flat(doc) for doc in scoped]

    def said(compound: str) -> bool:
        return any(form.lower() in text for form in report_forms(compound) for text in flat) \
            or any(_loosely(compound).search(text) for text in flat)

    absent = [c for run in runs if not any(said(c) for c in run) for c in run]
    newest = max(y for y in years if y is not None)
    reports_after = sum(n for year, n in usage.reports.items() if year is not None and year > newest)
    reports_before = sum(usage.reports.values()) - reports_after
    for c in absent:
        counts = usage.of(c)
        after = sum(n for year, n in counts.items() if year is not None and year > newest)
        share_after, share_before = after / max(1, reports_after), (sum(counts.values()) - after) / max(1, reports_before)
        if after >= MIN_REPORTS and share_after >= COMMON_SHARE and share_after >= NEWER * share_before:
            return c
    return None
