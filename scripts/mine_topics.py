"""Mine the reports for how many of each year's reports name a topic, for asking small indexes about it.

    python scripts/mine_topics.py /tmp/corpus/reports > qa/search/data/topics.tsv

An index of a few reports cannot tell whether they leave out a topic that the reports of their time commonly name
(`qa.search.topic`); this table, from the whole corpus, can. A topic is a compound as a question's are found
(`qa.lang.nouns.compounds`: 低空|经济, 氢能|产业), here in each report's own text, or a single noun (人工智能). The
compounds that at least `MIN_SHARE` of some five years' reports form, and the nouns that `MIN_NOUN_SHARE` of them say,
each in `MIN_REPORTS` reports in all, are kept; each is then counted in every report that
says it anywhere, its spaces and quotation marks left out, as the rule reads the asked reports. (An index's own counts,
`qa.search.topic.Usage`, read each report's raw text, so a compound that a line break splits counts only here.)
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

MIN_SHARE = 1 / 30
# A single noun matters only where 30% of some years' reports say it (`qa.search.topic.SINGLE_ESTABLISHED`). A noun
# is kept by the share of reports whose jieba cut forms it, but counted, as the rule reads it, wherever its characters
# stand: a noun jieba always cuts otherwise in running text (or one with a Latin letter, 5g) is not in the table, so it
# is never absent for the seeds, where a whole-corpus index, counting its own reports, may find it so.
MIN_NOUN_SHARE = 0.25
MIN_REPORTS = 20
WINDOW = 2  # years either side
SKIP = {"2021_hangzhoushi_3e5853f5"}  # a copy of a seed report
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def flat(path: Path) -> str:
    from qa.search.topic import flattened  # as the rule reads a report

    return flattened(path.read_text(encoding="utf-8"))


def formed(path: Path) -> tuple[int, set[str], set[str]]:
    """The report's year, the compounds its text forms and the nouns it says (`qa.lang.nouns.is_content_noun`, as
    a question's topic nouns are found)."""
    from qa.lang.nouns import compound_runs, is_content_noun, tag

    words = tag(flat(path))
    runs = compound_runs(words)
    return (int(path.name[:4]), {c.text for run in runs for c in run if _HAN.match(c.text)},
            {word for word, flag in words if is_content_noun(word, flag) and _HAN.match(word)})


_TOPICS: tuple[str, ...] = ()


def _keep(topics: tuple[str, ...]) -> None:
    global _TOPICS
    _TOPICS = topics


def said(path: Path) -> tuple[int, list[str]]:
    """The report's year and which of the topics (`_keep`) it says."""
    text = flat(path)
    return int(path.name[:4]), [t for t in _TOPICS if t in text]


def windowed(by_year: Counter[int], reports: Counter[int]) -> float:
    """The largest share of some five years' reports that name it."""
    return max(sum(by_year[y] for y in range(c - WINDOW, c + WINDOW + 1))
               / max(1, sum(reports[y] for y in range(c - WINDOW, c + WINDOW + 1))) for c in by_year)


def main(folder: Path) -> None:
    from qa.lang.tokens import tokenizer_fingerprint

    paths = [p for p in sorted(folder.glob("*.txt")) if p.stem not in SKIP and p.name[:4].isdigit()]
    reports: Counter[int] = Counter(int(p.name[:4]) for p in paths)
    forming: dict[str, Counter[int]] = {}
    nouns: dict[str, Counter[int]] = {}
    with ProcessPoolExecutor() as pool:
        for year, found, single in pool.map(formed, paths, chunksize=4):
            for topic in found:
                forming.setdefault(topic, Counter())[year] += 1
            for noun in single:
                nouns.setdefault(noun, Counter())[year] += 1

    def kept(found: dict[str, Counter[int]], share: float) -> set[str]:
        return {t for t, by_year in found.items()
                if sum(by_year.values()) >= MIN_REPORTS and windowed(by_year, reports) >= share}

    candidates = tuple(sorted(kept(forming, MIN_SHARE) | kept(nouns, MIN_NOUN_SHARE)))
    counts: dict[str, Counter[int]] = {t: Counter() for t in candidates}
    with ProcessPoolExecutor(initializer=_keep, initargs=(candidates,)) as pool:
        for year, topics in pool.map(said, paths, chunksize=4):
            for topic in topics:
                counts[topic][year] += 1
    print("# Reports naming each topic, by year, mined by scripts/mine_topics.py from the corpus "
          f"({len(paths)} reports; tokenizer {tokenizer_fingerprint()}).")
    print("# First line: the reports of each year. Then: topic<TAB>year:reports ...")
    print("\t".join(["*", *(f"{y}:{n}" for y, n in sorted(reports.items()))]))
    for topic in candidates:
        print("\t".join([topic, *(f"{y}:{n}" for y, n in sorted(counts[topic].items()))]))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
