#!/usr/bin/env python3
"""Generate a probe of unanswerable questions from the gazetteer and the corpus manifest (stdlib only).

Every question names a place or a year that no indexed report covers, so the right answer is always an honest
"not found": prefecture-level places with no report, counties and districts (under an indexed city or not), a
year missing inside a place's run of reports, and a year before its first report. It tests the mechanisms (place
and year understanding, the ancestor fallback), not a dev set: nothing is tuned on it.

    python3 eval/probe_unanswerable.py ../shared/corpus/MANIFEST.tsv --out /tmp/probe.jsonl \
        [--exclude eval/corpus_qa.jsonl]   # leave out every place a held-out or fresh question there names
    reportqa --data-dir DATA_DIR eval /tmp/probe.jsonl --no-baseline   # "unanswerable_accuracy" is the share flagged
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import random
from pathlib import Path

PLACES = Path(__file__).resolve().parent.parent / "qa" / "lang" / "data" / "places.tsv"
OUTCOMES = ("{p}{y}年GDP增长了多少", "{p}{yy}年地区生产总值是多少", "{p}{y}年城镇居民人均可支配收入多少",
            "{p}{yy}年财政收入涨了多少")
TARGETS = ("{p}{y}年GDP增长目标是多少", "{p}{yy}年经济增速目标定的多少", "{p}{y}年城镇新增就业目标是多少",
           "{p}{yy}年固定资产投资计划增长多少")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


def probe(manifest: Path, seed: int = 7, per_kind: int = 20) -> list[dict[str, str]]:
    rng = random.Random(seed)
    years: dict[str, set[int]] = collections.defaultdict(set)
    for row in read_tsv(manifest):
        years[row["region"]].add(int(row["year"]))
    places = read_tsv(PLACES)
    short = {p["name"]: p["short"] or p["name"] for p in places}

    def ask(name: str, year: int, templates: tuple[str, ...] = OUTCOMES + TARGETS) -> str:
        return rng.choice(templates).format(p=name, y=year, yy=str(year)[2:])

    out = []
    cities = [p for p in places if p["level"] == "city" and p["name"] not in years]
    out += [("no_place_city", ask(p["short"] or p["name"], rng.randint(2012, 2023))) for p in cities]
    lower = [p for p in places if p["level"] in ("county", "district") and p["name"] not in years]
    free = [p for p in lower if p["parent"] not in years]
    out += [("no_place_county", ask(p["short"] or p["name"], rng.randint(2012, 2023)))
            for p in rng.sample(free, min(per_kind, len(free)))]
    under = [p for p in lower if p["parent"] in years]
    out += [("no_place_under_indexed_city", ask(p["name"], rng.randint(2012, 2023)))
            for p in rng.sample(under, min(per_kind, len(under)))]
    regions = sorted(r for r in years if r != "国务院" and len(years[r]) >= 5)
    gaps = [(r, y) for r in regions for y in range(min(years[r]), max(years[r])) if y not in years[r]]
    # A target for a year with no report of that year: its own report would set it.
    out += [("no_year_gap", ask(short.get(r, r), y, TARGETS)) for r, y in rng.sample(gaps, min(per_kind, len(gaps)))]
    out += [("no_year_before", ask(short.get(r, r), min(years[r]) - rng.randint(3, 10)))
            for r in rng.sample(regions, min(per_kind // 2, len(regions)))]
    return [{"id": f"p{i:03d}", "question": q, "type": "unanswerable", "gold": [], "split": "probe", "note": kind}
            for i, (kind, q) in enumerate(out, 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("manifest", type=Path, help="the corpus MANIFEST.tsv (file, year, level, region, …)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="a dev set whose held-out questions' places the probe must not name (split other than tune)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=20, help="questions of each kind drawn (before --exclude)")
    args = parser.parse_args()
    rows = [json.loads(line) for path in args.exclude for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    asked = [row["question"] for row in rows if row.get("split") != "tune"]
    items = [item for item in probe(args.manifest, args.seed, args.per_kind)
             if not any(item["question"][:2] in question for question in asked)]
    args.out.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    print(f"wrote {len(items)} questions to {args.out}: "
          + ", ".join(f"{k} {v}" for k, v in collections.Counter(i["note"] for i in items).items()))


if __name__ == "__main__":
    main()
