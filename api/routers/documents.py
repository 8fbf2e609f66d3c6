"""The indexed reports: list, read, upload (token) and delete (token)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import PlainTextResponse, Response

from api.deps import ServiceDep, SettingsDep, TokenDep
from api.routers.common import error_responses
from qa.errors import TooLarge, Unsupported
from qa.ingest.readers import SUPPORTED_SUFFIXES, unsupported_reason
from qa.records import DeleteResult, DocumentInfo, UploadResult

router = APIRouter(tags=["documents"])
READ_ERRORS = error_responses(404, 503)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 415, 422, 503)
DocId = Annotated[str, PathParam(examples=["001_9ecc862bbb333f7d"])]


def read_upload(file: UploadFile, limit: int) -> tuple[str, bytes]:
    """Check the name and size of an uploaded report; read at most limit+1 bytes."""
    name = Path(file.filename or "").name
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise Unsupported(f"{name or 'the upload'}: {unsupported_reason(Path(name).suffix)}")
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{name} is larger than the upload limit of {limit} bytes (REPORTQA_MAX_UPLOAD_BYTES)")
    return name, data


@router.get("/documents", response_model=list[DocumentInfo], responses=READ_ERRORS)
def list_documents(service: ServiceDep) -> list[DocumentInfo]:
    """Metadata of every indexed report, with its passage count."""
    return service.documents()


@router.get("/documents/{doc_id}", response_model=DocumentInfo, responses=READ_ERRORS)
def get_document(service: ServiceDep, doc_id: DocId) -> DocumentInfo:
    """One report's metadata (no text)."""
    return service.document_info(doc_id)


@router.get("/documents/{doc_id}/text", response_class=PlainTextResponse, responses=READ_ERRORS)
def get_document_text(service: ServiceDep, doc_id: DocId) -> PlainTextResponse:
    """The report's text (decoded, or extracted from PDF/Word/HTML); citation `start`/`end` are str offsets into it."""
    return PlainTextResponse(service.document(doc_id).text, media_type="text/plain; charset=utf-8")


@router.get("/documents/{doc_id}/file", response_class=Response, responses={
    **READ_ERRORS, **error_responses(409),
    200: {"description": "the original file", "content": {"application/pdf": {}, "text/plain": {}, "text/html": {}}},
})
def get_document_file(service: ServiceDep, doc_id: DocId) -> Response:
    """The original file (PDF, Word, web page or text) as indexed or uploaded; open a PDF at a cited page
    with `#page=N`. 409 if the file has changed since it was indexed (its citations would not match)."""
    original = service.source_file(doc_id)
    disposition = f"inline; filename*=UTF-8''{quote(original.name)}"
    return Response(original.data, media_type=original.media_type, headers={"Content-Disposition": disposition})


@router.post("/documents", status_code=201, response_model=UploadResult, dependencies=[TokenDep], responses=WRITE_ERRORS)
def upload_document(
    service: ServiceDep, settings: SettingsDep,
    file: Annotated[UploadFile, File(description="a report: .txt/.md (UTF-8 or GBK), .pdf, .docx or .html")],
) -> UploadResult:
    """Add (or replace, by file name) one report; needs `Authorization: Bearer <REPORTQA_API_TOKEN>`."""
    return service.add_document(*read_upload(file, settings.max_upload_bytes))


@router.delete("/documents/{doc_id}", response_model=DeleteResult, dependencies=[TokenDep], responses=WRITE_ERRORS)
def delete_document(service: ServiceDep, doc_id: DocId) -> DeleteResult:
    """Remove a report from the index; needs the bearer token."""
    return service.delete_document(doc_id)
