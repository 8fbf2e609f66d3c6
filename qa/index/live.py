"""The live index of one data folder: the snapshot readers use, and the writes that replace it.

Every write takes the in-process lock and the writer lock shared with other processes, commits one
manifest, and swaps in the snapshot it describes; the dense pass fills vectors into the live snapshot
shard by shard.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from embeddings.encoder import Encoder
from qa.core.errors import Conflict, InsufficientStorage, NotReady
from qa.core.records import Document
from qa.index import dense, ray_dense, writer
from qa.index.build import Built
from qa.index.manifest import Manifest
from qa.index.segment import CorruptIndex, Segment
from qa.index.snapshot import Snapshot
from qa.index.store import IndexMissing, IndexStore, WriterBusy
from qa.index.vectors import VectorStore
from qa.ingest.chunking import chunker_fingerprint
from qa.lang.tokens import tokenizer_fingerprint

DenseCallback = Callable[[dense.DenseProgress], None]


class LiveIndex:
    def __init__(self, data_dir: Path, encoder: Encoder | None, on_install: Callable[[Snapshot], None]) -> None:
        self.store = IndexStore(data_dir)
        self.encoder = encoder
        self.vectors = VectorStore(data_dir / "vectors", encoder.name, encoder.dim) if encoder else None
        self._on_install = on_install
        self._snap: Snapshot | None = None
        self._write_lock = threading.Lock()
        self.dense_running = threading.Event()

    @property
    def dim(self) -> int:
        return self.encoder.dim if self.encoder else 0

    def shape(self) -> writer.Shape:
        model = self.encoder.name if self.encoder else ""
        return writer.Shape(model, self.dim, chunker_fingerprint(), tokenizer_fingerprint())

    @property
    def current(self) -> Snapshot | None:
        return self._snap

    @property
    def snapshot(self) -> Snapshot:
        if self._snap is None:
            raise NotReady("the index is still being built; try again shortly")
        return self._snap

    def live_documents(self) -> dict[str, Document]:
        return dict(self._snap.documents) if self._snap is not None else {}

    def load(self) -> None:
        """Load the committed index; IndexMissing, ManifestMismatch or CorruptIndex with a clear message."""
        manifest = self.store.manifest()
        shape = self.shape()
        manifest.check(shape.model, shape.chunker, shape.tokenizer)
        try:
            snap = self.store.snapshot(manifest, self.dim)
        except CorruptIndex as exc:
            raise CorruptIndex(f"{exc}. The index in {self.store.root} is damaged and is not used: run "
                               "`reportqa index --rebuild` (vectors are reused by content, uploads are kept)") from exc
        if self.vectors is not None:
            snap.install_vectors(self.vectors.load())
        self._install(snap)

    def _install(self, snap: Snapshot) -> None:
        self._snap = snap
        self._on_install(snap)

    @contextmanager
    def writing(self, rebuild: bool = False) -> Iterator[Manifest]:
        """Both writer locks; yields the manifest a write builds on (an empty one for a rebuild)."""
        with self._write_lock:
            try:
                self.store.lock()
            except WriterBusy as exc:
                raise Conflict(str(exc)) from exc
            try:
                if rebuild:
                    self.store.wipe()
                    self._snap = None
                yield self._base()
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    # Nothing was committed: the manifest is written last, so the previous index still serves.
                    raise InsufficientStorage(f"the disk holding {self.store.root} is full ({exc}); the previous index "
                                              "is still served; free some space and try again") from exc
                raise
            finally:
                self.store.unlock()

    def _base(self) -> Manifest:
        if self._snap is not None:
            return self._snap.manifest
        try:
            return self.store.manifest()
        except IndexMissing:
            return self.shape().empty()

    def apply(self, change: writer.Change) -> Snapshot:
        """Swap in the snapshot a committed change describes, keeping every vector already known."""
        previous = self._snap
        cache: dict[str, Segment] = {v.seg.name: v.seg for v in previous.views} if previous else {}
        cache.update(change.segments)
        snap = Snapshot(change.manifest, self.store.load_segments(change.manifest, cache), self.dim, previous)
        if previous is not None and change.segments:
            snap.carry_vectors(previous, set(change.segments))  # merged or re-uploaded text keeps its vectors
        elif previous is None and self.vectors is not None:
            snap.install_vectors(self.vectors.load())  # a rebuild: vectors are found again by content
        self.store.collect_garbage(change.manifest)
        self._install(snap)
        return snap

    def take(self, base: Manifest, built: Iterable[Built], drop_others: bool = False) -> tuple[writer.Change, writer.Tally]:
        """Commit the segments the builders wrote, then merge small segments if there are too many."""
        change, tally = writer.write_documents(self.store, base, self.live_documents(), built, drop_others)
        if change.manifest is not base:
            snap = self.apply(change)
            merged = writer.merge_segments(self.store, snap)
            if merged is not None:
                self.apply(merged)
        return change, tally

    def delete(self, base: Manifest, doc_ids: list[str]) -> Snapshot:
        return self.apply(writer.delete_documents(self.store, base, doc_ids))

    def optimize(self) -> Snapshot:
        change = writer.merge_segments(self.store, self.snapshot, everything=True)
        if change is not None:
            return self.apply(change)
        # Nothing to merge, but a writer killed mid-write may have left segment folders: the caller holds the
        # writer lock, so no write is in flight and what the committed manifest does not name is such a leftover.
        try:
            self.store.collect_garbage(self.store.manifest())
        except IndexMissing:
            pass
        return self.snapshot

    def embed_on_ray(self, spec: ray_dense.EncoderSpec, workers: int, progress: DenseCallback | None = None,
                     shard_size: int | None = None) -> int:
        """The dense pass on Ray actors instead of this process (same shards, same resume)."""
        if self.encoder is None or self.vectors is None or self.dense_running.is_set():
            return 0
        self.dense_running.set()
        try:
            with self.vectors.dense_pass() as turn:
                if not turn.held:
                    raise Conflict(f"another process is embedding this index ({self.vectors.folder}); "
                                   "its shards count here too: run the Ray pass again when it is done")
                self.vectors.clean()
                return ray_dense.run(self.vectors, self.snapshot, spec, workers, progress, shard_size)
        finally:
            self.dense_running.clear()

    def embed_pending(self, progress: DenseCallback | None = None, stop: threading.Event | None = None) -> int:
        """Run the dense pass until every live passage has a vector (resumable; one runs at a time)."""
        if self.encoder is None or self.vectors is None or self.dense_running.is_set():
            return 0
        self.dense_running.set()
        try:
            # Another process (`reportqa index` beside `serve`) may be embedding the same index: wait for it,
            # then take in its shards, so this pass embeds only what is still missing.
            with self.vectors.dense_pass(wait=stop or threading.Event()) as turn:
                if not turn.held:
                    return 0
                if turn.waited:
                    self.snapshot.install_vectors(self.vectors.load())
                self.vectors.clean()
                return dense.run(self.vectors, lambda: self.snapshot, self.encoder, progress, stop)
        finally:
            self.dense_running.clear()
