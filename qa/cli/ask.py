"""`reportqa ask`: one question, answered in the terminal or as JSON."""

from __future__ import annotations

import argparse
import sys

from qa.cli.common import load_service, print_json
from qa.errors import QAError
from qa.records import Answer, Filters
from qa.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = sub.add_parser("ask", help="ask one question")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=5)
    ask.add_argument("--json", action="store_true", help="print the JSON response")
    ask.add_argument("--region", action="append", default=[], help="filter: region (repeatable)")
    ask.add_argument("--year", action="append", type=int, default=[], help="filter: report year (repeatable)")
    ask.add_argument("--doc", action="append", default=[], help="filter: doc id (repeatable)")
    ask.set_defaults(run=run)


def format_answer(result: Answer) -> str:
    lines = []
    if result.rewritten_question:
        lines.append(f"(理解为：{result.rewritten_question})")
    lines.append(result.answer)
    if result.passages:
        lines.append("")
        lines.append("来源：" if result.answerable else "可能相关：")
    for p in result.passages:
        c = p.citation
        page = "" if c.page is None else f" · 第{c.page}页" if c.page_end is None else f" · 第{c.page}–{c.page_end}页"
        lines.append(f"[{p.rank}] {c.title} · {c.section or '（无标题）'} · 字符 {c.start}–{c.end}{page}  ({c.source})")
        snippet = p.text.replace("\n", " ")
        lines.append(f"    {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
    lines.append(f"\n检索方式：{result.retrieval} · 用时 {result.took_ms:.0f} ms")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    service = load_service(settings)
    if service is None:
        return 2
    filters = Filters(doc_ids=tuple(args.doc), regions=tuple(args.region), years=tuple(args.year))
    try:
        result = service.ask(args.question, top_k=args.top_k, filters=filters)
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print_json(result)
    else:
        print(format_answer(result))
    return 0
