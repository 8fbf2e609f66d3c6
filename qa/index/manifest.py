"""The manifest names the live segments and their tombstones, and records what shaped the index.

It is the single commit point: segments are written first, then the manifest is replaced atomically
(write, fsync, rename, fsync the folder), so a crash at any moment leaves the previous index whole.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT_VERSION = 3
MANIFEST_NAME = "manifest.json"


class ManifestMismatch(RuntimeError):
    """The index on disk was built with settings that differ from the current ones."""


@dataclass(frozen=True)
class SegmentRef:
    name: str
    rows: int
    documents: dict[str, str]  # doc_id -> sha256 of the source file
    checksum: str  # sha256 of the segment's seg.json, which holds the checksum of every file


@dataclass(frozen=True)
class Manifest:
    generation: int
    model: str  # "" when the index was built lexical-only
    dim: int
    chunker: str  # fingerprint of the chunker's parameters and patterns
    tokenizer: str  # fingerprint of jieba, its dictionary, the stopwords and the number rules
    segments: tuple[SegmentRef, ...] = ()
    deleted: tuple[tuple[str, str], ...] = ()  # (segment, doc_id) tombstones
    created_at: str = ""
    format_version: int = FORMAT_VERSION
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def index_version(self) -> str:
        return f"g{self.generation}"

    def live_documents(self) -> dict[str, str]:
        """doc_id -> source sha256 of every document that is not tombstoned."""
        dead = set(self.deleted)
        return {d: sha for s in self.segments for d, sha in s.documents.items() if (s.name, d) not in dead}

    def check(self, model: str, chunker: str, tokenizer: str) -> None:
        """Raise ManifestMismatch with a fix-it message if this index cannot serve with these settings."""
        problems = []
        if self.format_version != FORMAT_VERSION:
            problems.append(f"index format {self.format_version} != {FORMAT_VERSION}")
        if self.chunker != chunker:
            problems.append(f"chunker {self.chunker} != {chunker} (chunking rules changed)")
        if self.tokenizer != tokenizer:
            problems.append(f"tokenizer {self.tokenizer} != {tokenizer} (jieba, its dictionary or the stopwords changed)")
        if model and self.model and self.model != model:
            problems.append(f"built with model {self.model!r}, configured model is {model!r}")
        if problems:
            raise ManifestMismatch(
                "the index on disk does not match the current settings: " + "; ".join(problems)
                + ". Run `reportqa index --rebuild` to rebuild it, or set REPORTQA_MODEL to the model it was built with."
            )


def write_json_atomic(path: Path, data: object) -> None:
    """Write JSON to a temp file in the same folder, fsync, rename over `path`, fsync the folder."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    write_json_atomic(folder / MANIFEST_NAME, asdict(manifest))


def read_manifest(folder: Path) -> Manifest:
    data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    known = set(Manifest.__dataclass_fields__)
    data = {k: v for k, v in data.items() if k in known}
    data["segments"] = tuple(SegmentRef(**s) for s in data.get("segments", ()))
    data["deleted"] = tuple(tuple(d) for d in data.get("deleted", ()))
    return Manifest(**data)
