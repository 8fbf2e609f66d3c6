"""Swagger UI at /docs and ReDoc at /redoc, served from the `fastapi-offline` package's copies of their
assets instead of a CDN, so the API documentation works on a machine with no internet."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
ASSETS_URL = "/docs-assets"
OPENAPI_URL = "/openapi.json"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
# validatorUrl=None: Swagger UI would otherwise load a badge from validator.swagger.io.
SWAGGER_PARAMETERS = {"validatorUrl": None, "defaultModelsExpandDepth": 0}
# ReDoc's footer loads the Redocly logo from its CDN (and hides it when that fails); keep images local,
# so an offline page makes no outside request at all.
LOCAL_IMAGES = {"Content-Security-Policy": "img-src 'self' data:"}

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=OPENAPI_URL, title="reportqa – Swagger UI", oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon.png", swagger_ui_parameters=SWAGGER_PARAMETERS,
    )
    page.headers.update(LOCAL_IMAGES)
    return page


@router.get(OAUTH2_REDIRECT_URL)
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc() -> HTMLResponse:
    page = get_redoc_html(openapi_url=OPENAPI_URL, title="reportqa – ReDoc", redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                          redoc_favicon_url=f"{ASSETS_URL}/favicon.png", with_google_fonts=False)
    page.headers.update(LOCAL_IMAGES)
    return page


def install_docs(app: FastAPI) -> None:
    """Call on an app created with `docs_url=None, redoc_url=None`."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
