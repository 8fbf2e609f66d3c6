"""Ingest throughput: how fast report files are read (extraction + layout) and chunked, in pages and chars per second.

`python -m qa.cli.ingest_bench FILE_OR_FOLDER ...` prints one line per format; `reportqa bench` can call
`ingest_throughput`. Embedding is left out: it depends on the model and is measured by `reportqa bench`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.core.settings import project_root
from qa.ingest.chunking import chunk_document
from qa.ingest.files import read_document, scan
from qa.lang.places import PlaceMatcher


@dataclass(frozen=True)
class IngestBench:
    suffix: str
    files: int
    pages: int  # 0 for unpaged formats
    chars: int
    chunks: int
    read_s: float  # bytes -> Document (extraction, page offsets, metadata)
    chunk_s: float  # Document -> Chunks (layout clean-up and chunking)

    @property
    def pages_per_s(self) -> float:
        total = self.read_s + self.chunk_s
        return self.pages / total if total else 0.0

    @property
    def chars_per_s(self) -> float:
        total = self.read_s + self.chunk_s
        return self.chars / total if total else 0.0


def ingest_throughput(paths: Sequence[Path], repeat: int = 1) -> list[IngestBench]:
    """Read and chunk every supported file under `paths` (`repeat` times, best run kept), per format."""
    matcher = PlaceMatcher()
    root = project_root()
    by_suffix: dict[str, list[tuple[Path, bytes]]] = {}
    for path in scan(paths).files:
        by_suffix.setdefault(path.suffix.lower(), []).append((path, path.read_bytes()))
    results = []
    for suffix, files in sorted(by_suffix.items()):
        best: IngestBench | None = None
        for _ in range(max(1, repeat)):
            pages = chars = chunks = 0
            read_s = chunk_s = 0.0
            for path, data in files:
                started = time.perf_counter()
                doc = read_document(path, root, matcher, {}, data=data)
                read_s += time.perf_counter() - started
                started = time.perf_counter()
                chunks += len(chunk_document(doc))
                chunk_s += time.perf_counter() - started
                pages += len(doc.pages)
                chars += len(doc.text)
            run = IngestBench(suffix, len(files), pages, chars, chunks, read_s, chunk_s)
            if best is None or run.read_s + run.chunk_s < best.read_s + best.chunk_s:
                best = run
        assert best is not None
        results.append(best)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for r in ingest_throughput(args.paths, args.repeat):
        paged = f"{r.pages} pages, {r.pages_per_s:.1f} pages/s, " if r.pages else ""
        print(f"{r.suffix}: {r.files} files, {paged}{r.chars} chars, {r.chars_per_s / 1000:.0f}k chars/s, "
              f"{r.chunks} chunks; read {r.read_s:.2f}s + chunk {r.chunk_s:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
