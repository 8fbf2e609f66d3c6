"""`reportqa index`: (re)build the index from report files and folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa.cli.common import open_service, progress_bar
from qa.errors import QAError
from qa.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ix = sub.add_parser("index", help="index reports: .txt .md .pdf .docx .html (default: seeds/)")
    ix.add_argument("paths", nargs="*", type=Path)
    ix.add_argument("--rebuild", action="store_true", help="ignore cached chunks and vectors")
    ix.add_argument("--add", action="store_true", help="add to the current index instead of replacing its documents")
    ix.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    service = open_service(settings)
    paths = args.paths or [settings.seeds_dir]
    try:
        report = service.index_paths(paths, rebuild=args.rebuild, add=args.add, progress=progress_bar())
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    for reason in report.skipped:
        print(f"skipped: {reason}", file=sys.stderr)
    for error in report.errors:
        print(f"failed: {error}", file=sys.stderr)
    print(f"indexed {report.indexed}, unchanged {report.unchanged}, skipped {len(report.skipped)}, "
          f"failed {report.failed}: {report.documents} documents, {report.chunks} passages "
          f"({service.retrieval_mode}) into {settings.data_dir} [version {report.index_version}]")
    return 0
