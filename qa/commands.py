"""Implementations of the CLI subcommands (imported only after argument parsing)."""

from __future__ import annotations

import argparse
import logging
import sys

from embeddings.manifest import ManifestMismatch
from qa.errors import QAError
from qa.records import Answer, Filters
from qa.service import QAService
from qa.settings import Settings
from qa.store import IndexMissing


def _progress_bar():
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc="embedding passages", unit="chunk", disable=total == 0)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def _open(settings: Settings) -> QAService:
    logging.getLogger("reportqa").setLevel(logging.WARNING)
    service = QAService.create(settings)
    if service.encoder is None:
        print(f"WARNING: {service.health().get('warning')}", file=sys.stderr)
    return service


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    service = _open(settings)
    paths = args.paths or [settings.seeds_dir]
    try:
        report = service.index_paths(paths, rebuild=args.rebuild, add=args.add, progress=_progress_bar())
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    for error in report["errors"]:
        print(f"skipped: {error}", file=sys.stderr)
    print(f"indexed {report['documents']} documents, {report['chunks']} passages "
          f"({service.retrieval_mode}) into {settings.data_dir} [version {report['index_version']}]")
    return 0


def load_service(settings: Settings, build_if_missing: bool = True) -> QAService | None:
    """Open the service with its index, printing a clear message instead of a traceback."""
    service = _open(settings)
    try:
        if build_if_missing:
            service.ensure_index(progress=_progress_bar())
        else:
            service.load()
    except (ManifestMismatch, IndexMissing) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return service


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
        lines.append(f"[{p.rank}] {c.title} · {c.section or '（无标题）'} · 字符 {c.start}–{c.end}  ({c.source})")
        snippet = p.text.replace("\n", " ")
        lines.append(f"    {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
    lines.append(f"\n检索方式：{result.retrieval} · 用时 {result.took_ms:.0f} ms")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from qa.cli import print_json

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
        print_json(result.to_dict())
    else:
        print(format_answer(result))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import os

    import uvicorn

    # The app factory reads settings from the environment, so CLI overrides travel that way
    # (and reach every worker process).
    os.environ["REPORTQA_MODEL"] = settings.model
    os.environ["REPORTQA_DATA_DIR"] = str(settings.data_dir)
    uvicorn.run("api.app:create_app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info", access_log=False)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from qa.chat_cli import run_chat

    return run_chat(args, settings)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from qa.evaluation import run_eval

    service = load_service(settings)
    if service is None:
        return 2
    return run_eval(service, args.file, baseline_too=not args.no_baseline, json_out=args.json)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from qa.bench import run_bench

    return run_bench(args, settings)
