"""The question-answering service: holds the live index and the write lock; the CLI, chat and HTTP API share it."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from embeddings.encoder import Encoder, load_encoder
from qa.errors import BadRequest, Conflict, NoMatch, NotFound, NotReady
from qa.index.build import Progress, build_snapshot
from qa.index.manifest import ManifestMismatch
from qa.index.snapshot import Snapshot
from qa.index.store import IndexMissing, load_snapshot, save_snapshot
from qa.ingest.catalog import CatalogEntry, catalog_aliases, load_catalog
from qa.ingest.chunking import chunker_fingerprint
from qa.ingest.decode import DocumentError
from qa.ingest.files import discover, read_document
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
# Controls, spaces and invisible format characters (zero-width, BOM, bidi marks) carry no meaning in a
# question: runs of them become one space. The same class is the API schema's `pattern` for questions,
# written with escapes every regex dialect reads (ECMA for JSON Schema, Python, Rust for pydantic).
BLANK_CLASS = r"\x00-\x20\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff"
QUESTION_PATTERN = f"[^{BLANK_CLASS}]"  # "at least one visible character"
_BLANKS = re.compile(f"[{BLANK_CLASS}]+")


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
        docs, errors = self._read_all(paths)
        if not docs:
            detail = f" ({'; '.join(errors)})" if errors else ""
            raise BadRequest("no readable .txt/.md reports found in " + ", ".join(map(str, paths)) + detail)
        with self._write_lock:
            previous = None if rebuild else self._previous_for_reuse()
            if add and previous is not None:
                docs = {**previous.documents, **docs}
            snap = self._commit(list(docs.values()), previous, progress)
        return IndexReport(len(snap.documents), len(snap.chunks), snap.manifest.index_version, tuple(errors))

    def _read_all(self, paths: Sequence[Path]) -> tuple[dict[str, Document], list[str]]:
        docs: dict[str, Document] = {}
        errors: list[str] = []
        catalogs: dict[Path, dict[str, CatalogEntry]] = {}  # one catalog.toml read per folder, not per file
        for path in discover(paths):
            if path.parent not in catalogs:
                catalogs[path.parent] = load_catalog(path.parent)
            try:
                doc = read_document(path, self.settings.project_root, self.matcher, catalogs[path.parent])
            except DocumentError as exc:
                errors.append(str(exc))
                continue
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
        """Index one uploaded report; the old snapshot serves until the swap. The same bytes again are a no-op."""
        name = upload_name(filename, data)
        uploads = self.settings.data_dir / "uploads"
        try:
            doc = read_document(uploads / name, self.settings.project_root, self.matcher, data=data)
        except DocumentError as exc:
            raise BadRequest(str(exc)) from exc
        with self._write_lock:
            current = self.snapshot
            same = next((d for d in current.documents.values() if d.sha256 == doc.sha256), None)
            if same is not None:  # idempotent: a second copy would only duplicate every passage
                return UploadResult(same.doc_id, len(current.rows_by_doc.get(same.doc_id, [])), same.title,
                                    current.manifest.index_version, duplicate=True)
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
        """The question with blanks (controls, spaces, zero-width) collapsed; BadRequest if empty or too long."""
        if not isinstance(question, str):
            raise BadRequest("question must be a string")
        if len(question) > self.settings.max_question_chars:  # counted before clean-up, as the schema counts
            raise BadRequest(f"question is {len(question)} characters; the limit is {self.settings.max_question_chars}")
        if not question.isascii():
            try:
                question.encode("utf-8")
            except UnicodeEncodeError:
                raise BadRequest("question contains invalid Unicode (a lone surrogate \\uD800-\\uDFFF)") from None
        question = _BLANKS.sub(" ", question).strip(" ")
        if not question:
            raise BadRequest("question is empty; ask something like “杭州2020年经济增速是多少？”")
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
        check_filters(self.snapshot.documents.values(), filters or Filters(), self.matcher)
        found = run(self.snapshot, self.encoder, self.matcher, question, top_k, filters or Filters(), history or (),
                    self.config, self.thresholds)
        return Answer(
            question=question, answer=found.verdict.text, answerable=found.verdict.answerable,
            retrieval=self.retrieval_mode, passages=found.passages, took_ms=round((clock() - started) * 1000, 2),
            rewritten_question=found.rewritten, warnings=(self.lexical_warning,) if self.encoder is None else (),
        )


def check_filters(documents: Iterable[Document], filters: Filters, matcher: PlaceMatcher) -> None:
    """Raise NoMatch, naming what is indexed, when the filters select no report (instead of an empty answer).

    Mirrors the search's filter semantics: values within a field are alternatives, fields combine.
    """
    if filters.empty:
        return
    docs = list(documents)
    regions = {matcher.canonical(r) for r in filters.regions}

    def selected(doc: Document) -> bool:
        return ((not filters.doc_ids or doc.doc_id in filters.doc_ids)
                and (not regions or doc.region in regions or matcher.canonical(doc.region) in regions)
                and (not filters.years or doc.year in filters.years))

    if any(selected(d) for d in docs):
        return
    asked = [f"{name}={','.join(map(str, values))}" for name, values in
             (("doc_id", filters.doc_ids), ("region", filters.regions), ("year", filters.years)) if values]
    years = sorted({d.year for d in docs if d.year is not None})
    known = (f"indexed regions: {', '.join(sorted({d.region for d in docs})) or '(none)'}; "
             f"indexed years: {', '.join(map(str, years)) or '(none)'}")
    if filters.doc_ids:
        known += "; GET /documents lists the doc ids"
    raise NoMatch(f"no indexed report matches {' and '.join(asked)}; {known}")
