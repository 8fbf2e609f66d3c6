"""Typed, frozen records: everything that crosses a boundary between stages, the service and its callers.

The HTTP API uses these dataclasses directly as `response_model`s, so each response shape is declared
once, here. `__pydantic_config__` only adds the Chinese examples shown on /docs; nothing here imports pydantic.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from dataclasses import dataclass


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
    encoding: str = "utf-8"  # the text encoding, or the format the text was extracted from ("pdf", "docx", "html")
    inferred: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()  # start offset in `text` of each page (paged formats: PDF); empty otherwise

    def __post_init__(self) -> None:
        # Rows loaded back from JSON carry lists; the record is a tuple either way.
        object.__setattr__(self, "pages", tuple(self.pages))

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding `text[offset]`, or None for an unpaged document."""
        return bisect_right(self.pages, offset) if self.pages else None


@dataclass(frozen=True)
class DocumentInfo:
    """A report's metadata without its text, as listed by the service."""

    __pydantic_config__ = {"json_schema_extra": {"examples": [{
        "doc_id": "001_9ecc862bbb333f7d", "title": "2021年杭州市政府工作报告", "region": "杭州市", "year": 2021,
        "level": "city", "kind": "full", "source": "seeds/001_9ecc862bbb333f7d.txt", "sha256": "9ecc…",
        "encoding": "utf-8", "inferred": [], "chars": 21000, "chunks": 80,
    }]}}

    doc_id: str
    title: str
    region: str
    year: int | None
    level: str
    kind: str
    source: str
    sha256: str
    encoding: str
    inferred: tuple[str, ...]
    chars: int
    chunks: int
    pages: int = 0  # 0 for unpaged formats

    @classmethod
    def of(cls, doc: Document, chunks: int) -> DocumentInfo:
        return cls(doc.doc_id, doc.title, doc.region, doc.year, doc.level, doc.kind, doc.source, doc.sha256,
                   doc.encoding, doc.inferred, len(doc.text), chunks, len(doc.pages))


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


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from: `start`/`end` are str offsets into GET /documents/{doc_id}/text."""

    doc_id: str
    title: str
    source: str
    section: str
    start: int
    end: int
    page: int | None = None  # 1-based page of `start` (PDF); open the original at GET /documents/{doc_id}/file
    page_end: int | None = None  # the last page, only when the passage crosses a page break


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its rank, fused score and citation."""

    __pydantic_config__ = {"json_schema_extra": {"examples": [{
        "rank": 1, "score": 0.0325, "text": "全市实现地区生产总值16106亿元，增长3.9%……", "chunk_id": "5f0c1d2e3a4b5c6d7e8f",
        "citation": {"doc_id": "001_9ecc862bbb333f7d", "title": "2021年杭州市政府工作报告",
                     "source": "seeds/001_9ecc862bbb333f7d.txt", "section": "一、2020年工作回顾", "start": 1520, "end": 1710},
    }]}}

    rank: int
    score: float
    text: str
    chunk_id: str
    citation: Citation


@dataclass(frozen=True)
class PassageContext:
    """A passage plus up to `context` neighbouring chunks of the same report on each side."""

    passage: Passage
    before: tuple[Chunk, ...]
    after: tuple[Chunk, ...]


@dataclass(frozen=True)
class Filters:
    """Hard filters; an empty tuple (or None) means no restriction on that field."""

    doc_ids: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()  # report years
    levels: tuple[str, ...] = ()  # national | province | city | district | county
    year_from: int | None = None  # report years from ... to, inclusive
    year_to: int | None = None
    include_subregions: bool = False  # regions=浙江省 also matches 杭州市, 萧山区 ...

    @property
    def empty(self) -> bool:
        return not (self.doc_ids or self.regions or self.years or self.levels) and \
            self.year_from is None and self.year_to is None


# Follow-ups only need the recent topic: requests carry at most this much history.
MAX_HISTORY_TURNS = 20
MAX_TURN_QUESTION_CHARS = 1000
MAX_TURN_ANSWER_CHARS = 2000


@dataclass(frozen=True)
class Turn:
    """An earlier question (and its answer) in the conversation."""

    question: str
    answer: str = ""


