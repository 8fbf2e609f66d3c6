"""The question-answering service: holds the live index and the write lock; the CLI, chat and HTTP API share it."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from embeddings.backends import load_encoder
from embeddings.encoder import Encoder
from qa.errors import BadRequest, Conflict, NotFound, NotReady
from qa.index import dense, writer
from qa.index.build import Progress, build_prepared, build_segments, prepare
from qa.index.manifest import Manifest
from qa.index.segment import Segment
from qa.index.snapshot import Snapshot
from qa.index.store import IndexMissing, IndexStore, WriterBusy
from qa.index.vectors import VectorStore
from qa.ingest.catalog import catalog_aliases
from qa.ingest.chunking import chunk_document, chunker_fingerprint
from qa.ingest.decode import DocumentError
from qa.ingest.files import read_document, resolve_source, scan
from qa.ingest.readers import media_type
from qa.ingest.uploads import store_upload, upload_name
from qa.lang.places import PlaceMatcher
from qa.lang.query import parse_query
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
    Timeline,
    Turn,
    UploadResult,
)
from qa.search import timeline
from qa.search.ask import passage_at, query_vector, run
from qa.search.phase import wanted
from qa.search.retrieval import RetrievalConfig
from qa.search.scope import filter_documents
from qa.settings import Settings

log = logging.getLogger("reportqa")
LEXICAL_HINT = (
    "reportqa is running in LEXICAL-ONLY mode (BM25, no dense retrieval). To enable dense retrieval "
    "offline, point REPORTQA_MODEL at a local sentence-transformers folder, e.g. "
    "REPORTQA_MODEL=../shared/models/multilingual-e5-small-q4deq-zh-en"
)
MAX_CONTEXT = 20
DenseCallback = Callable[[dense.DenseProgress], None]
# Controls, spaces and invisible format characters (zero-width, BOM, bidi marks) carry no meaning in a
# question: runs of them become one space. The same class is the API schema's `pattern` for questions,
# written with escapes every regex dialect reads (ECMA for JSON Schema, Python, Rust for pydantic).
BLANK_CLASS = r"\x00-\x20\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff"
QUESTION_PATTERN = f"[^{BLANK_CLASS}]"  # "at least one visible character"
_BLANKS = re.compile(f"[{BLANK_CLASS}]+")


def calibration_passages(folder: Path) -> list[str]:
    """Report passages to calibrate an int8 encoder on: the chunks of the reports in `folder` (the seeds)."""
    out: list[str] = []
    for path in scan([folder]).files if folder.is_dir() else ():
        try:
            doc = read_document(path, folder, PlaceMatcher())
        except DocumentError:
            continue
        out.extend(c.text for c in chunk_document(doc))
    return out


class QAService:
    """Reads never block: they use the snapshot in hand. Writes commit a new manifest under a lock and swap in
    the snapshot it describes; the dense pass fills vectors into the live snapshot as its shards land."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None, encoder_error: str | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.encoder_error = encoder_error
        self.config = RetrievalConfig()
        self.state = ServiceState.INDEXING
        self.store = IndexStore(settings.data_dir)
        self.vectors = VectorStore(settings.data_dir / "vectors", encoder.name, encoder.dim) if encoder else None
        self._snap: Snapshot | None = None
        self._write_lock = threading.Lock()
        self._dense_running = threading.Event()
        self.matcher = PlaceMatcher(catalog_aliases(settings.seeds_dir))

    @classmethod
    def create(cls, settings: Settings, load_model: bool = True) -> QAService:
        """Load the encoder (or fall back to lexical-only, loudly) without touching the index."""
        encoder, error = load_encoder(settings.model, settings.device, settings.encoder, settings.model_cache,
                                      lambda: calibration_passages(settings.seeds_dir)) if load_model \
            else (None, "model loading skipped")
        if encoder is None:
            log.warning("embedding model unavailable: %s", error)
            log.warning(LEXICAL_HINT)
        return cls(settings, encoder, error)

    @property
    def lexical_warning(self) -> str:
        return f"lexical-only mode ({self.encoder_error}). {LEXICAL_HINT}"

    @property
    def dim(self) -> int:
        return self.encoder.dim if self.encoder else 0

    def shape(self) -> writer.Shape:
        return writer.Shape(self.encoder.name if self.encoder else "", self.dim, chunker_fingerprint(), tokenizer_fingerprint())

    # ----- the live index ------------------------------------------------------------
    def load(self) -> None:
        """Load the committed index; IndexMissing, ManifestMismatch or CorruptIndex with a clear message."""
        manifest = self.store.manifest()
        shape = self.shape()
        manifest.check(shape.model, shape.chunker, shape.tokenizer)
        snap = self.store.snapshot(manifest, self.dim)
        if self.vectors is not None:
            snap.install_vectors(self.vectors.load())
        self._install(snap)

    def ensure_index(self, progress: Progress | None = None) -> None:
        """Load the index, building it (lexically) from the seeds first if there is none; `embed_pending` then
        makes it hybrid."""
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
    @contextmanager
    def _writing(self) -> Iterator[Manifest]:
        """The in-process write lock plus the writer lock shared with other processes; yields the base manifest."""
        with self._write_lock:
            try:
                self.store.lock()
            except WriterBusy as exc:
                raise Conflict(str(exc)) from exc
            try:
                try:
                    base = self._snap.manifest if self._snap is not None else self.store.manifest()
                except IndexMissing:
                    base = self.shape().empty()
                yield base
            finally:
                self.store.unlock()

    def _apply(self, change: writer.Change) -> Snapshot:
        cache: dict[str, Segment] = {v.seg.name: v.seg for v in self._snap.views} if self._snap else {}
        cache.update(change.segments)
        snap = Snapshot(change.manifest, self.store.load_segments(change.manifest, cache), self.dim, self._snap)
        if self._snap is not None and change.segments:
            snap.carry_vectors(self._snap, set(change.segments))  # merged or re-uploaded text keeps its vectors
        elif self._snap is None and self.vectors is not None:
            snap.install_vectors(self.vectors.load())  # a rebuild: vectors are found again by content
        self.store.collect_garbage(change.manifest)
        self._install(snap)
        return snap

    def index_paths(self, paths: Sequence[Path], rebuild: bool = False, replace_all: bool = False,
                    progress: Progress | None = None) -> IndexReport:
        """Add (or, with `replace_all`, make the index exactly) the reports in these files/folders."""
        found = scan(paths)
        files = list(found.files)
        if not files:
            detail = f" ({'; '.join(found.skipped)})" if found.skipped else ""
            raise BadRequest("no readable reports (.txt .md .pdf .docx .html) found in " + ", ".join(map(str, paths)) + detail)
        if not rebuild and self._snap is None:
            try:
                self.load()  # reports already indexed stay, unchanged ones are not read again
            except IndexMissing:
                pass
        with self._writing() as base:
            if rebuild:
                self.store.wipe()
                self._snap, base = None, self.shape().empty()
            live = self._snap.documents if self._snap is not None else {}
            built = build_segments(files, self.settings.project_root, self.matcher, dict(live), self.store.segments_dir,
                                   progress)
            change, tally = writer.write_documents(self.store, base, live, built, replace_all)
            if not tally.written and not tally.unchanged:
                raise BadRequest("no readable reports (.txt .md .pdf .docx .html) found in "
                                 + ", ".join(map(str, paths)) + f" ({'; '.join([*tally.failed, *found.skipped])})")
            snap = self._apply(change)
            merged = writer.merge_segments(self.store, snap)
            if merged is not None:
                snap = self._apply(merged)
        return IndexReport(len(snap.documents), snap.alive_rows, snap.manifest.index_version, tuple(tally.failed),
                           indexed=len(change.added), unchanged=len(change.unchanged), skipped=found.skipped,
                           removed=len(change.removed))

    def add_document(self, filename: str, data: bytes) -> UploadResult:
        """Index one uploaded report as a small new segment; the same bytes again are a no-op."""
        name = upload_name(filename, data)
        uploads = self.settings.data_dir / "uploads"
        try:
            doc = read_document(uploads / name, self.settings.project_root, self.matcher, data=data)
        except DocumentError as exc:
            raise BadRequest(str(exc)) from exc
        with self._writing() as base:
            current = self.snapshot
            same = next((d for d in current.documents.values() if d.sha256 == doc.sha256), None)
            if same is not None:  # idempotent: a second copy would only duplicate every passage
                a, b = current.doc_rows.get(same.doc_id, (0, 0))
                return UploadResult(same.doc_id, b - a, same.title, current.manifest.index_version, duplicate=True)
            store_upload(uploads, name, data)
            built = build_prepared([prepare(doc)], self.store.segments_dir)
            change, _ = writer.write_documents(self.store, base, self.snapshot.documents, [built])
            snap = self._apply(change)
            merged = writer.merge_segments(self.store, snap)
            if merged is not None:
                snap = self._apply(merged)
        a, b = snap.doc_rows.get(doc.doc_id, (0, 0))
        return UploadResult(doc.doc_id, b - a, doc.title, snap.manifest.index_version)

    def delete_document(self, doc_id: str) -> DeleteResult:
        with self._writing() as base:
            current = self.snapshot
            if doc_id not in current.documents:
                raise NotFound(f"unknown doc_id {doc_id!r}")
            if len(current.documents) == 1:
                raise Conflict("cannot delete the only indexed document")
            snap = self._apply(writer.delete_documents(self.store, base, [doc_id]))
        return DeleteResult(doc_id, len(snap.documents), snap.manifest.index_version)

    def optimize(self) -> IndexReport:
        """Merge every segment into one, dropping tombstoned rows."""
        with self._writing():
            change = writer.merge_segments(self.store, self.snapshot, everything=True)
            snap = self._apply(change) if change is not None else self.snapshot
        return IndexReport(len(snap.documents), snap.alive_rows, snap.manifest.index_version)

    def embed_pending(self, progress: DenseCallback | None = None, stop: threading.Event | None = None) -> int:
        """Run the dense pass until every live passage has a vector (resumable; one runs at a time)."""
        if self.encoder is None or self.vectors is None or self._dense_running.is_set():
            return 0
        self._dense_running.set()
        try:
            self.vectors.clean()
            return dense.run(self.vectors, lambda: self.snapshot, self.encoder, progress, stop)
        finally:
            self._dense_running.clear()

    # ----- reads -----------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        doc = self.snapshot.documents.get(doc_id)
        if doc is None:
            raise NotFound(f"unknown doc_id {doc_id!r}; GET /documents lists the ids")
        return doc

    def _info(self, doc: Document) -> DocumentInfo:
        a, b = self.snapshot.doc_rows.get(doc.doc_id, (0, 0))
        return DocumentInfo.of(doc, b - a)

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
        return self._info(self.document(doc_id))

    def documents(self, filters: Filters | None = None) -> list[DocumentInfo]:
        docs = list(self.snapshot.documents.values())
        if filters is not None and not filters.empty:
            docs = filter_documents(docs, filters, self.matcher)
        return [self._info(d) for d in docs]

    def passage(self, chunk_id: str, context: int = 0) -> PassageContext:
        snap = self.snapshot
        row = snap.row_of.get(chunk_id)
        if row is None:
            raise NotFound(f"unknown chunk_id {chunk_id!r}")
        if not 0 <= context <= MAX_CONTEXT:
            raise BadRequest(f"context must be between 0 and {MAX_CONTEXT}")
        doc = snap.document_of(row)
        first, last = snap.doc_rows[doc.doc_id]
        before = tuple(snap.chunk(r) for r in range(max(first, row - context), row))
        after = tuple(snap.chunk(r) for r in range(row + 1, min(last, row + 1 + context)))
        return PassageContext(passage_at(snap, row, 1, 0.0), before, after)

    def retrieval_mode(self, snap: Snapshot | None = None) -> str:
        snap = snap or self._snap
        if self.encoder is None:
            return "lexical"
        if snap is not None and snap.embedded < snap.alive_rows:
            return "partial"
        return "hybrid"

    def health(self) -> Health:
        snap = self._snap
        ready = snap is not None and self.state == ServiceState.OK
        return Health(
            status=ServiceState.OK if ready else ServiceState.INDEXING,
            model=self.encoder.name if self.encoder else None, retrieval=self.retrieval_mode(),
            documents=len(snap.documents) if snap else 0, chunks=snap.alive_rows if snap else 0,
            index_version=snap.manifest.index_version if snap else None,
            warning=self.lexical_warning if self.encoder is None else None,
            embedded=snap.embedded if snap else 0, dense_running=self._dense_running.is_set(),
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

    def warnings(self, snap: Snapshot) -> tuple[str, ...]:
        if self.encoder is None:
            return (self.lexical_warning,)
        if snap.embedded < snap.alive_rows:
            share = snap.embedded / max(snap.alive_rows, 1)
            return (f"the dense pass is still running: {share:.0%} of passages are embedded; "
                    "the others are matched by BM25 only",)
        return ()

    def timeline(self, question: str, region: str | None = None, year_from: int | None = None,
                 year_to: int | None = None, clock: Callable[[], float] = time.perf_counter) -> Timeline:
        """For one place, the best cited sentence of each report-year, with its figures, in year order."""
        started = clock()
        question = self.validate_question(question)
        snap = self.snapshot
        request = timeline.Request(question, region, year_from, year_to)
        place = timeline.place_of(request, self.matcher)
        docs = timeline.reports(snap, place, request, self.matcher)
        found = timeline.entries(snap, query_vector(self.encoder, snap, question), docs,
                                 timeline.metric_terms(question, self.matcher),
                                 wanted(parse_query(question, self.matcher).intent), self.config)
        return Timeline(question, place, tuple(d.year for d in docs if d.year is not None), tuple(found),
                        round((clock() - started) * 1000, 2), self.warnings(snap))

    def ask(
        self, question: str, top_k: int = 5, filters: Filters | None = None,
        history: Sequence[Turn] | None = None, clock: Callable[[], float] = time.perf_counter,
    ) -> Answer:
        """Answer a question with cited passages, or say honestly that the reports don't answer it."""
        started = clock()
        question = self.validate_question(question)
        if not isinstance(top_k, int) or isinstance(top_k, bool) or not 1 <= top_k <= 50:
            raise BadRequest("top_k must be an integer between 1 and 50")
        snap = self.snapshot
        found = run(snap, self.encoder, self.matcher, question, top_k, filters or Filters(), history or (), self.config)
        return Answer(
            question=question, answer=found.verdict.text, answerable=found.verdict.answerable,
            confidence=found.verdict.confidence, reason=found.verdict.reason,
            retrieval=self.retrieval_mode(snap), passages=found.passages, took_ms=round((clock() - started) * 1000, 2),
            rewritten_question=found.rewritten, warnings=self.warnings(snap),
        )
