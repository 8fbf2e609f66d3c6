"""The versioned manifest written next to an index, checked before the index is used."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT_VERSION = 2
MANIFEST_NAME = "manifest.json"


class ManifestMismatch(RuntimeError):
    """The index on disk was built with settings that differ from the current ones."""


@dataclass(frozen=True)
class Manifest:
    index_version: str
    model: str  # "" when the index was built lexical-only
    dim: int
    chunker: str  # fingerprint of the chunker's parameters and patterns
    tokenizer: str  # fingerprint of jieba, its dictionary, the stopwords and synonyms
    documents: dict[str, str] = field(default_factory=dict)  # doc_id -> sha256 of the file bytes
    chunks: int = 0
    created_at: str = ""
    format_version: int = FORMAT_VERSION

    def check(self, model: str, chunker: str, tokenizer: str) -> None:
        """Raise ManifestMismatch with a fix-it message if this index cannot serve `model`."""
        problems = []
        if self.format_version != FORMAT_VERSION:
            problems.append(f"index format {self.format_version} != {FORMAT_VERSION}")
        if self.chunker != chunker:
            problems.append(f"chunker {self.chunker} != {chunker} (chunking rules changed)")
        if self.tokenizer != tokenizer:
            problems.append(f"tokenizer {self.tokenizer} != {tokenizer} (jieba, its dictionary, stopwords or synonyms changed)")
        if model and self.model != model:
            problems.append(f"built with model {self.model or '(none: lexical only)'!r}, configured model is {model!r}")
        if problems:
            raise ManifestMismatch(
                "the index on disk does not match the current settings: " + "; ".join(problems)
                + ". Run `reportqa index --rebuild` to rebuild it, or set REPORTQA_MODEL to the model it was built with."
            )


def write_json_atomic(path: Path, data: object) -> None:
    """Write JSON to a temp file in the same folder, fsync, then rename over `path`."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    write_json_atomic(folder / MANIFEST_NAME, asdict(manifest))


def read_manifest(folder: Path) -> Manifest:
    data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    known = set(Manifest.__dataclass_fields__)
    return Manifest(**{k: v for k, v in data.items() if k in known})
