"""The page against a stub API over real HTTP, for contracts the real server does not serve yet: the timeline
view (GET /timeline, following its announced contract), an answer's `confidence`, a PDF citation's `page`,
a server with writes disabled, and the offset conversion for characters outside the BMP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Query
from fastapi.responses import PlainTextResponse

from api.routers.ui import install_ui

from ..conftest import free_port
from .conftest import PHONE, Tab, ThreadedServer, open_tab

DOC_ID = "tl_2024"
# Astral characters (𠮷, 🏭) before the cited sentences: Python offsets count them once, JS strings twice.
TEXT = (
    "历年报告摘编𠮷🏭\n\n"
    "2019年：全市地区生产总值增长6.8%。\n\n"
    "2020年：面对疫情，经济运行总体平稳。\n\n"
    "2021年：全市地区生产总值增长3.9%。\n\n"
    "2023年：全市地区生产总值增长1.5%左右。\n\n"
    "2024年：全市地区生产总值增长5%左右。\n"
)
FIGURES = {2019: ("6.8%", 6.8, None), 2021: ("3.9%", 3.9, None), 2023: ("1.5%左右", 1.5, "左右"), 2024: ("5%左右", 5.0, "左右")}
YEARS_IN_ENTRIES = (2019, 2020, 2021, 2023, 2024)  # 2022: no entry at all; 2020: a passage without a figure


def passage_for(year: int) -> dict[str, Any]:
    line = next(line for line in TEXT.splitlines() if line.startswith(f"{year}年"))
    start = TEXT.index(line)  # a Python str offset: code points, like the real API's
    return {"rank": 1, "score": 1.0, "text": line, "chunk_id": f"c{year}",
            "citation": {"doc_id": DOC_ID, "title": "杭州市历年报告摘编", "source": "stub", "section": f"{year}年",
                         "start": start, "end": start + len(line)}}


def stub_app(calls: list[dict[str, Any]]) -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "model": "stub", "retrieval": "hybrid", "documents": 1, "chunks": 5, "writes_enabled": False}

    @app.get("/documents")
    def documents() -> list[dict[str, Any]]:
        return [{"doc_id": DOC_ID, "title": "杭州市历年报告摘编", "region": "杭州市", "year": 2024, "level": "city",
                 "kind": "full", "source": "stub", "sha256": "", "encoding": "utf-8", "inferred": [],
                 "chars": len(TEXT), "chunks": 5}]

    @app.get("/documents/{doc_id}/text", response_class=PlainTextResponse)
    def text(doc_id: str) -> str:
        return TEXT

    @app.post("/ask")
    def ask(body: dict[str, Any]) -> dict[str, Any]:
        calls.append({"ask": body})
        passage = passage_for(2021)
        passage["citation"]["page"] = 3
        return {"question": body["question"], "answer": "全市地区生产总值增长3.9%。[1]", "answerable": True,
                "retrieval": "hybrid", "passages": [passage], "took_ms": 5.0, "rewritten_question": None,
                "warnings": [], "confidence": 0.82}

    @app.get("/timeline")
    def timeline(q: str, region: str = "", start: int | None = Query(None, alias="from"),
                 end: int | None = Query(None, alias="to")) -> dict[str, Any]:
        calls.append({"q": q, "region": region, "from": start, "to": end})
        entries = []
        for year in YEARS_IN_ENTRIES:
            fig = FIGURES.get(year)
            figures = [{"text": fig[0], "value": fig[1], "unit": "%", "qualifier": fig[2]}] if fig else []
            entries.append({"year": year, "passage": passage_for(year), "figures": figures})
        return {"question": q, "region": region, "entries": entries}

    install_ui(app)
    return app


@pytest.fixture(scope="module")
def stub() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    calls: list[dict[str, Any]] = []
    with ThreadedServer(stub_app(calls), free_port()) as server:
        yield server.url, calls


def squash(text: str) -> str:
    return re.sub(r"[\s*]+", "", text)


def test_timeline_one_point_per_year_gaps_and_links(tab: Tab, stub: tuple[str, list[dict[str, Any]]]) -> None:
    url, calls = stub
    page = tab.page
    page.goto(f"{url}/?view=timeline")
    page.wait_for_selector("body[data-ready]")
    page.fill("#tl-metric", "地区生产总值增长")
    page.fill("#tl-place", "杭州市")
    page.fill("#tl-from", "2019")
    page.fill("#tl-to", "2024")
    page.press("#tl-to", "Enter")
    page.wait_for_selector("svg.chart a.pt")
    assert calls[-1] == {"q": "地区生产总值增长", "region": "杭州市", "from": 2019, "to": 2024}
    # One linked point per year that has a figure; 2020 (no figure) and 2022 (no entry) are gaps, not zeros.
    points = page.locator("svg.chart a.pt")
    assert [points.nth(i).get_attribute("data-year") for i in range(points.count())] == ["2019", "2021", "2023", "2024"]
    assert page.locator("svg.chart circle.dot").count() == 4
    assert page.locator("svg.chart text.year.gap").all_text_contents() == ["2020", "2022"]
    assert page.locator("svg.chart text.gap-label").count() == 2
    # The line joins only consecutive years: 2019, 2021 and 2023 each start a new segment.
    path = page.get_attribute("svg.chart path.line", "d") or ""
    assert path.count("M") == 3 and path.count("L") == 1, path
    ys = {points.nth(i).get_attribute("data-year"): float(points.nth(i).locator("circle.dot").get_attribute("cy") or 0)
          for i in range(4)}
    assert ys["2019"] < ys["2024"] < ys["2021"] < ys["2023"]  # 6.8 > 5 > 3.9 > 1.5: higher values are drawn higher
    assert "2020" in page.inner_text(".tl-table tr.gap")
    assert "timeline" in page.url and "metric=" in page.url
    tab.shot("timeline_1280")

    # Each point opens the reader at its sentence; the astral characters before it must not shift the span.
    points.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("mark.cited")
    assert squash(page.inner_text("mark.cited")) == squash(passage_for(2021)["text"])
    assert "start=" in page.url and f"doc={DOC_ID}" in page.url
    page.click("#reader-back")
    page.wait_for_selector("#reader", state="hidden")
    points.nth(3).click()
    page.wait_for_selector("mark.cited")
    assert squash(page.inner_text("mark.cited")) == squash(passage_for(2024)["text"])


def test_timeline_link_is_shareable(tab: Tab, stub: tuple[str, list[dict[str, Any]]]) -> None:
    url, calls = stub
    tab.page.goto(f"{url}/?view=timeline&metric=%E5%A2%9E%E9%95%BF&place=%E6%9D%AD%E5%B7%9E%E5%B8%82&from=2019&to=2024")
    tab.page.wait_for_selector("svg.chart a.pt")
    assert calls[-1] == {"q": "增长", "region": "杭州市", "from": 2019, "to": 2024}
    assert tab.page.input_value("#tl-metric") == "增长"


def test_timeline_on_a_phone(browser: Any, stub: tuple[str, list[dict[str, Any]]]) -> None:
    url, _ = stub
    t = open_tab(browser, PHONE)
    try:
        t.page.goto(f"{url}/?view=timeline&metric=%E5%A2%9E%E9%95%BF&from=2019&to=2024")
        t.page.wait_for_selector("svg.chart a.pt")
        # The chart scrolls inside its box; the page itself never scrolls sideways.
        assert t.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        t.shot("timeline_390")
    finally:
        t.context.close()
    assert not t.blocked and not t.errors


def test_library_says_writes_are_disabled(tab: Tab, stub: tuple[str, list[dict[str, Any]]]) -> None:
    url, _ = stub
    tab.page.goto(f"{url}/?view=library")
    tab.page.wait_for_selector("#lib-table tbody tr")
    assert "未开启上传和删除" in tab.page.inner_text("#writes")
    assert tab.page.locator("#dropzone").count() == 0 and tab.page.locator("#lib-table button").count() == 0
    assert "共 1 份报告" in tab.page.inner_text("#lib-summary")


def test_confidence_and_pdf_page_when_the_api_sends_them(tab: Tab, stub: tuple[str, list[dict[str, Any]]]) -> None:
    url, calls = stub
    page = tab.page
    page.goto(f"{url}/")
    page.wait_for_selector("body[data-ready]")
    page.fill("#question", "杭州2020年经济增长多少")
    page.press("#question", "Enter")
    page.wait_for_selector(".turn.done")
    assert calls[-1] == {"ask": {"question": "杭州2020年经济增长多少", "top_k": 5}}
    assert page.inner_text(".confidence span") == "置信度：高"
    assert page.get_attribute(".confidence meter", "value") == "82"
    assert "第 3 页" in page.inner_text(".sources .card")
    page.click("a.cite")
    page.wait_for_selector("mark.cited")
    assert squash(page.inner_text("mark.cited")) == squash(passage_for(2021)["text"])
    assert "第 3 页" in page.inner_text("#reader-meta")
    assert page.get_attribute("#reader-meta a[target=_blank]", "href") == f"/documents/{DOC_ID}/file#page=3"
    assert "page=3" in page.url


def test_offsets_and_filters_in_the_page_modules(tab: Tab, stub: tuple[str, list[dict[str, Any]]]) -> None:
    """The two conversions the page relies on, run in the browser on the modules it serves."""
    url, _ = stub
    tab.page.goto(f"{url}/")
    tab.page.wait_for_selector("body[data-ready]")
    text = "a𠮷b🏭cd\n第二行"
    slices = tab.page.evaluate("""async ([text, spans]) => {
        const { spanToIndices } = await import('/static/js/reader.js');
        return spans.map(([s, e]) => { const [a, b] = spanToIndices(text, s, e); return text.slice(a, b); });
    }""", [text, [[0, 2], [2, 4], [3, 6], [5, 9], [0, len(text)]]])
    assert slices == [text[0:2], text[2:4], text[3:6], text[5:9], text]  # Python offsets, JS strings

    docs = [{"doc_id": "a", "level": "city", "year": 2021}, {"doc_id": "b", "level": "district", "year": 2024}]
    results = tab.page.evaluate("""async (docs) => {
        const { apiFilters } = await import('/static/js/api.js');
        const sel = (o) => ({ regions: [], levels: [], from: null, to: null, ...o });
        return [
            apiFilters(sel({}), docs),
            apiFilters(sel({ regions: ['萧山区'], from: 2021, to: 2023 }), docs),
            apiFilters(sel({ from: 2022 }), docs),
            apiFilters(sel({ levels: ['city'] }), docs),
            apiFilters(sel({ levels: ['national'] }), docs),
            apiFilters(sel({ levels: ['city'], from: 2022 }), docs),
        ];
    }""", docs)
    assert results[0] == {"filters": None, "impossible": False, "note": ""}  # undefined: the request has no filters
    assert results[1]["filters"] == {"regions": ["萧山区"], "year_from": 2021, "year_to": 2023}
    assert results[2]["filters"] == {"year_from": 2022}
    assert results[3]["filters"] == {"levels": ["city"]} and not results[3]["impossible"]
    assert results[4]["impossible"] is True  # no national report: said before asking
    assert results[5]["impossible"] is True  # the city report is from 2021
