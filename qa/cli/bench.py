"""`reportqa bench`: latency, encoder backends against the PyTorch floor, upload/delete at the index's scale,
disk and memory, and the vector-search rule; writes BENCHMARKS.md (with one SVG plot) from the run."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from qa.cli import bench_encoders, bench_latency, bench_load, bench_scale
from qa.cli.common import load_service
from qa.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bn = sub.add_parser("bench", help="benchmarks; writes BENCHMARKS.md")
    bn.add_argument("--questions", type=Path, default=Path("eval/dev_qa.jsonl"))
    bn.add_argument("--rounds", type=int, default=1)
    bn.add_argument("--concurrency", type=int, nargs="*", default=[1, 8])
    bn.add_argument("--encoders", type=int, default=256, help="passages for the encoder comparison (0: skip)")
    bn.add_argument("--upload", type=Path, help="a report to upload into (a copy of) the index and delete again")
    bn.add_argument("--ann", type=int, default=0, help="synthetic vectors for the IVF-vs-exact check (e.g. 1000000)")
    bn.add_argument("--load", type=int, default=0, help="POST /ask this many times at once (with uploads/deletes "
                    "meanwhile when REPORTQA_API_TOKEN is set)")
    bn.add_argument("--load-concurrency", type=int, default=32)
    bn.add_argument("--out", type=Path, help="write the results here (as .json, for `reportqa bench-report`)")
    bn.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    service = load_service(settings, build_if_missing=False)
    if service is None:
        return 2
    health = service.health()
    result: dict[str, object] = {
        "date": dt.date.today().isoformat(), "machine": bench_latency.machine(), "model": settings.model,
        "backend": service.encoder.backend if service.encoder else "none", "data_dir": str(settings.data_dir),
        "reports": health.documents, "passages": health.chunks, "embedded": health.embedded,
        "index": bench_scale.last_index(settings.data_dir), "disk_mb": bench_scale.disk_mb(settings.data_dir),
    }
    if args.encoders:
        result["encoders"] = bench_encoders.compare(settings, service.snapshot, args.encoders)
        print(json.dumps(result["encoders"], ensure_ascii=False, indent=1))
    if args.upload:
        result["upload"] = bench_scale.upload_and_delete(settings, args.upload, service)
        print(json.dumps(result["upload"], indent=1))
    del service  # the latency runs load their own; two copies of the index would distort the memory figures
    latency = bench_latency.run_latency(settings, bench_latency.questions(args.questions) * max(1, args.rounds),
                                        args.concurrency)
    if latency is None:
        return 2
    result["latency"] = latency
    print(bench_latency.table(latency["rows"]))
    if args.load:
        proc, base = bench_latency.serve(settings)
        try:
            bench_latency.wait_healthy(base, proc, timeout_s=600)
            load = bench_load.run_load(base, bench_latency.questions(args.questions), args.load, args.load_concurrency,
                                       proc.pid, settings.api_token)
        finally:
            bench_latency.stop(proc)
        result["load"] = load.summary() | {"concurrency": args.load_concurrency, "examples": load.errors[:5]}
        print(json.dumps(result["load"], ensure_ascii=False, indent=1))
    if args.ann:
        result["ann"] = bench_scale.ann(args.ann)
        print(json.dumps(result["ann"], indent=1))
    if args.out:
        args.out.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {args.out.with_suffix('.json')}; `reportqa bench-report {args.out.with_suffix('.json')}` "
              "turns one or more of these into BENCHMARKS.md")
    return 0
