"""`reportqa index | ask | serve | chat | eval | bench` (also `python -m qa`)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from qa.cli import ask, bench, bench_report, calibrate, chat, evaluation, index, metadata_eval, serve, timeline
from qa.core.errors import QAError
from qa.core.settings import Settings, SettingsError

COMMANDS = (index, ask, timeline, serve, chat, evaluation, metadata_eval, calibrate, bench, bench_report)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reportqa", description="Ask China's government work reports; get cited passages.")
    p.add_argument("--model", help="embedding model id or local folder (env REPORTQA_MODEL)")
    p.add_argument("--data-dir", type=Path, help="index folder (env REPORTQA_DATA_DIR)")
    p.add_argument("--device", help="where the PyTorch encoder runs: cpu (default), cuda, cuda:N or mps (env REPORTQA_DEVICE)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return p


NOISY = ("bm25s", "transformers", "sentence_transformers", "huggingface_hub", "jieba", "ray")


class QuietLibraries(logging.Filter):
    """Drops the chatty libraries' records below ERROR at the handler: bm25s sets its own logger to
    DEBUG when imported, so a level set here would not survive a later (lazy) import."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or record.name.split(".")[0] not in NOISY


def configure_logging(verbose: bool, timestamps: bool = False) -> None:
    """The one place logging is set up: ours at INFO when verbose, libraries kept quiet."""
    fmt = "%(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s " + fmt if timestamps else fmt)
    logging.getLogger("reportqa").setLevel(logging.INFO if verbose else logging.WARNING)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.ERROR)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, QuietLibraries) for f in handler.filters):
            handler.addFilter(QuietLibraries())


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging(args.verbose or args.command == "serve", timestamps=args.command == "serve")
    try:
        settings = Settings.from_env(model=args.model, data_dir=args.data_dir, device=args.device)
        return int(args.run(args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (SettingsError, QAError, OSError) as exc:  # bad settings, input or paths: one line, never a traceback
        message = exc.message if isinstance(exc, QAError) else str(exc)
        print(f"error: {message}", file=sys.stderr)
        return 2
