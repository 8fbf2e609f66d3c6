"""`reportqa index`: add report files and folders to the index (or, with --replace, index only them)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from embeddings.backends import load_encoder
from qa.cli.bench_encoders import sample_passages
from qa.cli.common import bounded_int, dense_bar, load_service, open_service, print_json, progress_bar
from qa.core.errors import QAError
from qa.core.service import QAService
from qa.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ix = sub.add_parser("index", help="add reports to the index: .txt .md .pdf .docx .html (default: seeds/)",
                        description="Add reports (.txt .md .pdf .docx .html files or folders) to the index; reports "
                                    "already indexed are kept. With --replace the index holds only PATHs afterwards.")
    ix.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ix.add_argument("--rebuild", action="store_true",
                    help="rebuild the index from scratch (vectors are reused by content)")
    ix.add_argument("--ray", type=bounded_int(1, 1024), metavar="WORKERS",
                    help="run the dense pass on this many Ray actors (RAY_ADDRESS, else a local Ray; needs the ray extra)")
    ix.add_argument("--measure-floor", action="store_true",
                    help="before the dense pass, time PyTorch fp32 on 256 of its passages (the floor speeds are compared to)")
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
    started = time.perf_counter()
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
    lexical_s = time.perf_counter() - started
    floor = measure_floor(settings, service) if args.measure_floor else None
    started_dense = time.perf_counter()
    try:
        embedded = (service.embed_on_ray(args.ray, progress=dense_bar()) if args.ray
                    else service.embed_pending(progress=dense_bar()))
    except QAError as exc:  # Ray missing or a worker that cannot load the encoder; the lexical index stands
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    dense_s = time.perf_counter() - started_dense
    health = service.health()
    backend = service.encoder.backend if service.encoder else "none"
    print(f"dense pass: {embedded} passages embedded with {backend} in {dense_s:.0f} s; {health.embedded}/"
          f"{health.chunks} passages have vectors ({health.retrieval})")
    print(f"took {lexical_s:.0f} s lexical + {dense_s:.0f} s dense")
    # Kept for `reportqa bench`, which reports the phases of the last full run.
    (settings.data_dir / "index-timings.json").write_text(json.dumps({
        "lexical_s": round(lexical_s, 1), "dense_s": round(dense_s, 1), "indexed": report.indexed,
        "passages": health.chunks, "embedded": embedded, "backend": backend, "floor_passages_per_s": floor,
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}, indent=1), encoding="utf-8")
    return 0


def measure_floor(settings: Settings, service: QAService) -> float | None:
    """PyTorch fp32 passages/s on 256 passages of this index, timed in this run."""
    encoder, error = load_encoder(settings.model, "cpu", "torch")
    if encoder is None:
        print(f"floor not measured: {error}", file=sys.stderr)
        return None
    passages = sample_passages(service.snapshot, 256)
    encoder.encode_passages(passages[:32])
    started = time.perf_counter()
    encoder.encode_passages(passages, batch_size=32)
    rate = len(passages) / (time.perf_counter() - started)
    print(f"PyTorch fp32 floor: {rate:.1f} passages/s on {len(passages)} passages of this index")
    return round(rate, 2)


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
