"""A topic that had not yet come up when the asked reports were written, or that they leave out.

"湖北06年扶持新能源汽车有哪些措施": the 2006 report of 湖北 never says 新能源汽车; one report in 300 of 2006 and before
does, half of those after it do. Its passages about 汽车 and about 新能源 answer nothing, however well they match word
by word. A compound used as often before as after ("年度目标", "重污染", "三公经费") is more likely the asker's own
wording of what the report says otherwise, and is left to the model. A topic the reports of its time commonly
name ("武威23年氢能产业有什么规划": one report in ten of 2021–2025 says 氢能产业) is absent when the asked report
never even says one of its words (氢能); one whose words it does say ("年度目标") may be put another way there.
A single noun ("海南17年发展人工智能有什么部署") is absent when the asked reports never say it and at least 30% of the
reports of its time do, but not nearly all: a noun nearly every report says (招商) is common stock, not a topic.
Every 多少 question is left to the model too: the reports name a metric in many ways ("粮食总产" for 粮食总产量).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Protocol
from weakref import WeakKeyDictionary

from qa.core.records import Document
from qa.lang.nouns import Compound
from qa.lang.synonyms import report_forms
from qa.lang.tokens import tokenizer_fingerprint

log = logging.getLogger("reportqa")

# A topic is new when later reports use it at least `NEWER` times as often as the reports of the asked year and
# before, and at least `COMMON_SHARE` of them (and `MIN_REPORTS`) do. On the corpus dev set's tuning half, the
# unanswerable questions' compounds were 25 to 290 times as common after as before, each used by half of the later
# reports or more; the answerable ones' absent compounds about as common before as after (0.5 to 1.3 times).
NEWER = 4.0
COMMON_SHARE = 1 / 30
MIN_REPORTS = 20
# Or a topic the reports of its time commonly name: at least `ESTABLISHED` of those within `NEAR` years of the asked
# one (and `MIN_NEAR` reports) use the compound, and the asked reports never say one of its words at all (氢能 of
# 氢能产业, 低空 of 低空经济). On the tuning halves, the answerable questions' absent compounds with such a word reached
# 0.031 ("四大支柱产业"), the unanswerable ones' 0.074 to 0.70; "年度目标" (0.153) has both its words in the report.
# `MIN_NEAR` was 100 until the corpus's reports of the late 1990s (89 within two years of 2000) were found too few
# for it; 60 keeps a share's sampling error under about 0.06.
ESTABLISHED = 0.05
NEAR = 2
MIN_NEAR = 60
# A single noun the question asks about ("海南17年发展人工智能有什么部署": jieba keeps 人工智能 whole) is absent when
# the asked reports never say it, and at least `SINGLE_ESTABLISHED` of the reports within `NEAR` years do (again of
# `MIN_NEAR` or more; the seeds read the table, which counts single nouns too). On the tuning halves, the
# unanswerable questions' absent nouns reached 0.32 to 0.82 (人工智能 0.47, 慈善事业 0.32); the answerable ones', the
# asker's own words for what the reports say otherwise, 0.003 to 0.26 (楼市, 停车难, 营商), except 简政放权 (0.35),
# asked of 2011, two years before the reports took the phrase up. A noun nearly every report of the time says
# (`SINGLE_EVERYWHERE`: 招商, 农民) is the reports' common stock, not a topic: one that leaves it out has put the thing
# another way ("打响‘投资钱塘就是投资未来’品牌" for 招商品牌).
SINGLE_ESTABLISHED = 0.30
SINGLE_EVERYWHERE = 0.90
# Narrow scopes only: a question about a whole province's decade reads too many reports for absence to mean much.
MAX_SCOPE = 6
# Marks a report puts inside a compound ("“三公”经费") or a PDF leaves between its characters.
_MARKS = re.compile(r"[\s“”‘’\"'《》〈〉「」]")


def flattened(text: str) -> str:
    """`text` without marks or spaces, lower-cased, as the question's compounds are matched in it."""
    return _MARKS.sub("", text).lower()


class Counts(Protocol):
    reports: Counter[int | None]  # reports of each year

    def of(self, compound: str) -> Counter[int | None]:
        """The reports of each year that use `compound`."""
        ...


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
            self._flat[doc.doc_id] = flattened(doc.text)
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


