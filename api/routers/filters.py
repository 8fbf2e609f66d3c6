"""The filter query parameters GET /ask, GET /documents and GET /timeline share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import Field

from api.schemas import Level, YearQuery
from qa.core.records import Filters

Short = Annotated[str, Field(max_length=100)]


async def query_filters(  # async: it only builds a record, so no threadpool hop
    doc_id: Annotated[list[Short] | None, Query(max_length=50, description="filter: doc id (repeatable)")] = None,
    region: Annotated[list[Short] | None, Query(max_length=50, description="filter: region, e.g. 萧山区 (repeatable)")] = None,
    year: Annotated[list[YearQuery] | None, Query(max_length=50, description="filter: report year (repeatable)")] = None,
    level: Annotated[list[Level] | None, Query(max_length=5, description="filter: national, province, city …")] = None,
    year_from: Annotated[YearQuery | None, Query(alias="from", description="report years from")] = None,
    year_to: Annotated[YearQuery | None, Query(alias="to", description="report years to")] = None,
    subregions: Annotated[bool, Query(description="regions include their sub-regions")] = False,
) -> Filters:
    return Filters(tuple(doc_id or ()), tuple(region or ()), tuple(year or ()), tuple(level or ()),
                   year_from, year_to, subregions)
