"""`reportqa ask`: one question, answered in the terminal or as JSON.

A running `reportqa serve` answers at once, while loading the model in-process takes seconds, so `ask`
first tries the server (`--url`, else REPORTQA_URL, else http://127.0.0.1:8000) with a short timeout and
falls back to answering in-process; it says on stderr which one answered. `--local` skips the server.
"""

from __future__ import annotations

import argparse
import sys

from qa.chat.backends import ChatError
from qa.chat.http import DEFAULT_URL, HTTPBackend
from qa.cli.common import bounded_int, load_service, print_json
from qa.core.errors import QAError
from qa.core.records import Answer, Filters, ServiceState
from qa.core.settings import Settings

PROBE_TIMEOUT_S = 2.0  # GET /health of a live server on this machine takes milliseconds
CONNECT_TIMEOUT_S = 0.5


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = sub.add_parser("ask", help="ask one question (uses a running server when there is one)")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=bounded_int(1, 50), default=5, help="passages to return, 1-50 (default 5)")
    ask.add_argument("--json", action="store_true", help="print the JSON response")
    ask.add_argument("--region", action="append", default=[], help="filter: region (repeatable)")
    ask.add_argument("--year", action="append", type=bounded_int(1900, 2100), default=[], help="filter: report year (repeatable)")
    ask.add_argument("--doc", action="append", default=[], help="filter: doc id (repeatable)")
    ask.add_argument("--level", action="append", default=[], choices=("national", "province", "city", "district", "county"),
                     help="filter: level (repeatable)")
    ask.add_argument("--from", dest="year_from", type=bounded_int(1900, 2100), help="filter: report years from")
    ask.add_argument("--to", dest="year_to", type=bounded_int(1900, 2100), help="filter: report years to")
    ask.add_argument("--subregions", action="store_true", help="--region also matches its sub-regions")
    ask.add_argument("--as-of", type=bounded_int(1900, 2100), help="read 今年/去年/明年 relative to this year (default: today's)")
    where = ask.add_mutually_exclusive_group()
    where.add_argument("--url", help=f"server to ask first (env REPORTQA_URL; default {DEFAULT_URL})")
    where.add_argument("--local", action="store_true", help="answer in-process; do not look for a server")
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


def find_server(url: str, token: str) -> HTTPBackend | None:
    """A backend for the server at `url` if it answers /health with "ok" in time, else None."""
    probe = HTTPBackend(url, timeout=PROBE_TIMEOUT_S, connect_timeout=CONNECT_TIMEOUT_S, token=token)
    try:
        ready = probe.health().status == ServiceState.OK
    except ChatError:
        ready = False
    finally:
        probe.close()
    return HTTPBackend(url, token=token) if ready else None


def ask_server(backend: HTTPBackend, args: argparse.Namespace, filters: Filters) -> Answer | int:
    print(f"reportqa: answered by the server at {backend.url} (--local answers in-process)", file=sys.stderr)
    try:
        return backend.ask(args.question, top_k=args.top_k, filters=filters, history=(), as_of=args.as_of)
    except ChatError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    finally:
        backend.close()


def ask_local(args: argparse.Namespace, settings: Settings, filters: Filters, url: str | None) -> Answer | int:
    if url:
        print(f"reportqa: no server ready at {url}; answering in-process (loading the model and index)", file=sys.stderr)
    service = load_service(settings)
    if service is None:
        return 2
    try:
        return service.ask(args.question, top_k=args.top_k, filters=filters, as_of=args.as_of)
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace, settings: Settings) -> int:
    filters = Filters(doc_ids=tuple(args.doc), regions=tuple(args.region), years=tuple(args.year),
                      levels=tuple(args.level), year_from=args.year_from, year_to=args.year_to,
                      include_subregions=args.subregions)
    url = None if args.local else (args.url or settings.server_url or DEFAULT_URL).rstrip("/")
    server = find_server(url, settings.api_token) if url else None
    result = ask_server(server, args, filters) if server else ask_local(args, settings, filters, url)
    if isinstance(result, int):
        return result
    if args.json:
        print_json(result)
    else:
        print(format_answer(result))
    return 0
