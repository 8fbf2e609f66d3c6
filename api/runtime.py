"""Server start-up: load the model and index in a background thread; /health reports progress meanwhile."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from qa.index.manifest import ManifestMismatch
from qa.records import Health, ServiceState
from qa.service import QAService
from qa.settings import Settings

log = logging.getLogger("reportqa.api")


class Runtime:
    """Holds the service once it exists, plus any fatal start-up error to show on /health."""

    def __init__(self, settings: Settings, service: QAService | None = None) -> None:
        self.settings = settings
        self.service = service
        self.error: str | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Start loading in a daemon thread so the server answers /health ("indexing") meanwhile."""
        if self.thread is not None:
            return
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
            log.info("ready in %.1f s: %d documents, %d passages, %s retrieval, index %s", time.perf_counter() - started,
                     health.documents, health.chunks, health.retrieval, health.index_version)
        except ManifestMismatch as exc:
            self.error = str(exc)
            log.error("cannot serve: %s", exc)
        except Exception as exc:  # keep serving /health with the reason instead of dying
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("start-up failed")

    def health(self) -> Health:
        """The service's health, or a placeholder while the model loads; status "error" after a failure."""
        if self.service is not None:
            health = self.service.health()
        else:
            health = Health(status=ServiceState.INDEXING, model=self.settings.model, retrieval=None)
        health = replace(health, writes_enabled=bool(self.settings.api_token))
        return replace(health, status=ServiceState.ERROR, message=self.error) if self.error else health


def progress_logger(step: int = 10) -> Callable[[int, int], None]:
    """A progress callback that logs every `step` percent of passages embedded."""
    last = -step

    def update(done: int, total: int) -> None:
        nonlocal last
        pct = 100 * done // total if total else 100
        if pct >= last + step or done >= total:
            last = pct
            log.info("embedding passages: %d/%d (%d%%)", done, total, pct)

    return update
