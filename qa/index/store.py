"""The index on disk: segments, vector shards and the manifest that commits them, behind one writer lock.

    data_dir/manifest.json            the committed state (replaced atomically)
    data_dir/segments/<name>/         immutable segments, each checksummed
    data_dir/vectors/<model key>/     content-addressed vector shards, each checksummed
    data_dir/LOCK                     held (flock) by the one process that writes
Anything not named by the manifest (a segment written before a crash, a half-written shard) is removed
by the next writer; a file that fails its checksum stops the load with a message saying how to rebuild.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from qa.index.manifest import MANIFEST_NAME, Manifest, SegmentRef, read_manifest, write_manifest
from qa.index.postings import Postings
from qa.index.segment import CorruptIndex, Segment, file_sha256, load_segment, merge_arrays, save
from qa.index.snapshot import Snapshot


class IndexMissing(FileNotFoundError):
    """No index has been built in this data folder yet."""


class WriterBusy(RuntimeError):
    """Another process holds the writer lock."""


class IndexStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir
        self.segments_dir = data_dir / "segments"
        self.vectors_dir = data_dir / "vectors"
        self._lock_fh: IO[str] | None = None

    # ----- reading -------------------------------------------------------------------------
    def manifest(self) -> Manifest:
        if not (self.root / MANIFEST_NAME).is_file():
            if (self.root / "CURRENT").is_file():
                raise IndexMissing(f"the index in {self.root} has an older format; run `reportqa index --rebuild`")
            raise IndexMissing(f"no index in {self.root}; run `reportqa index` first")
        try:
            return read_manifest(self.root)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CorruptIndex(f"{self.root / MANIFEST_NAME} is unreadable ({exc}); run `reportqa index --rebuild`") from exc

    def load_segments(self, manifest: Manifest, cache: dict[str, Segment] | None = None) -> list[Segment]:
        """The manifest's segments, verified against their checksums (reusing already loaded ones)."""
        out = []
        for ref in manifest.segments:
            if cache and ref.name in cache:
                out.append(cache[ref.name])
                continue
            folder = self.segments_dir / ref.name
            if not (folder / "seg.json").is_file() or file_sha256(folder / "seg.json") != ref.checksum:
                raise CorruptIndex(f"segment {folder} is missing or does not match the manifest; "
                                   "run `reportqa index --rebuild` to rebuild the index")
            out.append(load_segment(folder))
        return out

    def snapshot(self, manifest: Manifest, dim: int, cache: dict[str, Segment] | None = None) -> Snapshot:
        return Snapshot(manifest, self.load_segments(manifest, cache), dim)

    # ----- writing (callers hold the lock) ----------------------------------------------------
    def lock(self) -> None:
        """Take the writer lock; WriterBusy if another process has it."""
        if self._lock_fh is not None:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        fh = open(self.root / "LOCK", "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.close()
            raise WriterBusy(f"another reportqa process is writing the index in {self.root}; try again when it is done") from exc
        self._lock_fh = fh

    @property
    def lock_fd(self) -> int | None:
        return self._lock_fh.fileno() if self._lock_fh is not None else None

    def unlock(self) -> None:
        if self._lock_fh is not None:
            fcntl.flock(self._lock_fh.fileno(), fcntl.LOCK_UN)
            self._lock_fh.close()
            self._lock_fh = None

    def ref(self, seg: Segment) -> SegmentRef:
        checksum = file_sha256(self.segments_dir / seg.name / "seg.json")
        return SegmentRef(seg.name, seg.rows, {d.doc_id: d.sha256 for d in seg.docs}, checksum)

    def merge(self, snap: Snapshot, names: Sequence[str]) -> tuple[Segment, SegmentRef]:
        """One new segment holding the live rows of the named segments (no re-tokenizing)."""
        views = [v for v in snap.views if v.seg.name in names]
        docs, arrays, sections, texts = merge_arrays((v.seg, v.alive) for v in views)
        postings = Postings.merge([(v.seg.postings, v.alive) for v in views])
        self.segments_dir.mkdir(parents=True, exist_ok=True)
        seg = save(self.segments_dir, f"seg-{uuid.uuid4().hex[:16]}", docs, arrays, sections, texts, postings)
        return seg, self.ref(seg)

    def commit(self, manifest: Manifest) -> Manifest:
        """Make `manifest` the live index (atomic); returns it with its generation and time stamped."""
        stamped = replace(manifest, created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        write_manifest(self.root, stamped)
        return stamped

    def collect_garbage(self, manifest: Manifest) -> list[str]:
        """Remove segment folders the manifest does not name (crash leftovers, merged-away segments)."""
        keep = {s.name for s in manifest.segments}
        removed = []
        if self.segments_dir.is_dir():
            for folder in self.segments_dir.iterdir():
                if folder.name not in keep:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder.name)
        for stale in self.root.glob(f".{MANIFEST_NAME}.tmp-*"):
            if not stale.name.endswith(f"-{os.getpid()}"):
                stale.unlink(missing_ok=True)
        return removed

    def wipe(self) -> None:
        """Remove every index file (for --rebuild); uploads and vector shards are kept for reuse."""
        for name in (MANIFEST_NAME, "CURRENT"):
            (self.root / name).unlink(missing_ok=True)
        for folder in (self.segments_dir, self.root / "versions"):
            shutil.rmtree(folder, ignore_errors=True)
