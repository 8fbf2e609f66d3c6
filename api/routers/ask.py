"""POST /ask and GET /ask: answer a question with cited passages.

Both hand `service.ask` to a worker thread themselves, so embedding a query never blocks the event loop
(and /health stays responsive). They are `async def` so that this is the request's only thread hop: for a
plain `def`, FastAPI would also check the returned record in a second trip through the threadpool.
The core swaps index snapshots atomically, so /ask keeps answering from the old snapshot while an upload
or delete is being indexed.
"""

from __future__ import annotations

import functools
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request

from api.deps import ServiceDep
from api.errors import as_validation_error
from api.routers.common import error_responses
from api.routers.filters import query_filters
from api.schemas import QUESTION_SCHEMA, AskRequest, TopKQuery, YearQuery
from qa.core.records import Answer, Filters

router = APIRouter(tags=["ask"])
ERRORS = error_responses(400, 404, 413, 422, 429, 503)
ERRORS[404]["description"] = "The filters select no indexed report (the message lists the indexed regions and years)"


def _note_question(request: Request, question: str) -> None:
    """For the request log: its length always, its text only with REPORTQA_LOG_QUESTIONS=1."""
    request.state.question = question


@router.post("/ask", response_model=Answer, responses=ERRORS)
async def ask(request: Request, body: AskRequest, service: ServiceDep) -> Answer:
    """Answer a question with cited passages (JSON body; supports filters and follow-up history)."""
    _note_question(request, body.question)
    with as_validation_error():
        return await to_thread.run_sync(functools.partial(
            service.ask, body.question, top_k=body.top_k, filters=body.filters_record(), history=body.turns(),
            as_of=body.as_of))


@router.get("/ask", response_model=Answer, responses=ERRORS)
async def ask_get(
    request: Request,
    service: ServiceDep,
    q: Annotated[str, Query(description="问题", examples=["杭州2020年地区生产总值增长多少"], json_schema_extra=QUESTION_SCHEMA)],
    filters: Annotated[Filters, Depends(query_filters)],
    top_k: Annotated[TopKQuery, Query()] = 5,
    as_of: Annotated[YearQuery | None, Query(description="把“今年/去年/明年”理解为相对这一年")] = None,
) -> Answer:
    """Same as POST /ask, for quick use from a browser or curl (URL-encode the question)."""
    _note_question(request, q)
    with as_validation_error():
        return await to_thread.run_sync(functools.partial(service.ask, q, top_k=top_k, filters=filters, as_of=as_of))
