"""Mine the reports for the abbreviations they define ("…（以下简称“双减”）", "…（简称留交会）").

    python scripts/mine_abbreviations.py /tmp/corpus/reports > qa/lang/data/abbreviations.tsv

A pair is kept when the full form is a plausible name (4-30 characters, no clause punctuation), the
abbreviation is 2-8 characters, and the report uses the abbreviation again after defining it. The output
is reviewed by hand before it is committed; query expansion then searches both forms.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

DEFINITION = re.compile(r"([\u4e00-\u9fff《》“”A-Za-z0-9·]{4,40})[（(](?:以下)?简称[：:]?[“\"《]?"
                        r"([^）)”\"》，,、]{2,8})[”\"》]?[）)]")
LEAD = re.compile(r"^(?:.*?(?:落实|实施|推进|推动|依托|关于|建设|深化|开展|出台|制定|印发|设立|成立|举办|启动|打造|组建|的))")
GENERIC = {"纲要", "规划", "建议", "增长", "同比", "意见", "方案", "报告", "规划纲要", "纲要草案", "草案", "本规划", "本报告"}


def full_form(text: str) -> str:
    name = LEAD.sub("", text).strip("《》“”")
    return name if 4 <= len(name) <= 30 else ""


def main(folder: Path) -> None:
    pairs: Counter[tuple[str, str]] = Counter()
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for m in DEFINITION.finditer(text):
            full, short = full_form(m.group(1)), m.group(2).strip()
            if not full or short in GENERIC or short == full or len(short) >= len(full):
                continue
            if text.count(short, m.end()) >= 1:  # the report goes on to use it
                pairs[(short, full)] += 1
    print("# Abbreviations the reports define, mined by scripts/mine_abbreviations.py and reviewed by hand.")
    print("# abbreviation<TAB>full form; query expansion searches both.")
    for (short, full), _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{short}\t{full}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
