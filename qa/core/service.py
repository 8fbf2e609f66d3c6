"""The question-answering service the CLI, chat and HTTP API share: the live index, and ask/index/add/delete."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from embeddings.backends import load_encoder
from embeddings.encoder import Encoder
from qa.core.errors import BadRequest, Conflict, NotFound
from qa.core.records import (
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
from qa.core.settings import Settings
from qa.index import ray_dense
from qa.index.build import Progress, build_prepared, build_segments, prepare
from qa.index.live import DenseCallback, LiveIndex
from qa.index.snapshot import Snapshot
from qa.index.store import IndexMissing
from qa.ingest.catalog import catalog_aliases
from qa.ingest.decode import DocumentError
from qa.ingest.files import read_document, scan
from qa.ingest.samples import calibration_passages
from qa.ingest.uploads import store_upload, upload_name
from qa.lang.places import PlaceMatcher
from qa.lang.query import parse_query
from qa.lang.question import clean_question
from qa.lang.script import as_read
from qa.search import lookup, timeline
from qa.search.ask import query_vector, run
from qa.search.phase import wanted
from qa.search.retrieval import RetrievalConfig

log = logging.getLogger("reportqa")
LEXICAL_HINT = (
    "reportqa is running in LEXICAL-ONLY mode (BM25, no dense retrieval). To enable dense retrieval "
    "offline, point REPORTQA_MODEL at a local sentence-transformers folder, e.g. "
    "REPORTQA_MODEL=../shared/models/multilingual-e5-small-q4deq-zh-en"
)
MAX_TOP_K = 50
MIN_YEAR, MAX_YEAR = 1900, 2100  # the years a question may be asked as of (as_of)
NO_REPORTS = "no readable reports (.txt .md .pdf .docx .html) found in "


class QAService:
    """Reads never block: they use the snapshot in hand. Writes commit a new manifest and swap in its snapshot."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None, encoder_error: str | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.encoder_error = encoder_error
        self.config = RetrievalConfig()
        self.state = ServiceState.INDEXING
        self.matcher = PlaceMatcher(catalog_aliases(settings.seeds_dir))
        self.index = LiveIndex(settings.data_dir, encoder, self._installed)

    @classmethod
    def create(cls, settings: Settings, load_model: bool = True) -> QAService:
        """Load the encoder (or fall back to lexical-only, loudly) without touching the index."""
        encoder, error = (load_encoder(settings.model, settings.device, settings.encoder, settings.model_cache,
                                       lambda: calibration_passages(settings.seeds_dir))
                          if load_model else (None, "model loading skipped"))
        if encoder is None:
            log.warning("embedding model unavailable: %s", error)
            log.warning(LEXICAL_HINT)
        return cls(settings, encoder, error)

    @property
    def lexical_warning(self) -> str:
        return f"lexical-only mode ({self.encoder_error}). {LEXICAL_HINT}"

    @property
    def snapshot(self) -> Snapshot:
        return self.index.snapshot

    def _installed(self, snap: Snapshot) -> None:
        aliases = catalog_aliases(self.settings.seeds_dir)
        for doc in snap.documents.values():
            aliases.setdefault(doc.region, [])
        self.matcher = PlaceMatcher(aliases)
        self.state = ServiceState.OK

    def load(self) -> None:
        self.index.load()

    def ensure_index(self, progress: Progress | None = None) -> None:
        """Load the index, building it (lexically) from the seeds if there is none; `embed_pending` makes it hybrid."""
        self.state = ServiceState.INDEXING
        try:
            self.index.load()
        except IndexMissing:
            log.info("no index in %s: building one from %s", self.settings.data_dir, self.settings.seeds_dir)
            for error in self.index_paths([self.settings.seeds_dir], progress=progress).errors:
                log.warning("skipped %s", error)

    # ----- writes ----------------------------------------------------------------------
    def index_paths(self, paths: Sequence[Path], rebuild: bool = False, replace_all: bool = False,
                    progress: Progress | None = None) -> IndexReport:
        """Add (or, with `replace_all`, make the index exactly) the reports in these files/folders."""
        found = scan(paths)
        if not found.files:
            detail = f" ({'; '.join(found.skipped)})" if found.skipped else ""
            raise BadRequest(NO_REPORTS + ", ".join(map(str, paths)) + detail)
        if not rebuild and self.index.current is None:
            try:
                self.index.load()  # reports already indexed stay; unchanged ones are not read again
            except IndexMissing:
                pass
        with self.index.writing(rebuild) as base:
            lock = self.index.store.lock_fd
            built = build_segments(list(found.files), self.settings.project_root, self.matcher, self.index.live_documents(),
                                   self.index.store.segments_dir, progress, (lock,) if lock is not None else ())
            change, tally = self.index.take(base, built, replace_all)
        if not tally.written and not tally.unchanged:
            raise BadRequest(NO_REPORTS + ", ".join(map(str, paths)) + f" ({'; '.join([*tally.failed, *found.skipped])})")
        snap = self.snapshot
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
        with self.index.writing() as base:
            current = self.snapshot
            same = next((d for d in current.documents.values() if d.sha256 == doc.sha256), None)
            if same is not None:  # idempotent: a second copy would only duplicate every passage
                info = lookup.info(current, same)
                return UploadResult(same.doc_id, info.chunks, same.title, current.manifest.index_version, duplicate=True)
            store_upload(uploads, name, data)
            self.index.take(base, [build_prepared([prepare(doc)], self.index.store.segments_dir)])
        snap = self.snapshot
        return UploadResult(doc.doc_id, lookup.info(snap, doc).chunks, doc.title, snap.manifest.index_version)

    def delete_document(self, doc_id: str) -> DeleteResult:
        with self.index.writing() as base:
            current = self.snapshot
            if doc_id not in current.documents:
                raise NotFound(f"unknown doc_id {doc_id!r}")
            if len(current.documents) == 1:
                raise Conflict("cannot delete the only indexed document")
            snap = self.index.delete(base, [doc_id])
        return DeleteResult(doc_id, len(snap.documents), snap.manifest.index_version)

    def optimize(self) -> IndexReport:
        """Merge every segment into one, dropping tombstoned rows."""
        with self.index.writing():
            snap = self.index.optimize()
        return IndexReport(len(snap.documents), snap.alive_rows, snap.manifest.index_version)

    def embed_pending(self, progress: DenseCallback | None = None, stop: threading.Event | None = None) -> int:
        return self.index.embed_pending(progress, stop)

    def embed_on_ray(self, workers: int, progress: DenseCallback | None = None, shard_size: int | None = None) -> int:
        """The dense pass on `workers` Ray actors, each loading the encoder this service chose."""
        if self.encoder is None:
            return 0
        backend = self.encoder.backend if self.encoder.backend in ("openvino", "openvino-int8") else "torch"
        # Locally the actors share this machine's cores; on a cluster (RAY_ADDRESS) each actor is scheduled on
        # one CPU of some node whose size the driver cannot see, so it runs one thread and N fills the cores.
        threads = 1 if os.environ.get("RAY_ADDRESS") else max(1, (os.cpu_count() or 1) // workers)
        spec = ray_dense.EncoderSpec(self.settings.model, backend, self.settings.device, self.settings.model_cache, threads)
        return self.index.embed_on_ray(spec, workers, progress, shard_size)

    # ----- reads -----------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        return lookup.document(self.snapshot, doc_id)

    def document_info(self, doc_id: str) -> DocumentInfo:
        return lookup.info(self.snapshot, self.document(doc_id))

    def documents(self, filters: Filters | None = None) -> list[DocumentInfo]:
        return lookup.documents(self.snapshot, filters, self.matcher)

    def passage(self, chunk_id: str, context: int = 0) -> PassageContext:
        return lookup.passage(self.snapshot, chunk_id, context)

    def source_file(self, doc_id: str) -> SourceFile:
        return lookup.source_file(self.document(doc_id), self.settings.project_root)

    def retrieval_mode(self, snap: Snapshot | None = None) -> str:
        snap = snap or self.index.current
        if self.encoder is None:
            return "lexical"
        return "partial" if snap is not None and snap.embedded < snap.alive_rows else "hybrid"

    def health(self) -> Health:
        snap = self.index.current
        ready = snap is not None and self.state == ServiceState.OK
        return Health(
            status=ServiceState.OK if ready else ServiceState.INDEXING,
            model=self.encoder.name if self.encoder else None, retrieval=self.retrieval_mode(),
            documents=len(snap.documents) if snap else 0, chunks=snap.alive_rows if snap else 0,
            index_version=snap.manifest.index_version if snap else None,
            warning=self.lexical_warning if self.encoder is None else None,
            embedded=snap.embedded if snap else 0, dense_running=self.index.dense_running.is_set(),
            writes_enabled=bool(self.settings.api_token),
        )

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
        question = clean_question(question, self.settings.max_question_chars)
        snap = self.snapshot
        read = as_read(question, self.matcher)
        request = timeline.Request(read, region, year_from, year_to)
        place = timeline.place_of(request, self.matcher)
        docs = timeline.reports(snap, place, request, self.matcher)
        found = timeline.entries(snap, query_vector(self.encoder, snap, read), docs,
                                 timeline.metric_topic(read, self.matcher),
                                 wanted(parse_query(read, self.matcher).intent), self.config)
        return Timeline(question, place, tuple(d.year for d in docs if d.year is not None), tuple(found),
                        round((clock() - started) * 1000, 2), self.warnings(snap))

    def ask(self, question: str, top_k: int = 5, filters: Filters | None = None, history: Sequence[Turn] | None = None,
            as_of: int | None = None, clock: Callable[[], float] = time.perf_counter) -> Answer:
        """Answer a question with cited passages, or say honestly that the reports don't answer it."""
        started = clock()
        question = clean_question(question, self.settings.max_question_chars)
        if not isinstance(top_k, int) or isinstance(top_k, bool) or not 1 <= top_k <= MAX_TOP_K:
            raise BadRequest(f"top_k must be an integer between 1 and {MAX_TOP_K}")
        if as_of is not None and (not isinstance(as_of, int) or isinstance(as_of, bool) or not MIN_YEAR <= as_of <= MAX_YEAR):
            raise BadRequest(f"as_of must be a year between {MIN_YEAR} and {MAX_YEAR}")
        snap = self.snapshot
        found = run(snap, self.encoder, self.matcher, question, top_k, filters or Filters(), history or (), self.config,
                    as_of)
        return Answer(
            question=question, answer=found.verdict.text, answerable=found.verdict.answerable,
            confidence=found.verdict.confidence, reason=found.verdict.reason, retrieval=self.retrieval_mode(snap),
            passages=found.passages, took_ms=round((clock() - started) * 1000, 2), rewritten_question=found.rewritten,
            warnings=self.warnings(snap),
        )
