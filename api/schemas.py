"""Request bodies and the error envelope, with Chinese examples so /docs is self-explanatory.

Request fields use strict types: a number where a string belongs (or `true` for top_k) is a 422,
not a silent coercion. Responses are the core's records (`qa.records`), declared once there.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from pydantic.config import JsonDict

from qa.records import Filters, Turn

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
Level = Literal["national", "province", "city", "district", "county"]


class FiltersIn(BaseModel):
    """Hard filters; an empty or missing list means no restriction."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"regions": ["萧山区"], "years": [2021, 2024]}]})

    doc_ids: list[StrictStr] | None = Field(None, max_length=200, description="只在这些文档中检索")
    regions: list[StrictStr] | None = Field(None, max_length=50, description="地区，如 “杭州市”“萧山”")
    years: list[StrictInt] | None = Field(None, max_length=50, description="报告年份（作报告的年份）")
    levels: list[Level] | None = Field(None, max_length=5, description="层级：national/province/city/district/county")
    year_from: StrictInt | None = Field(None, ge=1900, le=2100, description="报告年份从（含）")
    year_to: StrictInt | None = Field(None, ge=1900, le=2100, description="报告年份到（含）")
    include_subregions: bool = Field(False, description="regions 也包括下级地区（浙江省 → 杭州市、萧山区…）")

    def record(self) -> Filters:
        return Filters(tuple(self.doc_ids or ()), tuple(self.regions or ()), tuple(self.years or ()),
                       tuple(self.levels or ()), self.year_from, self.year_to, self.include_subregions)


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


class ErrorBody(BaseModel):
    code: str = Field(..., examples=["validation_error"])
    message: str = Field(..., examples=["question is empty; ask something like “杭州2020年经济增速是多少？”"])


class ErrorOut(BaseModel):
    """Every error response has this shape."""

    error: ErrorBody
