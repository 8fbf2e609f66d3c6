"""An immutable segment: a few reports, their chunks and their BM25 postings, in one checksummed folder.

Each report's text is stored once (docs.jsonl); a chunk is its span plus the raw spans of its pieces, and
`layout.render` rebuilds its text. Files are written under a temporary name, fsynced, checksummed into
seg.json and renamed into place, so a segment folder either exists whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.core.records import Chunk, Document
from qa.index.postings import Postings
from qa.ingest.chunking import Spans
from qa.ingest.layout import render

SEGMENT_FORMAT = 1
ARRAYS = ("doc", "ordinal", "start", "end", "section", "chunk_id", "piece_ptr", "piece_start", "piece_end")


class CorruptIndex(RuntimeError):
    """A segment or vector file is missing, truncated or does not match its checksum."""


@dataclass(frozen=True)
class PreparedDoc:
    """A document chunked and tokenized, ready to go into a segment (built in worker processes)."""

    doc: Document
    chunks: tuple[tuple[Chunk, Spans], ...]
    tokens: tuple[tuple[str, ...], ...]


class Segment:
    """A loaded segment: documents, chunk arrays and postings, all read-only."""

    def __init__(self, name: str, docs: list[Document], arrays: dict[str, np.ndarray], sections: list[str],
                 texts: dict[int, str], postings: Postings) -> None:
        self.name = name
        self.docs = docs
        self.a = arrays
        self.sections = sections
        self.texts = texts  # rows whose text `render` cannot rebuild exactly
        self.postings = postings
        self.rows = len(arrays["doc"])
        self.doc_ranges: dict[str, tuple[int, int]] = {}
        doc_col = arrays["doc"]
        bounds = np.flatnonzero(np.diff(doc_col)) + 1 if self.rows else np.zeros(0, np.int64)
        starts = np.concatenate([[0], bounds]) if self.rows else np.zeros(0, np.int64)
        ends = np.concatenate([bounds, [self.rows]]) if self.rows else np.zeros(0, np.int64)
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            self.doc_ranges[docs[int(doc_col[s])].doc_id] = (s, e)

    def chunk_id(self, row: int) -> str:
        return bytes(self.a["chunk_id"][row]).decode("ascii")

    def spans(self, row: int) -> Spans:
        a, b = int(self.a["piece_ptr"][row]), int(self.a["piece_ptr"][row + 1])
        return tuple(zip(self.a["piece_start"][a:b].tolist(), self.a["piece_end"][a:b].tolist(), strict=True))

    def document(self, row: int) -> Document:
        return self.docs[int(self.a["doc"][row])]

    def text(self, row: int) -> str:
        if row in self.texts:
            return self.texts[row]
        return render(self.document(row).text, self.spans(row))

    def chunk(self, row: int) -> Chunk:
        return Chunk(chunk_id=self.chunk_id(row), doc_id=self.document(row).doc_id, ordinal=int(self.a["ordinal"][row]),
                     section=self.sections[int(self.a["section"][row])], start=int(self.a["start"][row]),
                     end=int(self.a["end"][row]), text=self.text(row))


# ----- writing ---------------------------------------------------------------------------
def build_arrays(prepared: Sequence[PreparedDoc]) -> tuple[dict[str, np.ndarray], list[str], dict[int, str]]:
    sections: dict[str, int] = {}
    cols: dict[str, list[Any]] = {k: [] for k in ARRAYS if k != "piece_ptr"}
    ptr = [0]
    texts: dict[int, str] = {}
    row = 0
    for d, item in enumerate(prepared):
        for chunk, spans in item.chunks:
            cols["doc"].append(d)
            cols["ordinal"].append(chunk.ordinal)
            cols["start"].append(chunk.start)
            cols["end"].append(chunk.end)
            cols["section"].append(sections.setdefault(chunk.section, len(sections)))
            cols["chunk_id"].append(chunk.chunk_id.encode("ascii"))
            for s, e in spans:
                cols["piece_start"].append(s)
                cols["piece_end"].append(e)
            ptr.append(len(cols["piece_start"]))
            if render(item.doc.text, spans) != chunk.text:
                texts[row] = chunk.text
            row += 1
    arrays = {k: np.asarray(v, dtype=np.int32) for k, v in cols.items() if k != "chunk_id"}
    arrays["chunk_id"] = np.asarray(cols["chunk_id"], dtype="S20").reshape(-1)
    arrays["piece_ptr"] = np.asarray(ptr, dtype=np.int64)
    return arrays, list(sections), texts


def write_segment(folder: Path, name: str, prepared: Sequence[PreparedDoc]) -> Segment:
    """Write a new segment folder atomically and return it loaded."""
    arrays, sections, texts = build_arrays(prepared)
    postings = Postings.build([t for item in prepared for t in item.tokens])
    docs = [item.doc for item in prepared]
    return save(folder, name, docs, arrays, sections, texts, postings)


def save(folder: Path, name: str, docs: list[Document], arrays: dict[str, np.ndarray], sections: list[str],
         texts: dict[int, str], postings: Postings) -> Segment:
    tmp = folder / f".tmp-{name}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with open(tmp / "docs.jsonl", "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
    (tmp / "sections.json").write_text(json.dumps(sections, ensure_ascii=False), encoding="utf-8")
    (tmp / "texts.json").write_text(json.dumps({str(k): v for k, v in texts.items()}, ensure_ascii=False), "utf-8")
    for key, value in arrays.items():
        np.save(tmp / f"{key}.npy", value)
    postings.save(tmp)
    files = sorted(p.name for p in tmp.iterdir())
    meta = {"format": SEGMENT_FORMAT, "name": name, "rows": len(arrays["doc"]), "documents": [d.doc_id for d in docs],
            "files": {f: file_sha256(tmp / f) for f in files}}
    (tmp / "seg.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    fsync_tree(tmp)
    final = folder / name
    os.replace(tmp, final)
    fsync_dir(folder)
    return Segment(name, docs, arrays, sections, texts, postings)


def load_segment(folder: Path, verify: bool = True) -> Segment:
    """Load a segment; with `verify`, every file must match the checksum recorded when it was written."""
    try:
        meta = json.loads((folder / "seg.json").read_text(encoding="utf-8"))
        if verify:
            for file_name, digest in meta["files"].items():
                if file_sha256(folder / file_name) != digest:
                    raise CorruptIndex(f"{folder / file_name} does not match its checksum")
        with open(folder / "docs.jsonl", encoding="utf-8") as fh:
            docs = [_document(json.loads(line)) for line in fh if line.strip()]
        arrays = {k: np.load(folder / f"{k}.npy") for k in ARRAYS}
        sections = json.loads((folder / "sections.json").read_text(encoding="utf-8"))
        texts = {int(k): v for k, v in json.loads((folder / "texts.json").read_text(encoding="utf-8")).items()}
        postings = Postings.load(folder)
    except CorruptIndex:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorruptIndex(f"cannot read segment {folder}: {type(exc).__name__}: {exc}") from exc
    return Segment(folder.name, docs, arrays, sections, texts, postings)


def _document(row: dict[str, Any]) -> Document:
    row["inferred"] = tuple(row.get("inferred", ()))
    return Document(**row)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def merge_arrays(parts: Iterable[tuple[Segment, np.ndarray]]) -> tuple[
        list[Document], dict[str, np.ndarray], list[str], dict[int, str]]:
    """Concatenate the live documents of several segments (`keep` masks rows) into one segment's columns."""
    docs: list[Document] = []
    sections: dict[str, int] = {}
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ARRAYS}
    texts: dict[int, str] = {}
    row = 0
    piece_total = 0
    for seg, keep in parts:
        rows = np.flatnonzero(keep)
        if not len(rows):
            continue
        old_docs = np.unique(seg.a["doc"][rows])
        doc_map = np.full(len(seg.docs), -1, np.int32)
        for d in old_docs.tolist():
            doc_map[d] = len(docs)
            docs.append(seg.docs[d])
        sec_map = np.asarray([sections.setdefault(s, len(sections)) for s in seg.sections], np.int32)
        cols["doc"].append(doc_map[seg.a["doc"][rows]])
        for key in ("ordinal", "start", "end", "chunk_id"):
            cols[key].append(seg.a[key][rows])
        cols["section"].append(sec_map[seg.a["section"][rows]])
        ptr = seg.a["piece_ptr"]
        lengths = (ptr[rows + 1] - ptr[rows]).astype(np.int64)
        idx = np.concatenate([np.arange(ptr[r], ptr[r + 1]) for r in rows.tolist()]) if len(rows) else np.zeros(0, int)
        cols["piece_start"].append(seg.a["piece_start"][idx])
        cols["piece_end"].append(seg.a["piece_end"][idx])
        cols["piece_ptr"].append(piece_total + np.cumsum(lengths))
        piece_total += int(lengths.sum())
        for new, old in enumerate(rows.tolist()):
            if old in seg.texts:
                texts[row + new] = seg.texts[old]
        row += len(rows)
    arrays = {k: np.concatenate(v) if v else np.zeros(0, np.int32) for k, v in cols.items() if k != "piece_ptr"}
    arrays["piece_ptr"] = np.concatenate([np.zeros(1, np.int64), *cols["piece_ptr"]])
    if not cols["chunk_id"]:
        arrays["chunk_id"] = np.zeros(0, dtype="S20")
    return docs, arrays, list(sections), texts
