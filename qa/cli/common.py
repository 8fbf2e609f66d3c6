"""What every command shares: opening the service with a clear message, progress bars, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

from tqdm import tqdm

from qa.core.service import QAService
from qa.core.settings import Settings
from qa.index.dense import DenseProgress
from qa.index.manifest import ManifestMismatch
from qa.index.store import IndexMissing


def progress_bar(desc: str = "embedding passages", unit: str = "passage") -> Callable[[int, int], None]:
    """A tqdm bar created on the first update, so an empty phase prints nothing."""
    bar: tqdm[Any] | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if total == 0:
            return
        if bar is None:
            bar = tqdm(total=total, desc=desc, unit=unit)
        if done > bar.n:  # tqdm prints its 0% line itself; refreshing at 0 would print it twice
            bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def dense_bar() -> Callable[[DenseProgress], None]:
    """Progress of the dense pass: passages embedded of all live passages, with tqdm's rate and ETA."""
    bar: tqdm[Any] | None = None

    def update(p: DenseProgress) -> None:
        nonlocal bar
        if bar is None:
            if p.done >= p.total:
                return  # nothing to embed: no bar at all
            bar = tqdm(total=p.total, initial=p.done, desc="embedding passages", unit="passage")
        bar.total = p.total
        bar.update(p.done - bar.n)
        if p.done >= p.total:
            bar.close()

    return update


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high], else a usage error naming the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range; use {low} to {high}")
        return value

    return parse


def open_service(settings: Settings) -> QAService:
    # No model means lexical-only mode: QAService.create already says so, loudly, on the log (stderr).
    return QAService.create(settings)


def load_service(settings: Settings, build_if_missing: bool = True) -> QAService | None:
    """Open the service with its index, printing a clear message instead of a traceback."""
    service = open_service(settings)
    try:
        if build_if_missing:
            service.ensure_index(progress=progress_bar())
        else:
            service.load()
    except (ManifestMismatch, IndexMissing) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return service


def print_json(data: object) -> None:
    if is_dataclass(data) and not isinstance(data, type):
        data = asdict(data)
    print(json.dumps(data, ensure_ascii=False, indent=2))
