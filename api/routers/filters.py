"""The filter query parameters GET /ask, GET /documents and GET /timeline share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.schemas import Level
from qa.records import Filters


def query_filters(
    doc_id: Annotated[list[str] | None, Query(description="filter: doc id (repeatable)")] = None,
    region: Annotated[list[str] | None, Query(description="filter: region, e.g. 萧山区 (repeatable)")] = None,
    year: Annotated[list[int] | None, Query(description="filter: report year (repeatable)")] = None,
    level: Annotated[list[Level] | None, Query(description="filter: national/province/city/district/county")] = None,
    year_from: Annotated[int | None, Query(alias="from", ge=1900, le=2100, description="report years from")] = None,
    year_to: Annotated[int | None, Query(alias="to", ge=1900, le=2100, description="report years to")] = None,
    subregions: Annotated[bool, Query(description="regions include their sub-regions")] = False,
) -> Filters:
    return Filters(tuple(doc_id or ()), tuple(region or ()), tuple(year or ()), tuple(level or ()),
                   year_from, year_to, subregions)
