"""The page's routes without a browser: what `/`, /static, /docs and /redoc serve, and that it all ships."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routers.ui import STATIC_DIR
from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import ROOT

LOCAL_REF = re.compile(r'(?:src|href)="(/[^"]*)"')
URL = re.compile(r"https?://[^\s'\"`)]+")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # a name, never fetched


@pytest.fixture
def client(settings: Settings, fake_service: QAService) -> TestClient:
    return TestClient(create_app(settings, fake_service))


def static_files() -> list[Path]:
    return sorted(p for p in STATIC_DIR.rglob("*") if p.is_file())


def test_index_and_every_asset_it_references(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    refs = LOCAL_REF.findall(page.text)
    assert "/static/app.css" in refs and "/static/js/main.js" in refs
    for ref in refs:
        assert client.get(ref).status_code == 200, ref
    assert client.get("/static/js/main.js").headers["content-type"].startswith(("text/javascript", "application/javascript"))
    missing = client.get("/static/js/nope.js")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_module_imports_resolve_and_nothing_points_outside() -> None:
    for path in static_files():
        text = path.read_text(encoding="utf-8")
        assert [u for u in URL.findall(text) if u != SVG_NAMESPACE] == [], f"{path.name} refers to the internet"
        for target in re.findall(r"from '(\./[^']+)'", text):
            assert (path.parent / target).is_file(), f"{path.name} imports missing {target}"


def test_package_data_ships_every_static_file() -> None:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["api"]
    for path in static_files():
        rel = path.relative_to(STATIC_DIR.parent).as_posix()
        assert any(fnmatch(rel, g) for g in globs), f"{rel} would be missing from the wheel"


def test_docs_and_redoc_use_local_assets(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["content-security-policy"] == "img-src 'self' data:"
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert assets and all(a.startswith("/docs-assets/") for a in assets), assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset
    assert "validatorUrl" in client.get("/docs").text
    assert client.get("/openapi.json").json()["info"]["title"] == "reportqa"
    assert "/" not in client.get("/openapi.json").json()["paths"]  # the page is not an API operation


def test_health_says_whether_writes_are_enabled(settings: Settings, fake_service: QAService) -> None:
    assert TestClient(create_app(settings, fake_service)).get("/health").json()["writes_enabled"] is True
    no_token = replace(settings, api_token="")
    assert TestClient(create_app(no_token, fake_service)).get("/health").json()["writes_enabled"] is False
