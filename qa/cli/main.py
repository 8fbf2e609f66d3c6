"""`reportqa index | ask | serve | chat | eval | bench` (also `python -m qa`)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from qa.cli import ask, bench, calibrate, chat, evaluation, index, metadata_eval, serve, timeline
from qa.settings import Settings

COMMANDS = (index, ask, timeline, serve, chat, evaluation, metadata_eval, calibrate, bench)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reportqa", description="Ask China's government work reports; get cited passages.")
    p.add_argument("--model", help="embedding model id or local folder (env REPORTQA_MODEL)")
    p.add_argument("--data-dir", type=Path, help="index folder (env REPORTQA_DATA_DIR)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def configure_logging(verbose: bool) -> None:
    """The one place logging is set up: ours at INFO when verbose, libraries kept quiet."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("reportqa").setLevel(logging.INFO if verbose else logging.WARNING)
    for noisy in ("bm25s", "transformers", "sentence_transformers", "huggingface_hub", "jieba"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging(args.verbose or args.command == "serve")
    settings = Settings.from_env(model=args.model, data_dir=args.data_dir)
    try:
        return int(args.run(args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
