"""The indexed reports: list, read, upload (token) and delete (token)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import PlainTextResponse, Response

from api.deps import RuntimeDep, ServiceDep, SettingsDep, TokenDep
from api.routers.common import error_responses, json_error_responses
from api.routers.filters import query_filters
from qa.core.errors import TooLarge, Unsupported
from qa.core.records import DeleteResult, DocumentInfo, Filters, UploadResult
from qa.ingest.readers import SUPPORTED_SUFFIXES, unsupported_reason

router = APIRouter(tags=["documents"])
READ_ERRORS = error_responses(404, 429, 503)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503)
UPLOAD_RESPONSES = {**WRITE_ERRORS, 200: {"model": UploadResult, "description": "Already indexed: the same bytes are "
                                          "indexed as `doc_id`; nothing was added (`duplicate: true`)"}}
DocId = Annotated[str, PathParam(examples=["001_9ecc862bbb333f7d"])]


def read_upload(file: UploadFile, limit: int) -> tuple[str, bytes]:
    """Check the name and size of an uploaded report; read at most limit+1 bytes."""
    name = Path((file.filename or "").replace("\\", "/")).name
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise Unsupported(f"{name or 'the upload'}: {unsupported_reason(Path(name).suffix)}")
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{name} is larger than the upload limit of {limit} bytes (REPORTQA_MAX_UPLOAD_BYTES)")
    return name, data


@router.get("/documents", response_model=list[DocumentInfo], responses=READ_ERRORS)
def list_documents(service: ServiceDep, filters: Annotated[Filters, Depends(query_filters)]) -> list[DocumentInfo]:
    """Metadata of every indexed report (or of those the filters allow), with its passage count."""
    return service.documents(filters)


@router.get("/documents/{doc_id}", response_model=DocumentInfo, responses=READ_ERRORS)
def get_document(service: ServiceDep, doc_id: DocId) -> DocumentInfo:
    """One report's metadata (no text)."""
    return service.document_info(doc_id)


@router.get("/documents/{doc_id}/text", response_class=PlainTextResponse, responses=json_error_responses(404, 429, 503))
def get_document_text(service: ServiceDep, doc_id: DocId) -> PlainTextResponse:
    """The report's text (decoded, or extracted from PDF/Word/HTML; `text/plain`); citation `start`/`end` are
    Python str offsets into it. Errors are JSON, like everywhere else."""
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


@router.post("/documents", status_code=201, response_model=UploadResult, dependencies=[TokenDep], responses=UPLOAD_RESPONSES)
def upload_document(
    service: ServiceDep, settings: SettingsDep, runtime: RuntimeDep, response: Response,
    file: Annotated[UploadFile, File(description="The report: a file named *.txt, *.md (UTF-8, GBK/GB18030 or UTF-16 text), "
                                                 "*.pdf, *.docx or *.html; anything else is a 415")],
) -> UploadResult:
    """Add (or replace, by file name) one report; needs `Authorization: Bearer <REPORTQA_API_TOKEN>`.

    The file name must end in `.txt` or `.md` (else 415); the bytes must be text (else 400). The report is
    stored under the server's data folder with a name derived from the last component of the file name
    (letters, digits, CJK, `_`, `-` only). Uploading bytes that are already indexed is a no-op (200)."""
    result = service.add_document(*read_upload(file, settings.max_upload_bytes))
    if result.duplicate:
        response.status_code = 200
    else:
        runtime.embed_in_background()  # searchable lexically now, hybrid once its vectors are written
    return result


@router.delete("/documents/{doc_id}", response_model=DeleteResult, dependencies=[TokenDep], responses=WRITE_ERRORS)
def delete_document(service: ServiceDep, doc_id: DocId) -> DeleteResult:
    """Remove a report from the index; needs the bearer token."""
    return service.delete_document(doc_id)
