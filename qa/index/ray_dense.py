"""The dense pass on Ray Data (the optional `ray` extra): a pool of encoder actors writes the same vector shards.

The driver lists the passages no shard holds yet, shortest first, and hands them to Ray Data in blocks of one
shard each. Every actor loads the encoder once and commits each shard itself, durably and checksummed, into
the index's vector folder, exactly as the in-process pass does; the index takes them in on its next load (or
at once, here). A killed run loses only the shards in flight and a rerun embeds only what is still missing.
`RAY_ADDRESS` points at an existing cluster; without it a local Ray of `workers` CPUs is started. Every
worker must see the data folder and the model at the same paths (a shared file system on a cluster).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import QAError
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
        ids = [str(i) for i in batch["id"]]
        vectors = self.encoder.encode_passages([str(t) for t in batch["text"]])
        name = self.store.write(ids, vectors)
        return {"shard": np.asarray([name]), "count": np.asarray([len(ids)]), "worker": np.asarray([os.getpid()])}


def pending(snap: Snapshot) -> list[dict[str, str]]:
    """The live passages with no vector, shortest first (batches pad little), as Ray Data rows."""
    missing, lengths = snap.missing_vectors()
    rows = missing[np.argsort(lengths, kind="stable")].tolist()
    out = []
    for row in rows:
        chunk = snap.chunk(row)
        out.append({"id": chunk.chunk_id, "text": embedding_text(snap.document_of(row).title, chunk.section, chunk.text)})
    return out


def run(vectors: VectorStore, snap: Snapshot, spec: EncoderSpec, workers: int,
        progress: Callable[[DenseProgress], None] | None = None, shard_size: int | None = None) -> int:
    """Embed every passage of `snap` that has no vector on `workers` Ray actors; returns how many were embedded.
    The new shards are installed into `snap` when the run ends."""
    try:
        import ray  # optional: pip install -e '.[ray]'
    except ImportError as exc:
        raise RayUnavailable("Ray is not installed: pip install -e '.[ray]' (or pip install 'ray[data]')") from exc
    items = pending(snap)
    if not items:
        return 0
    started = time.perf_counter()
    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        if address:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
        else:
            # One CPU beyond the actors': Ray Data keeps some for its own operators and would run fewer actors.
            ray.init(num_cpus=workers + 1, include_dashboard=False, log_to_driver=False, configure_logging=False)
    context: Any = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    size = shard_size or SHARD_SIZE
    dataset = ray.data.from_items(items, override_num_blocks=max(1, -(-len(items) // size)))
    # A fixed pool, one shard in flight per actor: by default Ray queues several batches on the first actor
    # that is ready and retires the others as idle, so a short run would use one worker.
    pool = ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1)
    written = dataset.map_batches(ShardWriter, fn_constructor_args=(spec, vectors.folder.parent, vectors.dim),
                                  batch_size=size, compute=pool, num_cpus=1, batch_format="numpy")
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
    finally:
        snap.install_vectors(vectors.load())
    log.info("ray dense pass: %d passages embedded by %d workers in %.0f s", embedded, len(pids),
             time.perf_counter() - started)
    return embedded
