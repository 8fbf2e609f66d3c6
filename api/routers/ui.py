"""The web reading room: `/` serves the single page; its CSS and plain-JS modules live in api/static/.

Nothing is fetched from the internet: the page's Content-Security-Policy allows this origin only,
so a stray CDN link would fail loudly in the browser tests instead of silently working online.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_URL = "/static"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'self'")

router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"])
def index() -> FileResponse:
    # no-cache: the page always revalidates, so an upgraded server never runs against stale modules.
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})


def install_ui(app: FastAPI) -> None:
    """Serve the page at `/` and its assets under /static (a mount, which include_router would drop)."""
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static")
