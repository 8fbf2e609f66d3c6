"""Index writes: add, replace, delete and merge, each ending in one atomic manifest commit.

Adding reports writes new segments; replacing a report tombstones its old rows; deleting writes only a
tombstone. Small segments are merged once there are too many, so an upload never rewrites the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from qa.core.records import Document
from qa.index.build import Built
from qa.index.manifest import Manifest, SegmentRef
from qa.index.segment import Segment, load_segment
from qa.index.snapshot import Snapshot
from qa.index.store import IndexStore

SMALL_SEGMENT_ROWS = 5_000  # segments below this are merged together ...
MAX_SMALL_SEGMENTS = 8  # ... once there are more than this many


@dataclass(frozen=True)
class Shape:
    """What an index is built with; stored in (and checked against) the manifest."""

    model: str
    dim: int
    chunker: str
    tokenizer: str

    def empty(self) -> Manifest:
        return Manifest(generation=0, model=self.model, dim=self.dim, chunker=self.chunker, tokenizer=self.tokenizer)


@dataclass(frozen=True)
class Change:
    manifest: Manifest
    segments: dict[str, Segment]  # newly written segments, by name
    added: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class Tally:
    """What came of the input files, gathered while their segments are written."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def write_documents(store: IndexStore, base: Manifest, live: dict[str, Document], built: Iterable[Built],
                    drop_others: bool = False) -> tuple[Change, Tally]:
    """Take in the segments the workers wrote (with `drop_others`, tombstone every other live report); commit once."""
    tally = Tally()
    refs: list[SegmentRef] = []
    written: dict[str, Segment] = {}
    for item in built:
        tally.written += item.written
        tally.unchanged += item.unchanged
        tally.failed += item.failed
        if item.segment:
            seg = load_segment(store.segments_dir / item.segment)
            refs.append(store.ref(seg))
            written[seg.name] = seg
    replaced = set(tally.written) & set(live)
    dropped = (set(live) - set(tally.written) - set(tally.unchanged)) if drop_others else set()
    if not refs and not dropped:
        return Change(base, {}, unchanged=tuple(tally.unchanged)), tally  # nothing to commit
    tombstones = tuple((s.name, d) for s in base.segments for d in s.documents if d in replaced | dropped)
    manifest = replace(base, generation=base.generation + 1, segments=base.segments + tuple(refs),
                       deleted=_prune_tombstones(base.deleted + tombstones, base.segments + tuple(refs)))
    change = Change(store.commit(_drop_dead_segments(manifest)), written, tuple(tally.written),
                    tuple(tally.unchanged), tuple(sorted(dropped)))
    return change, tally


def delete_documents(store: IndexStore, base: Manifest, doc_ids: Sequence[str]) -> Change:
    tombstones = tuple((s.name, d) for s in base.segments for d in s.documents if d in doc_ids)
    manifest = _drop_dead_segments(replace(base, generation=base.generation + 1,
                                           deleted=_prune_tombstones(base.deleted + tombstones, base.segments)))
    return Change(store.commit(manifest), {}, removed=tuple(doc_ids))


def merge_segments(store: IndexStore, snap: Snapshot, everything: bool = False) -> Change | None:
    """Merge the small segments (or, with `everything`, all of them) into one; None when nothing to do."""
    views = snap.views if everything else [v for v in snap.views if v.seg.rows < SMALL_SEGMENT_ROWS]
    dead_weight = any(not v.alive.all() for v in views)
    if len(views) < 2 and not (everything and dead_weight):
        return None
    if not everything and len(views) <= MAX_SMALL_SEGMENTS:
        return None
    names = [v.seg.name for v in views]
    seg, ref = store.merge(snap, names)
    base = snap.manifest
    kept = tuple(s for s in base.segments if s.name not in names)
    manifest = replace(base, generation=base.generation + 1, segments=(*kept, ref),
                       deleted=tuple(t for t in base.deleted if t[0] not in names))
    return Change(store.commit(manifest), {seg.name: seg})


def _prune_tombstones(deleted: tuple[tuple[str, str], ...], segments: tuple[SegmentRef, ...]) -> tuple[tuple[str, str], ...]:
    names = {s.name for s in segments}
    return tuple(dict.fromkeys(t for t in deleted if t[0] in names))


def _drop_dead_segments(manifest: Manifest) -> Manifest:
    """A segment whose every report is tombstoned is dropped from the manifest, with its tombstones."""
    dead = set(manifest.deleted)
    empty = {s.name for s in manifest.segments if s.documents and all((s.name, d) in dead for d in s.documents)}
    if not empty:
        return manifest
    return replace(manifest, segments=tuple(s for s in manifest.segments if s.name not in empty),
                   deleted=tuple(t for t in manifest.deleted if t[0] not in empty))
