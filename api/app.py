"""FastAPI app factory for reportqa; nothing happens at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import metrics
from api.errors import install_error_handlers
from api.middleware import install_middleware
from api.openapi import finish_schema
from api.routers import ask, documents, health, passages, timeline
from api.routers.docs import install_docs
from api.routers.ui import install_ui
from api.runtime import Runtime
from qa.core.service import QAService
from qa.core.settings import Settings

DESCRIPTION = """
Ask China's government work reports (政府工作报告) and get answers with cited passages.

* `POST /ask` or `GET /ask?q=…` — answer + passages; each citation's `start`/`end` index the text of
  `GET /documents/{doc_id}/text`.
* `POST /documents` (multipart field `file`, .txt/.md) and `DELETE /documents/{doc_id}` need
  `Authorization: Bearer <REPORTQA_API_TOKEN>`.
* Errors are always `{"error": {"code": …, "message": …}}`; every limit is declared in this schema, and
  bodies over 1 MiB (uploads: over REPORTQA_MAX_UPLOAD_BYTES) are a 413.
* `GET /metrics` (Prometheus) and `GET /health` are never rate-limited.
* The web reading room is at `/`; `GET /timeline` follows a figure across years.
"""


def create_app(settings: Settings, service: QAService | None = None) -> FastAPI:
    """Build the app; pass `service` (already indexed, e.g. with a fake encoder) to skip loading at start-up."""
    runtime = Runtime(settings, service)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Loading happens in a thread: the port opens at once and /health says "indexing" meanwhile.
        runtime.start()
        yield
        runtime.stop.set()

    # docs_url/redoc_url None: install_docs serves them from local assets (no CDN), see api/routers/docs.py.
    app = FastAPI(title="reportqa", version="0.2.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    app.state.metrics = metrics.Metrics(runtime.health)
    install_error_handlers(app)
    install_middleware(app, settings, app.state.metrics)
    for router in (ask.router, timeline.router, documents.router, passages.router, health.router, metrics.router):
        app.include_router(router)
    install_docs(app)
    install_ui(app)
    finish_schema(app, settings)
    return app
