"""The dense pass on Ray Data (the optional `ray` extra): a pool of encoder actors writes the same vector shards.

The driver writes the passages no shard holds yet, shortest first, to Parquet files of one shard each beside
the vectors, and hands Ray Data their names. Every actor loads the encoder once, reads one file at a time and
commits its shard itself, durably and checksummed, into the index's vector folder, exactly as the in-process
pass does; the index takes them in on its next load (or at once, here). A killed run loses only the shards in
flight and a rerun embeds only what is still missing. `RAY_ADDRESS` points at an existing cluster; without it
a private local Ray of `workers` + 1 CPUs is started. Every worker must see the data folder, the model and the
model export cache at the same paths (a shared file system on a cluster).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.core.errors import QAError
from qa.index.dense import SHARD_SIZE, DenseProgress
from qa.index.snapshot import Snapshot
from qa.index.vectors import VectorStore
from qa.ingest.chunking import embedding_text

log = logging.getLogger("reportqa")


class RayUnavailable(QAError):
    code = "ray_unavailable"


@dataclass(frozen=True)
class EncoderSpec:
    """What each actor needs to load the same encoder as the index's: model, backend, device, export cache."""

    model: str
    backend: str
    device: str
    cache: Path | None
    threads: int  # per actor, so the actors of one machine share its cores instead of fighting over them


class ShardWriter:
    """A Ray actor: one encoder, and each batch it gets (one shard's passages) embedded and committed."""

    def __init__(self, spec: EncoderSpec, folder_root: Path, dim: int) -> None:
        from embeddings.backends import load_encoder  # in the worker process

        if spec.backend == "torch" and spec.device == "cpu":
            import torch  # only the PyTorch backend needs it; OpenVINO takes `threads` below

            torch.set_num_threads(spec.threads)
        encoder, reason = load_encoder(spec.model, spec.device, spec.backend, spec.cache, threads=spec.threads)
        if encoder is None:
            raise RayUnavailable(f"a Ray worker could not load the encoder: {reason}")
        if encoder.dim != dim:
            raise RayUnavailable(f"a Ray worker's encoder has dimension {encoder.dim}, the index {dim}")
        self.encoder = encoder
        self.store = VectorStore(folder_root, spec.model, dim)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import pyarrow.parquet as pq  # a dependency of ray[data]

        names, counts = [], []
        for part in batch["part"]:  # one Parquet file of pending passages is one shard
            table = pq.read_table(str(part))
            ids = [str(i) for i in table.column("id").to_pylist()]
            vectors = self.encoder.encode_passages([str(t) for t in table.column("text").to_pylist()])
            names.append(self.store.write(ids, vectors))
            counts.append(len(ids))
        return {"shard": np.asarray(names), "count": np.asarray(counts),
                "worker": np.asarray([os.getpid()] * len(names))}


