"""FastAPI app factory for reportqa; nothing happens at import time.

`reportqa serve` runs `uvicorn.run("api.app:create_app_from_env", factory=True)`, so each worker
process builds its own app, service and index snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import BodyLimitMiddleware, install_error_handlers
from api.routes import router
from api.runtime import Runtime
from qa.service import QAService
from qa.settings import Settings

DESCRIPTION = """
Ask China's government work reports (政府工作报告) and get answers with cited passages.

* `POST /ask` or `GET /ask?q=…` — answer + passages; each citation's `start`/`end` index the text of
  `GET /documents/{doc_id}/text`.
* `POST /documents` (multipart field `file`, .txt/.md) and `DELETE /documents/{doc_id}` need
  `Authorization: Bearer <REPORTQA_API_TOKEN>`.
* Errors are always `{"error": {"code": …, "message": …}}`.
"""


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """Build the app; pass `service` (already indexed, e.g. with a fake encoder) to skip start-up loading."""
    settings = settings or (service.settings if service else Settings.from_env())
    runtime = Runtime(settings, service)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Loading happens in a thread: the port opens at once and /health says "indexing" meanwhile.
        runtime.start()
        yield

    app = FastAPI(title="reportqa", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.service = service

    def publish(created: QAService) -> None:
        app.state.service = created

    runtime.on_service = publish
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, upload_limit=settings.max_upload_bytes)
    app.include_router(router)
    return app


def create_app_from_env() -> FastAPI:
    """Entry point for `uvicorn --factory` / `reportqa serve`: settings from REPORTQA_* variables."""
    # Make the start-up progress visible under uvicorn, whose log config only covers its own loggers.
    logger = logging.getLogger("reportqa")
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    if not logging.getLogger().handlers and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    return create_app(Settings.from_env())
