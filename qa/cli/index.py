"""`reportqa index`: add report files and folders to the index (or, with --replace, index only them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa.cli.common import open_service, progress_bar
from qa.errors import QAError
from qa.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ix = sub.add_parser("index", help="add reports to the index (default: seeds/)",
                        description="Add .txt/.md reports (files or folders) to the index; reports already indexed are "
                                    "kept. With --replace the index holds only PATHs afterwards.")
    ix.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ix.add_argument("--rebuild", action="store_true", help="ignore cached chunks and vectors")
    mode = ix.add_mutually_exclusive_group()
    mode.add_argument("--replace", action="store_true", help="drop every report that is not under PATH")
    # Adding is the default since 0.2; the flag stays so old scripts keep working.
    mode.add_argument("--add", action="store_true", help=argparse.SUPPRESS)
    ix.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    service = open_service(settings)
    paths = args.paths or [settings.seeds_dir]
    try:
        report = service.index_paths(paths, rebuild=args.rebuild, add=not args.replace, progress=progress_bar())
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    for error in report.errors:
        print(f"skipped: {error}", file=sys.stderr)
    print(f"indexed {report.documents} documents, {report.chunks} passages "
          f"({service.retrieval_mode}) into {settings.data_dir} [version {report.index_version}]")
    return 0
