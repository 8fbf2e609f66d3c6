"""`reportqa timeline`: one place across years, a cited sentence and its figures per report-year."""

from __future__ import annotations

import argparse
import sys

from qa.cli.common import load_service, print_json
from qa.core.errors import QAError
from qa.core.records import Timeline
from qa.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tl = sub.add_parser("timeline", help="a figure across years: one cited sentence per report-year")
    tl.add_argument("question", help="e.g. 国务院历年城镇新增就业目标")
    tl.add_argument("--region", help="the place (default: the one in the question, else 国务院)")
    tl.add_argument("--from", dest="year_from", type=int, help="first report year")
    tl.add_argument("--to", dest="year_to", type=int, help="last report year")
    tl.add_argument("--json", action="store_true")
    tl.set_defaults(run=run)


def format_timeline(result: Timeline) -> str:
    lines = [f"{result.region} · {result.question}"]
    by_year = {e.year: e for e in result.entries}
    for year in result.years:
        entry = by_year.get(year)
        if entry is None:
            lines.append(f"{year}  （无相关段落）")
            continue
        figs = "、".join(f.text for f in entry.figures) or "（无数字）"
        cite = entry.passage.citation
        lines.append(f"{year}  {figs:<16s} {entry.sentence[:80]}  [{cite.doc_id} {cite.start}–{cite.end}]")
    lines.append(f"\n用时 {result.took_ms:.0f} ms")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    service = load_service(settings)
    if service is None:
        return 2
    try:
        result = service.timeline(args.question, args.region, args.year_from, args.year_to)
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print_json(result)
    else:
        print(format_timeline(result))
    return 0
