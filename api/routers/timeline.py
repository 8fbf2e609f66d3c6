"""GET /timeline: one place across years, a cited sentence and its figures per report-year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ServiceDep
from api.errors import as_validation_error
from api.routers.common import error_responses
from api.routers.filters import Short
from api.schemas import QUESTION_SCHEMA, YearQuery
from qa.core.records import Timeline

router = APIRouter(tags=["ask"])


@router.get("/timeline", response_model=Timeline, responses=error_responses(400, 404, 422, 429, 503))
def timeline(
    service: ServiceDep,
    q: Annotated[str, Query(description="指标，如 “城镇新增就业目标”", examples=["国务院历年城镇新增就业目标"],
                            json_schema_extra=QUESTION_SCHEMA)],
    region: Annotated[Short | None, Query(description="地区（默认取问题中的地区，没有则为国务院）")] = None,
    year_from: Annotated[YearQuery | None, Query(alias="from")] = None,
    year_to: Annotated[YearQuery | None, Query(alias="to")] = None,
) -> Timeline:
    """For one place, the best cited sentence of each report-year with the figures in it, in year order.
    Years whose sentence has no figure come back with `figures: []`, never with a made-up zero."""
    with as_validation_error():
        return service.timeline(q, region, year_from, year_to)
