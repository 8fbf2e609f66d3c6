"""POST /ask and GET /ask: answer a question with cited passages.

Both are plain `def`s: FastAPI runs them in its threadpool, so embedding a query never blocks the
event loop (and /health stays responsive). The core swaps index snapshots atomically, so /ask keeps
answering from the old snapshot while an upload or delete is being indexed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import ServiceDep
from api.errors import as_validation_error
from api.routers.common import error_responses
from api.routers.filters import query_filters
from api.schemas import AskRequest
from qa.records import Answer, Filters

router = APIRouter(tags=["ask"])
ERRORS = error_responses(400, 404, 413, 422, 503)


@router.post("/ask", response_model=Answer, responses=ERRORS)
def ask(body: AskRequest, service: ServiceDep) -> Answer:
    """Answer a question with cited passages (JSON body; supports filters and follow-up history)."""
    with as_validation_error():
        return service.ask(body.question, top_k=body.top_k, filters=body.filters_record(), history=body.turns())


@router.get("/ask", response_model=Answer, responses=ERRORS)
def ask_get(
    service: ServiceDep,
    q: Annotated[str, Query(description="问题", examples=["杭州2020年地区生产总值增长多少"])],
    filters: Annotated[Filters, Depends(query_filters)],
    top_k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> Answer:
    """Same as POST /ask, for quick use from a browser or curl (URL-encode the question)."""
    with as_validation_error():
        return service.ask(q, top_k=top_k, filters=filters)
