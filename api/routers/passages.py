"""GET /passages/{chunk_id}: one passage with its neighbours, for reading around a citation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ServiceDep
from api.routers.common import error_responses
from qa.records import PassageContext
from qa.service import MAX_CONTEXT

router = APIRouter(tags=["documents"])


@router.get("/passages/{chunk_id}", response_model=PassageContext, responses=error_responses(404, 422, 503))
def get_passage(service: ServiceDep, chunk_id: str,
                context: Annotated[int, Query(ge=0, le=MAX_CONTEXT)] = 0) -> PassageContext:
    """A passage with up to `context` neighbouring passages before and after it."""
    return service.passage(chunk_id, context)