class Mined:
    """The whole corpus's counts (`data/topics.tsv`, written by scripts/mine_topics.py): for an index too small to
    say what the reports of a time commonly name (the four seed reports). The table holds the compounds that the
    reports' own text forms often enough; one it lacks counts as named by none, so its absence proves nothing."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.reports: Counter[int | None] = Counter()
        self.tokenizer: str | None = None  # the fingerprint of the tokenizer it was mined with
        self._counts: dict[str, Counter[int | None]] = {}
        for line in lines:
            if line.startswith("#"):
                if found := _MINED_WITH.search(line):
                    self.tokenizer = found.group(1)
                continue
            if not line.strip():
                continue
            key, *cells = line.rstrip("\n").split("\t")
            counts: Counter[int | None] = Counter()
            for cell in cells:
                year, n = cell.split(":")
                counts[int(year)] = int(n)
            if key == "*":
                self.reports = counts
            else:
                self._counts[key] = counts

    def of(self, compound: str) -> Counter[int | None]:
        return self._counts.get(compound, Counter())


_MINED_WITH = re.compile(r"tokenizer (\S+?)\)")


@lru_cache(maxsize=1)
def mined() -> Mined:
    text = resources.files("qa.search").joinpath("data/topics.tsv").read_text(encoding="utf-8")
    table = Mined(text.splitlines())
    if table.tokenizer != tokenizer_fingerprint():
        # Another jieba cuts other compounds: the counts still hold for most, so this warns and goes on.
        log.warning("data/topics.tsv was mined with tokenizer %s, and this one is %s: re-run "
                    "scripts/mine_topics.py on the corpus", table.tokenizer, tokenizer_fingerprint())
    return table


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


def unmentioned(runs: Sequence[tuple[Compound, ...]], scoped: Sequence[Document], usage: Usage,
                 corpus: Callable[[], Counts] = mined, singles: Sequence[str] = ()) -> str | None:
    """The first compound of `runs` (`qa.lang.nouns.compounds`) whose run none of the `scoped` reports says in any
    form, and that is new since their year among the indexed reports (`usage`), or the `corpus`'s where that knows
    more reports of their time; None when every run is said in part, or its compounds are neither newer than they
    are nor common in their time with a word they never say. Then the first of the question's `singles`
    (`qa.lang.nouns.topic_nouns`) the scoped reports never say and 30–90% of the reports of their time do."""
    years = [doc.year for doc in scoped]
    if not (runs or singles) or not scoped or len(scoped) > MAX_SCOPE or None in years:
        return None
    flat = [usage.flat(doc) for doc in scoped]

    def said(compound: str) -> bool:
        return any(form.lower() in text for form in report_forms(compound) for text in flat) \
            or any(_loosely(compound).search(text) for text in flat)

    def unsaid_word(compound: Compound) -> bool:
        # The words the question was cut into: cut alone, 普惠托育 would be 普惠托|育.
        return any(len(word) >= 2 and not any(word in text for text in flat)
                   for word in (compound.first, compound.second))

    absent = [c for run in runs if not any(said(c.text) for c in run) for c in run]
    lone = [noun for noun in singles if not said(noun)]
    if not absent and not lone:
        return None
    newest = max(y for y in years if y is not None)

    def near(counts: Counter[int | None]) -> int:
        return _reports(counts, lambda year: abs(year - newest) <= NEAR)

    counted: Counts = usage
    if near(usage.reports) < MIN_NEAR and near((table := corpus()).reports) > near(usage.reports):
        counted = table
    reports_after = _reports(counted.reports, lambda year: year > newest)
    reports_before = sum(counted.reports.values()) - reports_after
    reports_near = near(counted.reports)
    for c in absent:
        counts = counted.of(c.text)
        after = _reports(counts, lambda year: year > newest)
        share_after, share_before = after / max(1, reports_after), (sum(counts.values()) - after) / max(1, reports_before)
        if after >= MIN_REPORTS and share_after >= COMMON_SHARE and share_after >= NEWER * share_before:
            return c.text
        if reports_near >= MIN_NEAR and near(counts) >= ESTABLISHED * reports_near and unsaid_word(c):
            return c.text
    if reports_near >= MIN_NEAR:
        return next((noun for noun in lone
                     if SINGLE_ESTABLISHED * reports_near <= near(counted.of(noun)) < SINGLE_EVERYWHERE * reports_near),
                    None)
    return None


def _reports(counts: Counter[int | None], when: Callable[[int], bool]) -> int:
    """How many of the counted reports are of a year `when` holds for (an undated one never)."""
    return sum(n for year, n in counts.items() if year is not None and when(year))
