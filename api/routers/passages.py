"""GET /passages/{chunk_id}: one passage with its neighbours, for reading around a citation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ServiceDep
from api.routers.common import error_responses
from api.schemas import ContextQuery
from qa.core.records import PassageContext

router = APIRouter(tags=["documents"])


@router.get("/passages/{chunk_id}", response_model=PassageContext, responses=error_responses(404, 422, 429, 503))
def get_passage(service: ServiceDep, chunk_id: str,
                context: Annotated[ContextQuery, Query()] = 0) -> PassageContext:
    """A passage with up to `context` neighbouring passages before and after it."""
    return service.passage(chunk_id, context)
