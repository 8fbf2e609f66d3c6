"""Passage vectors, stored by content: shards of (chunk id, vector) for one model, each checksummed.

Chunk ids are content hashes, so a vector stays valid across re-indexing, merges and uploads of the same
text. The dense pass appends one shard per ~2,000 passages (temp file, fsync, rename, then its checksum
record); a kill loses at most the shard in flight, and the next run embeds only what no shard holds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.index.manifest import write_json_atomic
from qa.index.segment import CorruptIndex, file_sha256, fsync_dir

log = logging.getLogger("reportqa")


def model_key(model: str, dim: int) -> str:
    return hashlib.sha256(f"{model}\x00{dim}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Shard:
    name: str
    ids: np.ndarray  # S20 chunk ids
    vectors: np.ndarray  # float32, one row per id


@dataclass(frozen=True)
class DenseTurn:
    """Whether this process holds the dense-pass lock, and whether another process's pass ran first."""

    held: bool
    waited: bool


class VectorStore:
    """All shards of one model in `data_dir/vectors/<model key>/`."""

    def __init__(self, root: Path, model: str, dim: int) -> None:
        self.folder = root / model_key(model, dim)
        self.model = model
        self.dim = dim

    def load(self, verify: bool = True) -> dict[str, np.ndarray]:
        """chunk id -> vector for every complete shard. A shard that fails its checksum is never used: it is
        moved aside (`*.corrupt`) and logged, and the dense pass embeds its passages again."""
        out: dict[str, np.ndarray] = {}
        if not self.folder.is_dir():
            return out
        for record in sorted(self.folder.glob("*.json")):
            try:
                shard = self._read(record, verify)
            except CorruptIndex as exc:
                log.error("%s; moved aside, its passages will be embedded again", exc)
                for path in (record, record.with_suffix(".npz")):
                    if path.exists():
                        path.rename(path.with_name(path.name + ".corrupt"))
                continue
            for cid, vec in zip(shard.ids.tolist(), shard.vectors, strict=True):
                out[cid.decode("ascii")] = vec
        return out

    def _read(self, record: Path, verify: bool) -> Shard:
        try:
            meta = json.loads(record.read_text(encoding="utf-8"))
            path = record.with_suffix(".npz")
            if verify and file_sha256(path) != meta["sha256"]:
                raise CorruptIndex(f"vector shard {path} does not match its checksum")
            with np.load(path) as data:
                ids, vectors = data["ids"], data["vectors"].astype(np.float32, copy=False)
        except CorruptIndex:
            raise
        except (OSError, ValueError, KeyError) as exc:
            raise CorruptIndex(f"cannot read vector shard {record}: {type(exc).__name__}: {exc}") from exc
        if vectors.shape != (len(ids), self.dim):
            raise CorruptIndex(f"vector shard {record} has shape {vectors.shape}, expected ({len(ids)}, {self.dim})")
        return Shard(record.stem, ids, vectors)

    def write(self, ids: Sequence[str], vectors: np.ndarray) -> str:
        """Commit one shard durably; returns its name."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"shard-{uuid.uuid4().hex[:16]}"
        tmp = self.folder / f".{name}.tmp.npz"
        np.savez(tmp, ids=np.asarray([i.encode("ascii") for i in ids], dtype="S20"),
                 vectors=np.asarray(vectors, dtype=np.float32))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        final = self.folder / f"{name}.npz"
        os.replace(tmp, final)
        write_json_atomic(self.folder / f"{name}.json", {"sha256": file_sha256(final), "count": len(ids),
                                                          "model": self.model, "dim": self.dim})
        fsync_dir(self.folder)
        return name

    @contextmanager
    def dense_pass(self, wait: threading.Event | None = None, poll: float = 1.0) -> Iterator[DenseTurn]:
        """The folder's dense-pass lock, held while one process (or its Ray actors) embeds. Only the holder may
        `clean()`: to anyone else, the holder's shard in flight looks half-written. With `wait`, a busy lock is
        polled until it frees or `wait` is set; without, it is given up at once. The kernel drops the lock with
        its process, so a killed pass never blocks the next."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "DENSE.lock", "a+", encoding="utf-8") as fh:
            waited = False
            while True:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not waited and wait is not None:
                        log.warning("another process is embedding %s; waiting for it to finish", self.folder)
                    if wait is None or wait.wait(poll):
                        yield DenseTurn(held=False, waited=waited)
                        return
                    waited = True
            try:
                yield DenseTurn(held=True, waited=waited)
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def clean(self) -> int:
        """Remove half-written shards (a crash between the data file and its record); returns how many.
        Call it only inside `dense_pass()`."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.iterdir():
            orphan = path.suffix == ".npz" and not path.with_suffix(".json").exists()
            if path.name.startswith(".") or orphan:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
