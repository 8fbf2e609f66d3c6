"""`reportqa index`: add report files and folders to the index (or, with --replace, index only them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa.cli.common import dense_bar, load_service, open_service, print_json, progress_bar
from qa.errors import QAError
from qa.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ix = sub.add_parser("index", help="add reports to the index: .txt .md .pdf .docx .html (default: seeds/)",
                        description="Add reports (.txt .md .pdf .docx .html files or folders) to the index; reports "
                                    "already indexed are kept. With --replace the index holds only PATHs afterwards.")
    ix.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ix.add_argument("--rebuild", action="store_true",
                    help="rebuild the index from scratch (vectors are reused by content)")
    mode = ix.add_mutually_exclusive_group()
    mode.add_argument("--replace", action="store_true", help="drop every report that is not under PATH")
    # Adding is the default since 0.2; the flag stays so old scripts keep working.
    mode.add_argument("--add", action="store_true", help=argparse.SUPPRESS)
    ix.set_defaults(run=run)
    st = sub.add_parser("status", help="what is indexed: reports, passages, segments, dense progress")
    st.add_argument("--json", action="store_true")
    st.set_defaults(run=status)
    op = sub.add_parser("optimize", help="merge all segments into one and drop deleted reports' rows")
    op.set_defaults(run=optimize)


def run(args: argparse.Namespace, settings: Settings) -> int:
    service = open_service(settings)
    paths = args.paths or [settings.seeds_dir]
    try:
        report = service.index_paths(paths, rebuild=args.rebuild, replace_all=args.replace,
                                     progress=progress_bar("reading, chunking, tokenizing", "report"))
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    for reason in report.skipped:
        print(f"skipped: {reason}", file=sys.stderr)
    for error in report.errors:
        print(f"failed: {error}", file=sys.stderr)
    print(f"lexical index: indexed {report.indexed}, unchanged {report.unchanged}, skipped {len(report.skipped)}, "
          f"failed {report.failed}, removed {report.removed}: {report.documents} reports, {report.chunks} passages "
          f"in {settings.data_dir} [{report.index_version}]")
    embedded = service.embed_pending(progress=dense_bar())
    health = service.health()
    print(f"dense pass: {embedded} passages embedded; {health.embedded}/{health.chunks} passages have vectors "
          f"({health.retrieval})")
    return 0


def status(args: argparse.Namespace, settings: Settings) -> int:
    service = load_service(settings, build_if_missing=False)
    if service is None:
        return 2
    health = service.health()
    snap = service.snapshot
    if args.json:
        print_json(health)
        return 0
    print(f"index {health.index_version} in {settings.data_dir}: {health.documents} reports, {health.chunks} passages, "
          f"{len(snap.views)} segments, {len(snap.manifest.deleted)} tombstones")
    print(f"lexical: ready · dense: {health.embedded}/{health.chunks} passages embedded ({health.retrieval})"
          + (f" with {health.model}" if health.model else ""))
    return 0


def optimize(args: argparse.Namespace, settings: Settings) -> int:
    service = load_service(settings, build_if_missing=False)
    if service is None:
        return 2
    before = len(service.snapshot.views)
    try:
        report = service.optimize()
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"merged {before} segments into {len(service.snapshot.views)}: {report.documents} reports, "
          f"{report.chunks} passages [{report.index_version}]")
    return 0
