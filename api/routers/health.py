"""GET /health: "indexing" while the model and index load, then "ok"; "error" with HTTP 503 when it cannot serve."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import RuntimeDep
from qa.core.records import Health, ServiceState

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health(runtime: RuntimeDep) -> JSONResponse:
    # `async` on purpose: it is cheap and must answer even when the threadpool is busy with /ask calls.
    data = runtime.health()
    # Every field, null included: the schema (the Health record) declares them all as required.
    return JSONResponse(asdict(data), status_code=503 if data.status == ServiceState.ERROR else 200)