def pending_parts(snap: Snapshot, folder: Path, part_rows: int) -> int:
    """Write the live passages with no vector, shortest first (batches pad little), as Parquet files of
    `part_rows` rows (one shard each) into `folder`; returns how many files. The driver holds one file's texts
    in memory at a time, and the workers read them from the files (on the shared file system a cluster needs
    anyway)."""
    import pyarrow as pa  # a dependency of ray[data]
    import pyarrow.parquet as pq

    missing, lengths = snap.missing_vectors()
    rows = missing[np.argsort(lengths, kind="stable")]
    folder.mkdir(parents=True, exist_ok=True)
    for part, begin in enumerate(range(0, len(rows), part_rows)):
        ids, texts = [], []
        for row in rows[begin:begin + part_rows].tolist():
            chunk = snap.chunk(row)
            ids.append(chunk.chunk_id)
            texts.append(embedding_text(snap.document_of(row).title, chunk.section, chunk.text))
        # Zero-padded names: Ray reads the files in name order, which keeps the shortest-first order.
        pq.write_table(pa.table({"id": ids, "text": texts}), folder / f"part-{part:06d}.parquet")
    return -(-len(rows) // part_rows)


def _connect(ray: Any, workers: int) -> None:
    """Join RAY_ADDRESS, else start a private local Ray; any failure is a RayUnavailable that says why."""
    address = os.environ.get("RAY_ADDRESS")
    try:
        if address:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
        else:
            # "local" starts a new Ray even where one already runs on this machine, instead of failing to join it.
            # One CPU beyond the actors': Ray Data keeps some for its own operators and would run fewer actors.
            ray.init(address="local", num_cpus=workers + 1, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
    except Exception as exc:  # ConnectionError, ValueError, RuntimeError...: Ray has no common base class
        where = f"the Ray cluster at RAY_ADDRESS={address}" if address else "a local Ray"
        raise RayUnavailable(f"cannot start {where}: {type(exc).__name__}: {str(exc)[:300]}") from exc


def run(vectors: VectorStore, snap: Snapshot, spec: EncoderSpec, workers: int,
        progress: Callable[[DenseProgress], None] | None = None, shard_size: int | None = None) -> int:
    """Embed every passage of `snap` that has no vector on `workers` Ray actors; returns how many were embedded.
    The new shards are installed into `snap` when the run ends. The caller holds the dense-pass lock."""
    try:
        import ray  # optional: pip install -e '.[ray]'
        import ray.data
    except ImportError as exc:
        raise RayUnavailable(f"Ray Data is not installed ({exc}): pip install -e '.[ray]' "
                             "(or pip install 'ray[data]')") from exc
    size = shard_size or SHARD_SIZE
    root = vectors.folder.parent
    for stale in root.glob(".ray-pending-*"):  # a killed driver's; the dense-pass lock says no one else uses it
        shutil.rmtree(stale, ignore_errors=True)
    parts = root / f".ray-pending-{uuid.uuid4().hex[:12]}"
    try:
        files = pending_parts(snap, parts, size)
        if not files:
            return 0
        return _embed(ray, parts, files, vectors, snap, spec, workers, progress)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
        snap.install_vectors(vectors.load())


def _embed(ray: Any, parts: Path, files: int, vectors: VectorStore, snap: Snapshot, spec: EncoderSpec, workers: int,
           progress: Callable[[DenseProgress], None] | None) -> int:
    started = time.perf_counter()
    if not ray.is_initialized():
        _connect(ray, workers)
    context: Any = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    # One row (and block) per file: the driver never ships texts, and each actor takes one shard at a time.
    paths = sorted(str(p) for p in parts.glob("part-*.parquet"))
    dataset = ray.data.from_items([{"part": p} for p in paths], override_num_blocks=files)
    # A fixed pool, one shard in flight per actor: by default Ray queues several batches on the first actor
    # that is ready and retires the others as idle, so a short run would use one worker. On a GPU each
    # actor asks Ray for one, which also makes Ray set CUDA_VISIBLE_DEVICES for it (else it hides them all).
    pool = ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1)
    gpus = 1 if spec.device.startswith("cuda") else 0
    written = dataset.map_batches(ShardWriter, fn_constructor_args=(spec, vectors.folder.parent, vectors.dim),
                                  batch_size=1, compute=pool, num_cpus=1, num_gpus=gpus, batch_format="numpy")
    embedded = 0
    done_before, total = snap.embedded, snap.alive_rows
    pids: set[int] = set()
    try:
        for batch in written.iter_batches(batch_size=1, batch_format="numpy"):
            embedded += int(batch["count"].sum())
            pids.update(int(p) for p in batch["worker"])
            if progress:
                rate = embedded / max(time.perf_counter() - started, 1e-9)
                remaining = total - done_before - embedded
                progress(DenseProgress(done_before + embedded, total, rate, remaining / rate if rate else None))
    except Exception as exc:  # a worker that died or could not load the encoder: Ray wraps it in its own types
        raise RayUnavailable(f"the Ray dense pass stopped after {embedded} passages (their shards are kept; "
                             f"a rerun embeds the rest): {type(exc).__name__}: {str(exc)[:500]}") from exc
    log.info("ray dense pass: %d passages embedded by %d workers in %.0f s", embedded, len(pids),
             time.perf_counter() - started)
    return embedded
