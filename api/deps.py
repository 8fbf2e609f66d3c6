"""Typed FastAPI dependencies: the runtime, the settings, the live service and the bearer-token check.

They are `async def` because none of them blocks: FastAPI runs a plain `def` dependency in its threadpool,
a thread handoff per dependency per request (BENCHMARKS.md, "Where an /ask's time goes")."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.runtime import Runtime
from qa.core.errors import NotReady
from qa.core.service import QAService
from qa.core.settings import Settings

# auto_error=False: we answer missing/odd headers ourselves, in the error envelope, with 401.
_bearer = HTTPBearer(auto_error=False, description="REPORTQA_API_TOKEN")


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_settings(runtime: Annotated[Runtime, Depends(get_runtime)]) -> Settings:
    return runtime.settings


async def get_service(runtime: Annotated[Runtime, Depends(get_runtime)]) -> QAService:
    """The live service, or 503 while it is still starting (or if its index failed to load)."""
    if runtime.error:
        raise NotReady(f"the index could not be loaded: {runtime.error}")
    if runtime.service is None:
        raise NotReady("the server is still loading the model and index; poll GET /health")
    return runtime.service


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[QAService, Depends(get_service)]


async def require_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Write endpoints need `Authorization: Bearer <REPORTQA_API_TOKEN>`; with no token set they are off."""
    if not settings.api_token:
        raise HTTPException(403, "write endpoints are disabled: set REPORTQA_API_TOKEN on the server to enable them")
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "missing bearer token: send `Authorization: Bearer <REPORTQA_API_TOKEN>`", challenge)
    # Constant-time comparison so the token cannot be guessed byte by byte from timings.
    if not hmac.compare_digest(credentials.credentials.encode(), settings.api_token.encode()):
        raise HTTPException(401, "invalid bearer token", challenge)


TokenDep = Depends(require_token)
