"""Server start-up: load the model and index in a background thread; /health reports progress meanwhile."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from qa.core.records import Health, ServiceState
from qa.core.service import QAService
from qa.core.settings import Settings
from qa.index.dense import DenseProgress
from qa.index.manifest import ManifestMismatch

log = logging.getLogger("reportqa.api")


class Runtime:
    """Holds the service once it exists, plus any fatal start-up error to show on /health."""

    def __init__(self, settings: Settings, service: QAService | None = None) -> None:
        self.settings = settings
        self.service = service
        self.error: str | None = None
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()  # set at shutdown: the dense pass stops between shards
        self._dense_lock = threading.Lock()
        self._dense_thread: threading.Thread | None = None

    def start(self) -> None:
        """Start loading in a daemon thread so the server answers /health ("indexing") meanwhile."""
        if self.thread is not None:
            return
        log.info("%s", startup_summary(self.settings))
        self.thread = threading.Thread(target=self._boot, name="reportqa-startup", daemon=True)
        self.thread.start()

    def _boot(self) -> None:
        started = time.perf_counter()
        try:
            if self.service is None:
                log.info("loading embedding model %s", self.settings.model)
                self.service = QAService.create(self.settings)
            service = self.service
            if service.health().status == ServiceState.OK:  # an injected, already indexed service
                return
            log.info("loading the index from %s (building it from %s if missing)",
                     self.settings.data_dir, self.settings.seeds_dir)
            service.ensure_index(progress=progress_logger())
            health = service.health()
            log.info("ready in %.1f s: model %s, %s retrieval, %d documents, %d passages, index %s",
                     time.perf_counter() - started, health.model or "(none: lexical-only)", health.retrieval,
                     health.documents, health.chunks, health.index_version)
            if service.encoder is not None and health.embedded < health.chunks:
                # Lexical search already works; the dense pass resumes here and makes it hybrid shard by shard.
                log.info("dense pass: %d of %d passages still need vectors", health.chunks - health.embedded, health.chunks)
                service.embed_pending(progress=dense_logger(), stop=self.stop)
                log.info("dense pass done: %s retrieval", service.health().retrieval)
        except ManifestMismatch as exc:
            self.error = str(exc)
            log.error("cannot serve: %s", exc)
        except Exception as exc:  # keep serving /health with the reason instead of dying
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("start-up failed")

    def embed_in_background(self) -> None:
        """After an upload: embed its passages in a background thread, so the upload returns at once and
        retrieval goes from "partial" back to "hybrid" by itself. At most one such thread runs."""
        service = self.service
        if service is None or service.encoder is None:
            return
        with self._dense_lock:
            if self._dense_thread is not None and self._dense_thread.is_alive():
                return  # it loops until nothing is missing, this upload included
            self._dense_thread = threading.Thread(target=self._embed_until_done, args=(service,),
                                                  name="reportqa-dense", daemon=True)
            self._dense_thread.start()

    def _embed_until_done(self, service: QAService) -> None:
        try:
            while not self.stop.is_set():
                service.embed_pending(progress=dense_logger(), stop=self.stop)
                health = service.health()
                if health.embedded >= health.chunks:
                    return
                # Another pass (start-up's) holds the encoder and returned us nothing; look again shortly.
                self.stop.wait(0.5)
        except Exception:  # the upload is already searchable lexically; say why it is not embedded
            log.exception("dense pass after an upload failed")

    def health(self) -> Health:
        """The service's health, or a placeholder while the model loads; status "error" after a failure."""
        if self.service is not None:
            health = self.service.health()
        else:
            health = Health(status=ServiceState.INDEXING, model=self.settings.model, retrieval=None)
        health = replace(health, writes_enabled=bool(self.settings.api_token))
        return replace(health, status=ServiceState.ERROR, message=self.error) if self.error else health


def startup_summary(settings: Settings) -> str:
    """The configuration an operator needs to see first; never the token itself."""
    writes = "read-write (REPORTQA_API_TOKEN set)" if settings.api_token else "read-only (no REPORTQA_API_TOKEN)"
    return (f"reportqa starting: model {settings.model} on {settings.device}; data {settings.data_dir}; mode {writes}; "
            f"CORS {', '.join(settings.cors_origins) or 'off'}; rate limit {settings.rate_limit or 'off'}; "
            f"limits: question {settings.max_question_chars} chars, upload {settings.max_upload_bytes} bytes; "
            f"questions in logs {'on' if settings.log_questions else 'off (length only)'}")


def dense_logger(step: int = 5) -> Callable[[DenseProgress], None]:
    """Log the dense pass every `step` percent: passages, rate and time left."""
    last = -step

    def update(p: DenseProgress) -> None:
        nonlocal last
        pct = 100 * p.done // p.total if p.total else 100
        if pct >= last + step or p.done >= p.total:
            last = pct
            eta = f", about {p.eta_s / 60:.0f} min left" if p.eta_s else ""
            log.info("dense pass: %d/%d passages embedded (%d%%, %.1f/s%s)", p.done, p.total, pct, p.rate, eta)

    return update


def progress_logger(step: int = 10) -> Callable[[int, int], None]:
    """Log the lexical build every `step` percent of reports read, chunked and tokenized."""
    last = -step

    def update(done: int, total: int) -> None:
        nonlocal last
        pct = 100 * done // total if total else 100
        if pct >= last + step or done >= total:
            last = pct
            log.info("lexical index: %d/%d reports (%d%%)", done, total, pct)

    return update
