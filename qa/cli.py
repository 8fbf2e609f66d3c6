"""`reportqa index | ask | serve | chat | eval | bench`. Heavy imports happen inside commands."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from qa.settings import Settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reportqa", description="Ask China's government work reports; get cited passages.")
    p.add_argument("--model", help="embedding model id or local folder (env REPORTQA_MODEL)")
    p.add_argument("--data-dir", type=Path, help="index folder (env REPORTQA_DATA_DIR)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="index reports (default: seeds/)")
    ix.add_argument("paths", nargs="*", type=Path)
    ix.add_argument("--rebuild", action="store_true", help="ignore cached chunks and vectors")
    ix.add_argument("--add", action="store_true", help="add to the current index instead of replacing its documents")

    ask = sub.add_parser("ask", help="ask one question")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=5)
    ask.add_argument("--json", action="store_true", help="print the JSON response")
    ask.add_argument("--region", action="append", default=[], help="filter: region (repeatable)")
    ask.add_argument("--year", action="append", type=int, default=[], help="filter: report year (repeatable)")
    ask.add_argument("--doc", action="append", default=[], help="filter: doc id (repeatable)")

    sv = sub.add_parser("serve", help="start the HTTP API")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--workers", type=int, default=1)

    ch = sub.add_parser("chat", help="chat with the reports in the terminal")
    ch.add_argument("--url", default="http://127.0.0.1:8000")
    ch.add_argument("--local", action="store_true", help="answer in-process instead of calling a server")
    ch.add_argument("--top-k", type=int, default=5)

    ev = sub.add_parser("eval", help="measure retrieval on a question set")
    ev.add_argument("file", type=Path)
    ev.add_argument("--no-baseline", action="store_true")
    ev.add_argument("--json", type=Path, help="also write the metrics here")

    bn = sub.add_parser("bench", help="latency benchmarks (in-process and over HTTP)")
    bn.add_argument("--questions", type=Path, default=Path("eval/dev_qa.jsonl"))
    bn.add_argument("--rounds", type=int, default=2)
    bn.add_argument("--concurrency", type=int, nargs="*", default=[1, 8])
    return p


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(model=args.model, data_dir=args.data_dir)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = _settings(args)
    from qa import commands

    handler = getattr(commands, f"cmd_{args.command}")
    try:
        return int(handler(args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
