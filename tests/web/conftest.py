"""Browser fixtures: Debian's chromium driven by Playwright, every non-local request blocked and recorded.

Skips when chromium ($REPORTQA_CHROMIUM, else the one on PATH) or Playwright is missing on a developer
machine; fails in CI (env CI set), where .ci/run installs both. Screenshots go to test-artifacts/
(git-ignored) or $REPORTQA_ARTIFACTS.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

try:
    from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
except ImportError:  # an optional dev dependency: the tests below skip (or fail in CI) without it
    sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("REPORTQA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def artifacts_dir() -> Path:
    path = Path(os.environ.get("REPORTQA_ARTIFACTS") or ROOT / "test-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def require_browser() -> None:
    missing = []
    if sync_playwright is None:
        missing.append("the playwright package (pip install playwright)")
    if not Path(CHROMIUM).is_file():
        missing.append("chromium (apt-get install chromium fonts-noto-cjk)")
    if not missing:
        return
    message = "browser tests need " + " and ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_browser()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page in a fresh context (no cache, no storage), plus what it tried to fetch from outside."""

    page: Page
    context: BrowserContext
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def shot(self, name: str) -> Path:
        path = artifacts_dir() / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def open_tab(browser: Browser, viewport: dict[str, int] = DESKTOP) -> Tab:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    tab = Tab(context.new_page(), context)

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            tab.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab.page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.page.set_default_timeout(60_000)  # answers on a 2-core machine with the real model take seconds
    return tab


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    t = open_tab(browser)
    yield t
    t.context.close()
    assert not t.blocked, f"the page tried to reach the internet: {t.blocked}"
    assert not t.errors, f"JavaScript errors: {t.errors}"


@pytest.fixture
def phone_tab(browser: Browser) -> Iterator[Tab]:
    t = open_tab(browser, PHONE)
    yield t
    t.context.close()
    assert not t.blocked and not t.errors, (t.blocked, t.errors)


class ThreadedServer:
    """A real uvicorn serving `app` on a free port in a thread (for stub apps)."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the stub server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
