"""Request bodies and the error envelope, with Chinese examples so /docs is self-explanatory.

Request fields use strict types: a number where a string belongs (or `true` for top_k) is a 422,
not a silent coercion, and a field the schema does not name is a 422 too (`extra="forbid"`), so a
typo such as `topk` is reported instead of ignored. Every limit is declared in the schema.
Responses are the core's records (`qa.core.records`), declared once there.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr
from pydantic.config import JsonDict

from qa.core.records import MAX_HISTORY_TURNS, MAX_TURN_ANSWER_CHARS, MAX_TURN_QUESTION_CHARS, Filters, Turn
from qa.lang.question import QUESTION_PATTERN
from qa.search.lookup import MAX_CONTEXT

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_TOP_K = 50

ASK_EXAMPLE: JsonDict = {
    "question": "杭州2020年地区生产总值增长多少？",
    "top_k": 5,
    "filters": {"doc_ids": [], "regions": ["杭州市"], "years": [2021]},
    "history": None,
}
FOLLOWUP_EXAMPLE: JsonDict = {
    "question": "那萧山呢？",
    "history": [{"question": "杭州2020年新增多少家国家高新技术企业", "answer": "新增国家高新技术企业2010家。"}],
}


def _encodable(text: str) -> str:
    """JSON may spell lone surrogates (`"\\ud800"`); they cannot be written back as UTF-8, so refuse them here."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("contains invalid Unicode (a lone surrogate \\uD800-\\uDFFF)") from None
    return text


def _whole_number(value: object) -> object:
    """Query strings: `5` is a number, `5.0`, `5e0` and ` 5` are not (pydantic's lax mode would take them)."""
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,12}", value):
        raise ValueError("should be a whole number such as 5")
    return value


def _integral(value: object) -> object:
    """JSON Schema counts `5.0` as an integer, so it is one here too; `5.5`, `"5"` and `true` stay 422s."""
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


Encodable = AfterValidator(_encodable)
DocIdIn = Annotated[StrictStr, Field(max_length=100), Encodable]
RegionIn = Annotated[StrictStr, Field(max_length=50), Encodable]
TurnQuestionIn = Annotated[StrictStr, Field(max_length=MAX_TURN_QUESTION_CHARS), Encodable]
TurnAnswerIn = Annotated[StrictStr, Field(max_length=MAX_TURN_ANSWER_CHARS), Encodable]
# Constraints come before the validator: that order puts them in the schema as minimum/maximum.
TopK = Annotated[StrictInt, Field(ge=1, le=MAX_TOP_K), BeforeValidator(_integral)]
Year = Annotated[StrictInt, Field(ge=MIN_YEAR, le=MAX_YEAR), BeforeValidator(_integral)]
TopKQuery = Annotated[int, Field(ge=1, le=MAX_TOP_K), BeforeValidator(_whole_number)]
YearQuery = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR), BeforeValidator(_whole_number)]
ContextQuery = Annotated[int, Field(ge=0, le=MAX_CONTEXT), BeforeValidator(_whole_number)]
QUESTION_SCHEMA: JsonDict = {"minLength": 1, "pattern": QUESTION_PATTERN}  # maxLength: api.openapi adds the configured one
Level = Literal["national", "province", "city", "district", "county"]


class FiltersIn(BaseModel):
    """Hard filters; an empty or missing list means no restriction. Filters that select no report are a 404."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"regions": ["萧山区"], "years": [2021, 2024]}]})

    doc_ids: list[DocIdIn] | None = Field(None, max_length=50, description="只在这些文档中检索")
    regions: list[RegionIn] | None = Field(None, max_length=50, description="地区，如 “杭州市”“萧山”")
    years: list[Year] | None = Field(None, max_length=50, description="报告年份（作报告的年份）")
    levels: list[Level] | None = Field(None, max_length=5, description="层级：national/province/city/district/county")
    year_from: Year | None = Field(None, description="报告年份从（含）")
    year_to: Year | None = Field(None, description="报告年份到（含）")
    include_subregions: bool = Field(False, description="regions 也包括下级地区（浙江省 → 杭州市、萧山区…）")

    def record(self) -> Filters:
        return Filters(tuple(self.doc_ids or ()), tuple(self.regions or ()), tuple(self.years or ()),
                       tuple(self.levels or ()), self.year_from, self.year_to, self.include_subregions)


class TurnIn(BaseModel):
    """An earlier question (and its answer) in the conversation, oldest first."""

    model_config = ConfigDict(extra="forbid")

    question: TurnQuestionIn
    answer: TurnAnswerIn = ""


class AskRequest(BaseModel):
    """A question about the indexed government work reports."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ASK_EXAMPLE, FOLLOWUP_EXAMPLE]})

    # The service checks emptiness and length (with friendlier messages); the schema declares both.
    question: StrictStr = Field(
        ..., description="问题（至少一个可见字符；最长字数见 maxLength，默认 1000）",
        examples=["杭州2020年地区生产总值增长多少？"], json_schema_extra=QUESTION_SCHEMA,
    )
    top_k: TopK = Field(5, description="返回的段落数")
    filters: FiltersIn | None = None
    as_of: Year | None = Field(None, description="把“今年/去年/明年”理解为相对这一年（默认：今天所在的年份）")
    history: list[TurnIn] | None = Field(
        None, max_length=MAX_HISTORY_TURNS,
        description=f"之前的对话轮次（最多 {MAX_HISTORY_TURNS} 轮），用于改写“那萧山呢？”这类追问",
    )

    def filters_record(self) -> Filters | None:
        return self.filters.record() if self.filters else None

    def turns(self) -> list[Turn] | None:
        return [Turn(t.question, t.answer) for t in self.history] if self.history else None


class ErrorBody(BaseModel):
    code: str = Field(..., examples=["validation_error"])
    message: str = Field(..., examples=["question is empty; ask something like “杭州2020年经济增速是多少？”"])


class ErrorOut(BaseModel):
    """Every error response has this shape."""

    error: ErrorBody
