"""Typed, frozen records shared by every layer of reportqa."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One report: its raw decoded text plus catalog metadata."""

    doc_id: str
    title: str
    region: str
    year: int | None
    level: str
    kind: str
    source: str
    text: str
    sha256: str
    encoding: str = "utf-8"
    inferred: tuple[str, ...] = ()

    def meta(self) -> dict[str, Any]:
        """Metadata without the text, for listings and manifests."""
        data = asdict(self)
        data.pop("text")
        data["inferred"] = list(self.inferred)
        data["chars"] = len(self.text)
        return data


@dataclass(frozen=True)
class Chunk:
    """A paragraph-sized passage: `text` is `document.text[start:end]` with line joins."""

    chunk_id: str
    doc_id: str
    ordinal: int
    section: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    source: str
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its rank, fused score and citation."""

    rank: int
    score: float
    text: str
    chunk_id: str
    citation: Citation

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "text": self.text,
            "chunk_id": self.chunk_id,
            "citation": asdict(self.citation),
        }


@dataclass(frozen=True)
class Filters:
    """Hard filters; an empty tuple means no restriction on that field."""

    doc_ids: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.doc_ids or self.regions or self.years)


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str = ""


@dataclass(frozen=True)
class Answer:
    """The product's response; `to_dict` is the JSON shape shared by CLI and HTTP."""

    question: str
    answer: str
    answerable: bool
    retrieval: str
    passages: tuple[Passage, ...]
    took_ms: float
    rewritten_question: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "answerable": self.answerable,
            "retrieval": self.retrieval,
            "passages": [p.to_dict() for p in self.passages],
            "took_ms": round(self.took_ms, 2),
        }
        if self.rewritten_question:
            data["rewritten_question"] = self.rewritten_question
        if self.warnings:
            data["warnings"] = list(self.warnings)
        return data
