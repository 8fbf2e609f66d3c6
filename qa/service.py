"""The question-answering service: holds the live index and the write lock; the CLI, chat and HTTP API share it."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from embeddings.encoder import Encoder, load_encoder
from qa.errors import BadRequest, Conflict, NotFound, NotReady
from qa.index.build import Progress, build_snapshot
from qa.index.manifest import ManifestMismatch
from qa.index.snapshot import Snapshot
from qa.index.store import IndexMissing, load_snapshot, save_snapshot
from qa.ingest.catalog import CatalogEntry, catalog_aliases, load_catalog
from qa.ingest.chunking import chunker_fingerprint
from qa.ingest.decode import DocumentError
from qa.ingest.files import read_document, resolve_source, scan
from qa.ingest.readers import media_type
from qa.ingest.uploads import store_upload, upload_name
from qa.lang.places import PlaceMatcher
from qa.lang.tokens import tokenizer_fingerprint
from qa.records import (
    Answer,
    DeleteResult,
    Document,
    DocumentInfo,
    Filters,
    Health,
    IndexReport,
    PassageContext,
    ServiceState,
    SourceFile,
    Turn,
    UploadResult,
)
from qa.search import answer as ans
from qa.search.ask import passage_at, run
from qa.search.retrieval import RetrievalConfig
from qa.settings import Settings

log = logging.getLogger("reportqa")
LEXICAL_HINT = (
    "reportqa is running in LEXICAL-ONLY mode (BM25, no dense retrieval). To enable dense retrieval "
    "offline, point REPORTQA_MODEL at a local sentence-transformers folder, e.g. "
    "REPORTQA_MODEL=../shared/models/multilingual-e5-small-q4deq-zh-en"
)
MAX_CONTEXT = 20


class QAService:
    """Reads never block: they use the snapshot in hand. Writes build a new snapshot under a lock and swap it in."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None, encoder_error: str | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.encoder_error = encoder_error
        self.config = RetrievalConfig()
        self.thresholds = ans.Thresholds()
        self.state = ServiceState.INDEXING
        self._snap: Snapshot | None = None
        self._write_lock = threading.Lock()
        self.matcher = PlaceMatcher(catalog_aliases(settings.seeds_dir))

    @classmethod
    def create(cls, settings: Settings, load_model: bool = True) -> QAService:
        """Load the encoder (or fall back to lexical-only, loudly) without touching the index."""
        encoder, error = load_encoder(settings.model, settings.device) if load_model else (None, "model loading skipped")
        if encoder is None:
            log.warning("embedding model unavailable: %s", error)
            log.warning(LEXICAL_HINT)
        return cls(settings, encoder, error)

    @property
    def lexical_warning(self) -> str:
        return f"lexical-only mode ({self.encoder_error}). {LEXICAL_HINT}"

    @property
    def retrieval_mode(self) -> str:
        return "hybrid" if self.encoder is not None else "lexical"

    # ----- the live index ------------------------------------------------------------
    def load(self) -> None:
        """Load the persisted index; raise IndexMissing or ManifestMismatch with a clear message."""
        snap = load_snapshot(self.settings.data_dir, with_vectors=self.encoder is not None)
        snap.manifest.check(self.encoder.name if self.encoder else "", chunker_fingerprint(), tokenizer_fingerprint())
        self._install(snap)

    def ensure_index(self, progress: Progress | None = None) -> None:
        """Load the index, building it from the seeds first if there is none."""
        self.state = ServiceState.INDEXING
        try:
            self.load()
        except IndexMissing:
            log.info("no index in %s: building one from %s", self.settings.data_dir, self.settings.seeds_dir)
            report = self.index_paths([self.settings.seeds_dir], progress=progress)
            for error in report.errors:
                log.warning("skipped %s", error)

    def _install(self, snap: Snapshot) -> None:
        aliases = catalog_aliases(self.settings.seeds_dir)
        for doc in snap.documents.values():
            aliases.setdefault(doc.region, [])
        self.matcher = PlaceMatcher(aliases)
        self._snap = snap
        self.state = ServiceState.OK

    @property
    def snapshot(self) -> Snapshot:
        if self._snap is None:
            raise NotReady("the index is still being built; try again shortly")
        return self._snap

    # ----- writes ----------------------------------------------------------------------
    def index_paths(
        self, paths: Sequence[Path], rebuild: bool = False, add: bool = False, progress: Progress | None = None,
    ) -> IndexReport:
        """(Re)index the given files/folders; unreadable files are reported, the rest still index."""
        found = scan(paths)
        docs, errors = self._read_all(found.files)
        if not docs:
            detail = "; ".join([*errors, *found.skipped])
            raise BadRequest("no readable reports found in " + ", ".join(map(str, paths)) + (f" ({detail})" if detail else ""))
        with self._write_lock:
            previous = None if rebuild else self._previous_for_reuse()
            old = previous.documents if previous is not None else {}
            unchanged = sum(1 for d in docs.values() if d.doc_id in old and old[d.doc_id].sha256 == d.sha256)
            indexed = len(docs) - unchanged
            if add and previous is not None:
                docs = {**previous.documents, **docs}
            snap = self._commit(list(docs.values()), previous, progress)
        return IndexReport(len(snap.documents), len(snap.chunks), snap.manifest.index_version, tuple(errors),
                           indexed=indexed, unchanged=unchanged, skipped=found.skipped)

    def _read_all(self, paths: Sequence[Path]) -> tuple[dict[str, Document], list[str]]:
        docs: dict[str, Document] = {}
        errors: list[str] = []
        catalogs: dict[Path, dict[str, CatalogEntry]] = {}  # one catalog.toml read per folder, not per file
        for path in paths:
            if path.parent not in catalogs:
                catalogs[path.parent] = load_catalog(path.parent)
            try:
                doc = read_document(path, self.settings.project_root, self.matcher, catalogs[path.parent])
            except DocumentError as exc:
                errors.append(str(exc))
                continue
            if doc.doc_id in docs:  # report.pdf next to report.docx: both are kept, told apart by format
                doc = replace(doc, doc_id=f"{doc.doc_id}_{path.suffix.lstrip('.').lower()}")
            docs[doc.doc_id] = doc
        return docs, errors

    def _previous_for_reuse(self) -> Snapshot | None:
        if self._snap is not None:
            return self._snap
        try:
            return load_snapshot(self.settings.data_dir)
        except (IndexMissing, OSError, ValueError, KeyError, ManifestMismatch):
            return None

    def _commit(self, docs: list[Document], previous: Snapshot | None, progress: Progress | None) -> Snapshot:
        snap = build_snapshot(docs, self.encoder, previous, progress)
        save_snapshot(self.settings.data_dir, snap)
        self._install(snap)
        return snap

    def add_document(self, filename: str, data: bytes) -> UploadResult:
        """Index one uploaded report; the old snapshot serves until the swap."""
        name = upload_name(filename)
        uploads = self.settings.data_dir / "uploads"
        try:
            doc = read_document(uploads / name, self.settings.project_root, self.matcher, data=data)
        except DocumentError as exc:
            raise BadRequest(str(exc)) from exc
        with self._write_lock:
            current = self.snapshot
            store_upload(uploads, name, data)
            docs = {**current.documents, doc.doc_id: doc}  # same file name: replaces that report
            snap = self._commit(list(docs.values()), current, None)
        return UploadResult(doc.doc_id, len(snap.rows_by_doc.get(doc.doc_id, [])), doc.title, snap.manifest.index_version)

    def delete_document(self, doc_id: str) -> DeleteResult:
        with self._write_lock:
            current = self.snapshot
            if doc_id not in current.documents:
                raise NotFound(f"unknown doc_id {doc_id!r}")
            if len(current.documents) == 1:
                raise Conflict("cannot delete the only indexed document")
            snap = self._commit([d for d in current.documents.values() if d.doc_id != doc_id], current, None)
        return DeleteResult(doc_id, len(snap.documents), snap.manifest.index_version)

    # ----- reads -----------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        doc = self.snapshot.documents.get(doc_id)
        if doc is None:
            raise NotFound(f"unknown doc_id {doc_id!r}; GET /documents lists the ids")
        return doc

    def source_file(self, doc_id: str) -> SourceFile:
        """The original file a report was read from, as long as it is still the file that was indexed."""
        doc = self.document(doc_id)
        path = resolve_source(doc.source, self.settings.project_root)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NotFound(f"the original file of {doc_id!r} is no longer at {doc.source}; re-index or re-upload it") from exc
        if hashlib.sha256(data).hexdigest() != doc.sha256:
            raise Conflict(f"{doc.source} has changed since it was indexed; re-index it so citations match the file")
        return SourceFile(path.name, media_type(path.suffix, doc.encoding), data)

    def document_info(self, doc_id: str) -> DocumentInfo:
        return DocumentInfo.of(self.document(doc_id), len(self.snapshot.rows_by_doc.get(doc_id, [])))

    def documents(self) -> list[DocumentInfo]:
        snap = self.snapshot
        return [DocumentInfo.of(d, len(snap.rows_by_doc.get(d.doc_id, []))) for d in snap.documents.values()]

    def passage(self, chunk_id: str, context: int = 0) -> PassageContext:
        snap = self.snapshot
        row = snap.row_of.get(chunk_id)
        if row is None:
            raise NotFound(f"unknown chunk_id {chunk_id!r}")
        if not 0 <= context <= MAX_CONTEXT:
            raise BadRequest(f"context must be between 0 and {MAX_CONTEXT}")
        chunk = snap.chunks[row]
        siblings = snap.doc_chunks(chunk.doc_id)
        i = chunk.ordinal
        return PassageContext(passage_at(snap, row, 1, 0.0), tuple(siblings[max(0, i - context): i]),
                              tuple(siblings[i + 1: i + 1 + context]))

    def health(self) -> Health:
        snap = self._snap
        ready = snap is not None and self.state == ServiceState.OK
        return Health(
            status=ServiceState.OK if ready else ServiceState.INDEXING,
            model=self.encoder.name if self.encoder else None, retrieval=self.retrieval_mode,
            documents=len(snap.documents) if snap else 0, chunks=len(snap.chunks) if snap else 0,
            index_version=snap.manifest.index_version if snap else None,
            warning=self.lexical_warning if self.encoder is None else None,
        )

    def validate_question(self, question: object) -> str:
        if not isinstance(question, str):
            raise BadRequest("question must be a string")
        question = question.strip()
        if not question:
            raise BadRequest("question is empty; ask something like “杭州2020年经济增速是多少？”")
        if len(question) > self.settings.max_question_chars:
            raise BadRequest(f"question is {len(question)} characters; the limit is {self.settings.max_question_chars}")
        return question

    def ask(
        self, question: str, top_k: int = 5, filters: Filters | None = None,
        history: Sequence[Turn] | None = None, clock: Callable[[], float] = time.perf_counter,
    ) -> Answer:
        """Answer a question with cited passages, or say honestly that the reports don't answer it."""
        started = clock()
        question = self.validate_question(question)
        if not isinstance(top_k, int) or isinstance(top_k, bool) or not 1 <= top_k <= 50:
            raise BadRequest("top_k must be an integer between 1 and 50")
        found = run(self.snapshot, self.encoder, self.matcher, question, top_k, filters or Filters(), history or (),
                    self.config, self.thresholds)
        return Answer(
            question=question, answer=found.verdict.text, answerable=found.verdict.answerable,
            retrieval=self.retrieval_mode, passages=found.passages, took_ms=round((clock() - started) * 1000, 2),
            rewritten_question=found.rewritten, warnings=(self.lexical_warning,) if self.encoder is None else (),
        )
