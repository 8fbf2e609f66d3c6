"""Measure the web page in a real browser: first-load weight and time from pressing Enter to the answer painted.

    python eval/web_latency.py [--url http://127.0.0.1:8000] [-n 20] [--questions eval/dev_qa.jsonl]

Without --url it starts `python -m qa serve` on a free port with the current environment (REPORTQA_MODEL,
REPORTQA_DATA_DIR, ...) and stops it afterwards. Needs Playwright and Debian's chromium (see tests/web).
Each question is asked in a new conversation, so follow-up handling does not rewrite it; --warmup
other questions (from the end of the file) are asked untimed first.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Armed before Enter is pressed: the keydown listener stamps the start, a MutationObserver waits for the
# answered turn, and the stamp after the next animation frame (plus a task) approximates "painted".
ARM = """() => {
  const list = document.querySelector('#conversation');
  window.__latency = new Promise((resolve) => {
    let start = null;
    document.addEventListener('keydown', (e) => { if (e.key === 'Enter') start = performance.now(); },
                              { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (start !== null && list.querySelector('.turn.done, .turn .error')) {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
      }
    });
    observer.observe(list, { subtree: true, childList: true, attributes: true });
  });
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=5).json().get("status") == "ok":
                return url, proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        time.sleep(1)
    proc.kill()
    raise SystemExit("server not ready after 600 s")


def first_load_bytes(page: Page, url: str) -> tuple[int, int]:
    sizes: list[int] = []
    page.on("requestfinished", lambda req: sizes.append(req.sizes()["responseBodySize"] + req.sizes()["responseHeadersSize"]))
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready]")
    page.wait_for_load_state("networkidle")
    return sum(sizes), len(sizes)


def ask(page: Page, question: str) -> tuple[float, float]:
    """(ms from Enter to the answer painted, as the page saw it; the server's own took_ms)."""
    page.click("#new-chat")
    page.fill("#question", question)
    page.evaluate(ARM)
    with page.expect_response(lambda r: r.url.endswith("/ask")) as info:
        page.press("#question", "Enter")
    return float(page.evaluate("() => window.__latency")), float(info.value.json().get("took_ms", 0.0))


def measure(url: str, questions: list[str], chromium: str, warmup: list[str]) -> dict[str, object]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        weight, requests = first_load_bytes(page, url)
        page.set_default_timeout(120_000)
        for question in warmup:
            ask(page, question)
        timings = [ask(page, question) for question in questions]
        browser.close()
    latencies = [t for t, _ in timings]
    server_ms = [s for _, s in timings]
    return {
        "first_load_bytes": weight, "first_load_requests": requests, "questions": len(latencies),
        "enter_to_painted_ms": {"p50": round(statistics.median(latencies), 1),
                                "p90": round(statistics.quantiles(latencies, n=10)[-1], 1) if len(latencies) > 1 else None,
                                "min": round(min(latencies), 1), "max": round(max(latencies), 1)},
        "server_took_ms_p50": round(statistics.median(server_ms), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a running `reportqa serve`; default: start one")
    ap.add_argument("-n", type=int, default=20, help="number of questions (default 20)")
    ap.add_argument("--questions", type=Path, default=ROOT / "eval" / "dev_qa.jsonl")
    ap.add_argument("--warmup", type=int, default=3, help="questions asked untimed first (default 3)")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [row["question"] for row in rows][: args.n]
    # Warm-up questions come from the end of the file, so no timed question is a repeat.
    warmup = [row["question"] for row in rows][len(questions):][-args.warmup:] if args.warmup else []
    proc = None
    url = args.url
    if not url:
        url, proc = start_server()
    try:
        print(json.dumps(measure(url.rstrip("/"), questions, args.chromium, warmup), ensure_ascii=False, indent=2))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
