"""Persist and load index snapshots: a folder per version, swapped in by one atomic rename.

Layout of the data folder:
    CURRENT                      name of the live version (replaced atomically)
    versions/<version>/          documents.jsonl, chunks.jsonl, vectors.npy, faiss.index, bm25/, manifest.json
A crash while writing leaves only a `.tmp-*` folder behind; CURRENT still names the old version.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.vector_index import VectorIndex
from qa.index.lexical import LexicalIndex
from qa.index.manifest import Manifest, read_manifest, write_manifest
from qa.index.snapshot import Snapshot
from qa.records import Chunk, Document

CURRENT = "CURRENT"
KEEP_VERSIONS = 2


class IndexMissing(FileNotFoundError):
    """No index has been built in this data folder yet."""


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def save_snapshot(data_dir: Path, snap: Snapshot) -> Path:
    """Write a snapshot as a new version and point CURRENT at it; return its folder."""
    versions = data_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    final = versions / snap.manifest.index_version
    tmp = versions / f".tmp-{snap.manifest.index_version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    _write_jsonl(tmp / "documents.jsonl", [asdict(d) for d in snap.documents.values()])
    _write_jsonl(tmp / "chunks.jsonl", [asdict(c) for c in snap.chunks])
    if snap.vectors is not None:
        np.save(tmp / "vectors.npy", snap.vectors)
        assert snap.dense is not None, "a snapshot with vectors always has its dense index"
        snap.dense.save(tmp / "faiss.index")
    (tmp / "bm25").mkdir()
    snap.lexical.save(tmp / "bm25")
    write_manifest(tmp, snap.manifest)  # last: a folder without a manifest is incomplete
    _fsync_tree(tmp)
    os.replace(tmp, final)
    _write_current(data_dir, final.name)
    _prune(versions, keep={final.name})
    return final


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def _write_current(data_dir: Path, name: str) -> None:
    tmp = data_dir / f".{CURRENT}.tmp-{os.getpid()}"
    tmp.write_text(name + "\n", encoding="utf-8")
    os.replace(tmp, data_dir / CURRENT)


def _prune(versions: Path, keep: set[str]) -> None:
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    for old in done[:-KEEP_VERSIONS]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in versions.glob(".tmp-*"):
        if not stale.name.endswith(f"-{os.getpid()}"):
            shutil.rmtree(stale, ignore_errors=True)


def current_folder(data_dir: Path) -> Path:
    pointer = data_dir / CURRENT
    if not pointer.is_file():
        raise IndexMissing(f"no index in {data_dir}; run `reportqa index` first")
    folder = data_dir / "versions" / pointer.read_text(encoding="utf-8").strip()
    if not (folder / "manifest.json").is_file():
        raise IndexMissing(f"index folder {folder} is incomplete (no manifest); run `reportqa index --rebuild`")
    return folder


def load_manifest(data_dir: Path) -> Manifest:
    return read_manifest(current_folder(data_dir))


def load_snapshot(data_dir: Path, with_vectors: bool = True) -> Snapshot:
    """Load the live version; the caller checks the manifest before trusting it."""
    folder = current_folder(data_dir)
    manifest = read_manifest(folder)
    documents = {}
    for row in _read_jsonl(folder / "documents.jsonl"):
        row["inferred"] = tuple(row.get("inferred", ()))
        documents[row["doc_id"]] = Document(**row)
    chunks = [Chunk(**row) for row in _read_jsonl(folder / "chunks.jsonl")]
    vectors = dense = None
    if with_vectors and (folder / "vectors.npy").is_file():
        vectors = np.load(folder / "vectors.npy")
        dense = VectorIndex.load(folder / "faiss.index")
    lexical = LexicalIndex.load(folder / "bm25")
    return Snapshot(manifest, documents, chunks, lexical, vectors, dense)
