"""Mine the reports for how often each year's reports name a topic, for asking small indexes about it.

    python scripts/mine_topics.py /tmp/corpus/reports > qa/search/data/topics.tsv

A topic is two adjacent words of a report (jieba, as the question's compounds are cut: 低空|经济, 氢能|产业), a noun
or attribute then a noun of two or more characters (`qa.lang.nouns.compounds`; a word jieba guessed has no tag and
may be either), counted once per report. An index of a few reports cannot tell whether they leave out a topic
that the reports of their time commonly name (`qa.search.topic`); this table, from the whole corpus, can. Only
pairs that at least `MIN_SHARE` of some five years' reports name, and `MIN_REPORTS` reports in all, are kept.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

MIN_SHARE = 1 / 30
MIN_REPORTS = 20
WINDOW = 2  # years either side
SKIP = {"2021_hangzhoushi_3e5853f5"}  # a copy of a seed report
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_SPACE = re.compile(r"\s+")


def pairs_of(path: Path) -> tuple[int, set[str]]:
    from qa.lang.tokens import segmenter

    cut = segmenter()
    words = [w for w in cut.lcut(_SPACE.sub("", path.read_text(encoding="utf-8")))]
    found = {a + b for a, b in zip(words, words[1:], strict=False)
             if _HAN.match(a) and _HAN.match(b) and len(a + b) >= 3}
    return int(path.name[:4]), found


def nounlike(pair: str) -> bool:
    """Whether jieba cuts `pair` into two words that may lead and end a question's compound."""
    from qa.lang.nouns import COMPOUND_END, COMPOUND_LEAD, dictionary_tag
    from qa.lang.tokens import segmenter

    words = segmenter().lcut(pair)
    if len(words) != 2 or len(words[1]) < 2:
        return False
    lead, end = dictionary_tag(words[0]), dictionary_tag(words[1])
    return (lead is None or lead in COMPOUND_LEAD) and (end is None or end in COMPOUND_END)


def main(folder: Path) -> None:
    paths = [p for p in sorted(folder.glob("*.txt")) if p.stem not in SKIP and p.name[:4].isdigit()]
    reports: Counter[int] = Counter()
    counts: dict[str, Counter[int]] = {}
    with ProcessPoolExecutor() as pool:
        for year, found in pool.map(pairs_of, paths, chunksize=8):
            reports[year] += 1
            for pair in found:
                counts.setdefault(pair, Counter())[year] += 1
    kept = []
    for pair, by_year in counts.items():
        if sum(by_year.values()) < MIN_REPORTS:
            continue
        best = max(sum(by_year[y] for y in range(c - WINDOW, c + WINDOW + 1))
                   / max(1, sum(reports[y] for y in range(c - WINDOW, c + WINDOW + 1))) for c in by_year)
        if best >= MIN_SHARE and nounlike(pair):
            kept.append(pair)
    print("# Reports naming each topic (two adjacent words), by year, mined by scripts/mine_topics.py from the corpus")
    print(f"# ({len(paths)} reports). First line: the reports of each year. Then: topic<TAB>year:reports ...")
    print("\t".join(["*", *(f"{y}:{n}" for y, n in sorted(reports.items()))]))
    for pair in sorted(kept):
        print("\t".join([pair, *(f"{y}:{n}" for y, n in sorted(counts[pair].items()))]))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
