"""The question-answering service: one object that the CLI, chat and HTTP API all share."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from embeddings.encoder import Encoder, load_encoder
from embeddings.manifest import ManifestMismatch
from qa import answer as ans
from qa.chunking import CHUNKER_VERSION
from qa.documents import DocumentError, catalog_aliases, discover, load_catalog, read_document
from qa.errors import BadRequest, Conflict, NotFound, NotReady
from qa.followup import rewrite
from qa.indexing import Progress, build_snapshot
from qa.lexical import TOKENIZER_VERSION
from qa.places import PlaceMatcher
from qa.query import parse_query
from qa.records import Answer, Citation, Document, Filters, Passage, Turn
from qa.retrieval import RetrievalConfig, retrieve
from qa.settings import Settings
from qa.store import IndexMissing, Snapshot, load_snapshot, save_snapshot

log = logging.getLogger("reportqa")
LEXICAL_HINT = (
    "reportqa is running in LEXICAL-ONLY mode (BM25, no dense retrieval). To enable dense retrieval "
    "offline, point REPORTQA_MODEL at a local sentence-transformers folder, e.g. "
    "REPORTQA_MODEL=../shared/models/multilingual-e5-small-q4deq-zh-en"
)


class QAService:
    """Holds the live index snapshot; reads never block, writes build a new snapshot and swap it."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None, encoder_error: str | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.encoder_error = encoder_error
        self.config = RetrievalConfig()
        self.thresholds = ans.Thresholds()
        self.status = "starting"
        self._snap: Snapshot | None = None
        self._write_lock = threading.Lock()
        self.matcher = PlaceMatcher(catalog_aliases(settings.seeds_dir))

    # ----- start-up -----------------------------------------------------------------
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

    def load(self) -> None:
        """Load the persisted index; raise IndexMissing or ManifestMismatch with a clear message."""
        snap = load_snapshot(self.settings.data_dir, with_vectors=self.encoder is not None)
        snap.manifest.check(self.encoder.name if self.encoder else "", CHUNKER_VERSION, TOKENIZER_VERSION)
        self._install(snap)

    def ensure_index(self, progress: Progress | None = None) -> None:
        """Load the index, building it from the seeds first if there is none."""
        self.status = "indexing"
        try:
            self.load()
        except IndexMissing:
            log.info("no index in %s: building one from %s", self.settings.data_dir, self.settings.seeds_dir)
            report = self.index_paths([self.settings.seeds_dir], progress=progress)
            for error in report["errors"]:
                log.warning("skipped %s", error)
        self.status = "ok"

    def _install(self, snap: Snapshot) -> None:
        aliases = catalog_aliases(self.settings.seeds_dir)
        for doc in snap.documents.values():
            aliases.setdefault(doc.region, [])
        self.matcher = PlaceMatcher(aliases)
        self._snap = snap
        self.status = "ok"

    @property
    def snapshot(self) -> Snapshot:
        if self._snap is None:
            raise NotReady("the index is still being built; try again shortly")
        return self._snap

    # ----- indexing -----------------------------------------------------------------
    def index_paths(
        self, paths: Sequence[Path], rebuild: bool = False, add: bool = False, progress: Progress | None = None,
    ) -> dict:
        """(Re)index the given files/folders; unreadable files are reported, the rest still index."""
        docs: dict[str, Document] = {}
        errors: list[str] = []
        catalogs: dict[Path, dict] = {}  # one catalog.toml read per folder, not per file
        for path in discover(paths):
            if path.parent not in catalogs:
                catalogs[path.parent] = load_catalog(path.parent)
            try:
                doc = read_document(path, self.settings.project_root, self.matcher, catalogs[path.parent])
            except DocumentError as exc:
                errors.append(str(exc))
                continue
            docs[doc.doc_id] = doc
        if not docs:
            detail = f" ({'; '.join(errors)})" if errors else ""
            raise BadRequest("no readable .txt/.md reports found in " + ", ".join(map(str, paths)) + detail)
        with self._write_lock:
            previous = None if rebuild else self._previous_for_reuse()
            if add and previous is not None:
                docs = {**previous.documents, **docs}
            snap = self._commit(list(docs.values()), previous, progress)
        return {"documents": len(snap.documents), "chunks": len(snap.chunks), "errors": errors,
                "index_version": snap.manifest.index_version}

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

    def add_document(self, filename: str, data: bytes) -> dict:
        """Index one uploaded report incrementally; the old snapshot serves until the swap."""
        name = Path(filename).name
        uploads = self.settings.data_dir / "uploads"
        path = uploads / name
        try:
            doc = read_document(path, self.settings.project_root, self.matcher, data=data)
        except DocumentError as exc:
            raise BadRequest(str(exc)) from exc
        uploads.mkdir(parents=True, exist_ok=True)
        with self._write_lock:
            current = self.snapshot
            path.write_bytes(data)
            docs = {**current.documents, doc.doc_id: doc}
            snap = self._commit(list(docs.values()), current, None)
        return {"doc_id": doc.doc_id, "chunks": len(snap.rows_by_doc.get(doc.doc_id, [])), "title": doc.title,
                "index_version": snap.manifest.index_version}

    def delete_document(self, doc_id: str) -> dict:
        with self._write_lock:
            current = self.snapshot
            if doc_id not in current.documents:
                raise NotFound(f"unknown doc_id {doc_id!r}")
            if len(current.documents) == 1:
                raise Conflict("cannot delete the only indexed document")
            docs = [d for d in current.documents.values() if d.doc_id != doc_id]
            snap = self._commit(docs, current, None)
        return {"deleted": doc_id, "documents": len(snap.documents), "index_version": snap.manifest.index_version}

    # ----- reading ------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        doc = self.snapshot.documents.get(doc_id)
        if doc is None:
            raise NotFound(f"unknown doc_id {doc_id!r}; GET /documents lists the ids")
        return doc

    def documents(self) -> list[dict]:
        snap = self.snapshot
        return [{**d.meta(), "chunks": len(snap.rows_by_doc.get(d.doc_id, []))} for d in snap.documents.values()]

    def passage(self, chunk_id: str, context: int = 0) -> dict:
        snap = self.snapshot
        row = snap.row_of.get(chunk_id)
        if row is None:
            raise NotFound(f"unknown chunk_id {chunk_id!r}")
        if not 0 <= context <= 20:
            raise BadRequest("context must be between 0 and 20")
        chunk = snap.chunks[row]
        siblings = snap.doc_chunks(chunk.doc_id)
        i = chunk.ordinal
        return {
            "passage": self._passage(snap, row, 1, 0.0).to_dict(),
            "before": [c.to_dict() for c in siblings[max(0, i - context): i]],
            "after": [c.to_dict() for c in siblings[i + 1: i + 1 + context]],
        }

    def health(self) -> dict:
        snap = self._snap
        return {
            "status": "ok" if snap is not None and self.status == "ok" else "indexing",
            "model": self.encoder.name if self.encoder else None,
            "retrieval": self.retrieval_mode,
            "documents": len(snap.documents) if snap else 0,
            "chunks": len(snap.chunks) if snap else 0,
            "index_version": snap.manifest.index_version if snap else None,
            **({"warning": self.lexical_warning} if self.encoder is None else {}),
        }

    def _passage(self, snap: Snapshot, row: int, rank: int, score: float) -> Passage:
        chunk = snap.chunks[row]
        doc = snap.documents[chunk.doc_id]
        cite = Citation(doc.doc_id, doc.title, doc.source, chunk.section, chunk.start, chunk.end)
        return Passage(rank=rank, score=score, text=chunk.text, chunk_id=chunk.chunk_id, citation=cite)

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
        if not isinstance(top_k, int) or not 1 <= top_k <= 50:
            raise BadRequest("top_k must be an integer between 1 and 50")
        snap = self.snapshot
        rewritten = rewrite(question, history, self.matcher) if history else None
        effective = rewritten or question
        info = parse_query(effective, self.matcher)
        hits = retrieve(snap, self.encoder, effective, info, filters or Filters(), self.matcher, max(top_k, 3), self.config)
        passages = tuple(self._passage(snap, h.row, i + 1, h.score) for i, h in enumerate(hits))
        texts = [p.text for p in passages]
        terms = ans.question_terms(self.matcher.strip(effective))
        weights = snap.lexical.idf(terms)
        sections = [f"{p.citation.section}\n{p.text}" for p in passages[:3]]
        evidence = ans.Evidence(
            dense_top=max((h.dense for h in hits[:3] if h.dense is not None), default=None),
            coverage=max((ans.coverage(weights, s) for s in sections), default=0.0),
            unknown_place=self._unknown_place(snap, info.regions),
        )
        answerable = bool(hits) and ans.is_answerable(evidence, self.thresholds)
        if answerable:
            text = ans.format_answer(ans.extract(effective, [t.replace("\n", "") for t in texts], weights))
        elif evidence.unknown_place:
            text = f"{ans.NO_ANSWER}已索引的报告中没有{evidence.unknown_place}的政府工作报告。"
        else:
            text = ans.NO_ANSWER
        warnings = (self.lexical_warning,) if self.encoder is None else ()
        return Answer(
            question=question, answer=text or ans.NO_ANSWER, answerable=answerable and bool(text),
            retrieval=self.retrieval_mode, passages=passages[:top_k], took_ms=(clock() - started) * 1000,
            rewritten_question=rewritten, warnings=warnings,
        )

    def _unknown_place(self, snap: Snapshot, regions: Sequence[str]) -> str | None:
        """A named place with no report of its own, of its parent, or of a child region."""
        if not regions:
            return None
        indexed = {d.region for d in snap.documents.values()}
        related = indexed | {self.matcher.parent(r) for r in indexed}
        for region in regions:
            if region in related or self.matcher.parent(region) in indexed:
                return None
        return regions[0]
