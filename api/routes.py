"""HTTP endpoints: each is one call on the shared QAService.

Every endpoint that touches the model or the index is a plain `def`: FastAPI runs those in its
threadpool, so embedding a query or re-indexing an upload never blocks the event loop (and /health
stays responsive). The core swaps index snapshots atomically, so /ask keeps answering from the old
snapshot while an upload or delete is being indexed in another worker thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, PlainTextResponse

from api.deps import RuntimeDep, ServiceDep, SettingsDep, TokenDep
from api.errors import as_validation_error
from api.schemas import (
    AskRequest,
    AskResponse,
    DeleteOut,
    DocumentOut,
    ErrorOut,
    HealthOut,
    PassageContextOut,
    UploadOut,
)
from qa.errors import TooLarge, Unsupported
from qa.records import Filters, Turn
from qa.service import QAService

UPLOAD_SUFFIXES = (".txt", ".md")
_errors = {code: {"model": ErrorOut} for code in (400, 404, 413, 415, 422, 503)}
_auth_errors = {code: {"model": ErrorOut} for code in (401, 403, 404, 409, 413, 415, 400, 503)}

router = APIRouter()


def answer(service: QAService, question: str, top_k: int, filters: Filters | None, history: list[Turn] | None) -> dict:
    """Ask, turning the core's question/top_k complaints into 422s like other field errors."""
    with as_validation_error():
        return service.ask(question, top_k=top_k, filters=filters, history=history).to_dict()


def read_upload(file: UploadFile, limit: int) -> tuple[str, bytes]:
    """Check the name and size of an uploaded report; read at most limit+1 bytes."""
    name = Path(file.filename or "").name
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise Unsupported(f"{name or 'the upload'}: only .txt and .md reports are supported (PDF/Word: convert to text first)")
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{name} is larger than the upload limit of {limit} bytes (REPORTQA_MAX_UPLOAD_BYTES)")
    return name, data


@router.post("/ask", response_model=None, tags=["ask"], responses={200: {"model": AskResponse}, **_errors})
def ask(body: AskRequest, service: ServiceDep) -> dict:
    """Answer a question with cited passages (JSON body; supports filters and follow-up history)."""
    return answer(service, body.question, body.top_k, body.filters_record(), body.turns())


@router.get("/ask", response_model=None, tags=["ask"], responses={200: {"model": AskResponse}, **_errors})
def ask_get(
    service: ServiceDep,
    q: Annotated[str, Query(description="问题", examples=["杭州2020年地区生产总值增长多少"])],
    top_k: Annotated[int, Query(ge=1, le=50)] = 5,
    doc_id: Annotated[list[str], Query(description="filter: doc id (repeatable)")] = [],  # noqa: B006 - FastAPI copies defaults
    region: Annotated[list[str], Query(description="filter: region, e.g. 萧山区 (repeatable)")] = [],  # noqa: B006
    year: Annotated[list[int], Query(description="filter: report year (repeatable)")] = [],  # noqa: B006
) -> dict:
    """Same as POST /ask, for quick use from a browser or curl."""
    return answer(service, q, top_k, Filters(tuple(doc_id), tuple(region), tuple(year)), None)


@router.get("/documents", response_model=list[DocumentOut], tags=["documents"], responses=_errors)
def list_documents(service: ServiceDep) -> list[dict]:
    """Metadata of every indexed report, with its passage count."""
    return service.documents()


@router.get("/documents/{doc_id}", response_model=DocumentOut, response_model_exclude_none=True,
            tags=["documents"], responses=_errors)
def get_document(service: ServiceDep, doc_id: Annotated[str, PathParam(examples=["001_9ecc862bbb333f7d"])]) -> dict:
    """One report's metadata (no text)."""
    return service.document(doc_id).meta()


@router.get("/documents/{doc_id}/text", response_class=PlainTextResponse, tags=["documents"], responses=_errors)
def get_document_text(service: ServiceDep, doc_id: str) -> PlainTextResponse:
    """The report's raw decoded text; citation `start`/`end` are Python str offsets into it."""
    return PlainTextResponse(service.document(doc_id).text, media_type="text/plain; charset=utf-8")


@router.get("/passages/{chunk_id}", response_model=PassageContextOut, tags=["documents"], responses=_errors)
def get_passage(service: ServiceDep, chunk_id: str, context: Annotated[int, Query(ge=0, le=20)] = 0) -> dict:
    """A passage with up to `context` neighbouring passages before and after it."""
    return service.passage(chunk_id, context)


@router.post("/documents", status_code=201, response_model=UploadOut, dependencies=[TokenDep],
             tags=["documents"], responses=_auth_errors)
def upload_document(
    service: ServiceDep, settings: SettingsDep, file: Annotated[UploadFile, File(description=".txt or .md report, UTF-8 or GBK")],
) -> dict:
    """Add (or replace, by file name) one report; needs `Authorization: Bearer <REPORTQA_API_TOKEN>`."""
    return service.add_document(*read_upload(file, settings.max_upload_bytes))


@router.delete("/documents/{doc_id}", response_model=DeleteOut, dependencies=[TokenDep], tags=["documents"],
               responses=_auth_errors)
def delete_document(service: ServiceDep, doc_id: str) -> dict:
    """Remove a report from the index; needs the bearer token."""
    return service.delete_document(doc_id)


@router.get("/health", response_model=HealthOut, response_model_exclude_none=True, tags=["health"],
            responses={503: {"model": HealthOut}})
async def health(runtime: RuntimeDep) -> JSONResponse:
    """"indexing" while the model/index load, then "ok"; "error" with HTTP 503 if the index cannot load."""
    # `async` on purpose: it is cheap and must answer even when the threadpool is busy with /ask calls.
    data = runtime.health()
    return JSONResponse(data, status_code=503 if data["status"] == "error" else 200)
