"""Request and response bodies, with Chinese examples so /docs is self-explanatory.

Request fields use strict types: a number where a string belongs (or `true` for top_k) is a 422,
not a silent coercion. Responses are documented here but produced by the core's `to_dict()`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from qa.records import Filters, Turn

ASK_EXAMPLE = {
    "question": "杭州2020年地区生产总值增长多少？",
    "top_k": 5,
    "filters": {"doc_ids": [], "regions": ["杭州市"], "years": [2021]},
    "history": None,
}
FOLLOWUP_EXAMPLE = {
    "question": "那萧山呢？",
    "history": [{"question": "杭州2020年新增多少家国家高新技术企业", "answer": "新增国家高新技术企业2010家。"}],
}
CITATION_EXAMPLE = {
    "doc_id": "001_9ecc862bbb333f7d", "title": "2021年杭州市政府工作报告", "source": "seeds/001_9ecc862bbb333f7d.txt",
    "section": "一、2020年工作回顾", "start": 1520, "end": 1710,
}
PASSAGE_EXAMPLE = {
    "rank": 1, "score": 0.0325, "text": "全市实现地区生产总值16106亿元，增长3.9%……",
    "chunk_id": "001_9ecc862bbb333f7d:0007", "citation": CITATION_EXAMPLE,
}
DOC_EXAMPLE = {
    "doc_id": "001_9ecc862bbb333f7d", "title": "2021年杭州市政府工作报告", "region": "杭州市", "year": 2021,
    "level": "city", "kind": "full", "source": "seeds/001_9ecc862bbb333f7d.txt", "sha256": "9ecc…",
    "encoding": "utf-8", "inferred": [], "chars": 21000, "chunks": 80,
}


class FiltersIn(BaseModel):
    """Hard filters; an empty or missing list means no restriction."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"regions": ["萧山区"], "years": [2021, 2024]}]})

    doc_ids: list[StrictStr] | None = Field(None, max_length=200, description="只在这些文档中检索")
    regions: list[StrictStr] | None = Field(None, max_length=50, description="地区，如 “杭州市”“萧山”")
    years: list[StrictInt] | None = Field(None, max_length=50, description="报告年份（作报告的年份）")

    def record(self) -> Filters:
        return Filters(tuple(self.doc_ids or ()), tuple(self.regions or ()), tuple(self.years or ()))


class TurnIn(BaseModel):
    """An earlier question (and its answer) in the conversation, oldest first."""

    question: StrictStr = Field(..., max_length=2000)
    answer: StrictStr = Field("", max_length=20000)


class AskRequest(BaseModel):
    """A question about the indexed government work reports."""

    model_config = ConfigDict(json_schema_extra={"examples": [ASK_EXAMPLE, FOLLOWUP_EXAMPLE]})

    question: StrictStr = Field(
        ..., description="问题（不能为空，默认最长 1000 字）", examples=["杭州2020年地区生产总值增长多少？"],
    )
    top_k: StrictInt = Field(5, ge=1, le=50, description="返回的段落数")
    filters: FiltersIn | None = None
    history: list[TurnIn] | None = Field(None, max_length=50, description="之前的对话轮次，用于改写“那萧山呢？”这类追问")

    def filters_record(self) -> Filters | None:
        return self.filters.record() if self.filters else None

    def turns(self) -> list[Turn] | None:
        return [Turn(t.question, t.answer) for t in self.history] if self.history else None


class CitationOut(BaseModel):
    """Where a passage comes from: `start`/`end` are str offsets into GET /documents/{doc_id}/text."""

    model_config = ConfigDict(json_schema_extra={"examples": [CITATION_EXAMPLE]})

    doc_id: str
    title: str
    source: str
    section: str
    start: int
    end: int


class PassageOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [PASSAGE_EXAMPLE]})

    rank: int
    score: float
    text: str
    chunk_id: str
    citation: CitationOut


class AskResponse(BaseModel):
    """The answer; `rewritten_question` appears only for rewritten follow-ups, `warnings` only in lexical mode."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "question": "杭州2020年地区生产总值增长多少？", "answer": "全市实现地区生产总值16106亿元，增长3.9%。",
        "answerable": True, "retrieval": "hybrid", "passages": [PASSAGE_EXAMPLE], "took_ms": 42.5,
    }]})

    question: str
    answer: str
    answerable: bool
    retrieval: str = Field(..., description="hybrid（向量+BM25）或 lexical（仅 BM25）")
    passages: list[PassageOut]
    took_ms: float
    rewritten_question: str | None = Field(None, description="追问被改写后的完整问题，如 “萧山2020年新增多少家国家高新技术企业”")
    warnings: list[str] | None = None


class DocumentOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [DOC_EXAMPLE]})

    doc_id: str
    title: str
    region: str
    year: int | None
    level: str
    kind: str
    source: str
    sha256: str
    encoding: str
    inferred: list[str]
    chars: int
    chunks: int | None = Field(None, description="只在列表中给出")


class ChunkOut(BaseModel):
    chunk_id: str
    doc_id: str
    ordinal: int
    section: str
    start: int
    end: int
    text: str


class PassageContextOut(BaseModel):
    """A passage plus up to `context` neighbouring chunks on each side."""

    passage: PassageOut
    before: list[ChunkOut]
    after: list[ChunkOut]


class UploadOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "doc_id": "2023_hangzhou", "chunks": 42, "title": "2023年杭州市政府工作报告", "index_version": "a1b2c3d4",
    }]})

    doc_id: str
    chunks: int
    title: str
    index_version: str


class DeleteOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"deleted": "2023_hangzhou", "documents": 4, "index_version": "e5f6a7b8"},
    ]})

    deleted: str
    documents: int
    index_version: str


class HealthOut(BaseModel):
    """`status` is "indexing" until the index is ready, then "ok"; "error" (HTTP 503) if it cannot load."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "status": "ok", "model": "/work/shared/models/multilingual-e5-small-q4deq-zh-en", "retrieval": "hybrid",
        "documents": 4, "chunks": 160, "index_version": "a1b2c3d4",
    }]})

    status: str
    model: str | None
    retrieval: str | None
    documents: int
    chunks: int
    index_version: str | None
    warning: str | None = None
    message: str | None = None


class ErrorBody(BaseModel):
    code: str = Field(..., examples=["validation_error"])
    message: str = Field(..., examples=["question is empty; ask something like “杭州2020年经济增速是多少？”"])


class ErrorOut(BaseModel):
    """Every error response has this shape."""

    error: ErrorBody