@dataclass(frozen=True)
class Answer:
    """The product's response to a question, shared by the CLI, the chat and HTTP."""

    __pydantic_config__ = {"json_schema_extra": {"examples": [{
        "question": "杭州2020年地区生产总值增长多少？", "answer": "全市实现地区生产总值16106亿元，增长3.9%。[1]",
        "answerable": True, "retrieval": "hybrid", "passages": [], "took_ms": 42.5, "confidence": 0.93,
        "reason": None, "rewritten_question": None, "warnings": [],
    }]}}

    question: str
    answer: str
    answerable: bool
    retrieval: str  # "hybrid" (dense + BM25), "partial" (dense pass still running) or "lexical" (BM25 only)
    passages: tuple[Passage, ...]
    took_ms: float
    confidence: float = 0.0  # 0..1, calibrated on the dev sets: how likely the answer line answers the question
    reason: str | None = None  # why the reports don't answer it, when `answerable` is false
    rewritten_question: str | None = None  # the self-contained form of a follow-up
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A number in a cited sentence, with its unit and qualifier (`5%左右`, `6.5%—7%`)."""

    text: str
    value: float
    value_high: float | None
    unit: str
    qualifier: str


@dataclass(frozen=True)
class TimelineEntry:
    """The best passage of one report-year for the timeline's question; `figures` come from `sentence`."""

    year: int  # the report's year (it plans this year and reviews the year before)
    passage: Passage
    sentence: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Timeline:
    """One place across years: a cited sentence per report, in year order."""

    __pydantic_config__ = {"json_schema_extra": {"examples": [{
        "question": "国务院历年城镇新增就业目标", "region": "国务院", "years": [2019, 2020], "entries": [], "took_ms": 31.2,
    }]}}

    question: str
    region: str
    years: tuple[int, ...]  # every report-year of the place in range, including those without a figure
    entries: tuple[TimelineEntry, ...]
    took_ms: float
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexReport:
    """What an indexing run did: `documents`/`chunks` are the whole index afterwards."""

    documents: int
    chunks: int
    index_version: str
    errors: tuple[str, ...] = ()  # files of a supported format that could not be read ("failed"), with the reason
    indexed: int = 0  # reports read and (re)chunked in this run
    unchanged: int = 0  # reports identical to what was indexed, left as they are
    skipped: tuple[str, ...] = ()  # files not of a supported format, with the reason
    removed: int = 0  # reports dropped (replace mode)
    embedded: int = 0  # passages embedded by this run's dense pass

    @property
    def failed(self) -> int:
        return len(self.errors)


@dataclass(frozen=True)
class UploadResult:
    __pydantic_config__ = {"json_schema_extra": {"examples": [{
        "doc_id": "2023_linan", "chunks": 42, "title": "2023年临安区政府工作报告", "index_version": "20261123T101010-ab12",
        "duplicate": False,
    }]}}

    doc_id: str
    chunks: int
    title: str
    index_version: str
    duplicate: bool = False  # the same bytes were already indexed under doc_id; nothing was added


@dataclass(frozen=True)
class SourceFile:
    """A report's original file as indexed or uploaded, for viewers (e.g. a PDF opened at a cited page)."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class DeleteResult:
    deleted: str
    documents: int
    index_version: str


class ServiceState(enum.StrEnum):
    INDEXING = "indexing"  # the model is loading or the first index is being built
    OK = "ok"
    ERROR = "error"  # the index cannot be served; `message` says how to fix it


@dataclass(frozen=True)
class Health:
    """`status` is "indexing" until the index is ready, then "ok"; "error" (HTTP 503) if it cannot load."""

    status: ServiceState
    model: str | None
    retrieval: str | None
    documents: int = 0
    chunks: int = 0
    index_version: str | None = None
    warning: str | None = None
    message: str | None = None
    embedded: int = 0  # passages with a vector; equal to `chunks` once the dense pass is done
    dense_running: bool = False
    writes_enabled: bool = False  # uploads/deletes are on (REPORTQA_API_TOKEN is set); the web page hides them otherwise
