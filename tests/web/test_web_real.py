"""The reading room in a real browser against a real `reportqa serve` with the real model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ..conftest import SAMPLE_REPORT
from ..serving import Server, serving
from .conftest import PHONE, Tab, open_tab

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TOKEN = "web-token"
PAGE_WEIGHT_LIMIT = 300 * 1024
HZ_DOC = "001_9ecc862bbb333f7d"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("web"), TOKEN) as srv:
        yield srv


def squash(text: str) -> str:
    """Citations are exact up to whitespace joins and markdown `*` (see qa/ingest/chunking.py)."""
    return re.sub(r"[\s*]+", "", text)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def chips(page: Page) -> list[str]:
    return page.locator("#chips .chip span").all_inner_texts()


def ask(page: Page, question: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Type a question and press Enter; return the /ask request body and response the page got."""
    done = page.locator(".turn.done, .turn .error").count()
    page.fill("#question", question)
    with page.expect_response(lambda r: urlsplit(r.url).path == "/ask" and r.request.method == "POST") as info:
        page.press("#question", "Enter")
    page.locator(".turn.done, .turn .error").nth(done).wait_for()
    return info.value.request.post_data_json, info.value.json()


def open_page(tab: Tab, server: Server, path: str = "/") -> Page:
    tab.page.goto(server.url + path)
    tab.page.wait_for_selector("body[data-ready]")
    return tab.page


def test_ask_then_read_the_cited_span(tab: Tab, server: Server) -> None:
    page = open_page(tab, server)
    sent, data = ask(page, "杭州2020年地区生产总值增长多少")
    assert sent["question"] == "杭州2020年地区生产总值增长多少" and "history" not in sent
    turn = page.locator(".turn.done").last
    assert data["answerable"] and "3.9%" in turn.locator(".answer-text").inner_text()
    # The confidence indicator shows exactly when the API sends a confidence.
    assert turn.locator(".confidence").count() == (1 if isinstance(data.get("confidence"), float) else 0)
    cards = turn.locator(".sources .card")
    assert cards.count() == len(data["passages"])
    first = data["passages"][0]
    assert first["citation"]["title"] in cards.first.inner_text()
    assert turn.locator(".sources .card").first.locator("mark.term").count() > 0  # the question's terms
    tab.shot("ask_1280")

    turn.locator("a.cite", has_text="[1]").first.click()
    mark = page.locator("#reader mark.cited")
    mark.wait_for()
    assert squash(mark.inner_text()) == squash(first["text"])
    assert query(page)["doc"] == [first["citation"]["doc_id"]] and query(page)["start"] == [str(first["citation"]["start"])]
    assert mark.evaluate("m => { const r = m.getBoundingClientRect(), c = m.closest('.doc').getBoundingClientRect();"
                         " return r.top >= c.top && r.top < c.bottom; }"), "the cited span is not scrolled into view"
    assert first["citation"]["title"] in page.inner_text("#reader-title")
    tab.shot("reader_1280")

    page.click("#reader-back")
    page.wait_for_selector("#reader", state="hidden")
    assert "doc" not in query(page) and query(page)["q"] == ["杭州2020年地区生产总值增长多少"]
    # The keyboard alone: Tab to a source card and press Enter; Escape closes the reader again.
    turn.locator(".sources .card").nth(1).focus()
    page.keyboard.press("Enter")
    mark.wait_for()
    assert squash(mark.inner_text()) == squash(data["passages"][1]["text"])
    page.keyboard.press("Escape")
    page.wait_for_selector("#reader", state="hidden")


def test_follow_up_sends_history_and_shows_the_rewrite(tab: Tab, browser: Browser, server: Server) -> None:
    page = open_page(tab, server)
    first_q = "杭州2020年新增多少家国家高新技术企业"
    _, first = ask(page, first_q)
    sent, second = ask(page, "那萧山呢？")
    assert sent["history"] == [{"question": first_q, "answer": first["answer"]}]
    assert second["rewritten_question"] and "萧山" in second["rewritten_question"]
    assert page.locator(".turn.done").last.locator(".rewritten").inner_text() == f"理解为：{second['rewritten_question']}"
    assert page.locator(".turn.done").count() == 2
    # The URL carries the conversation, so the link reproduces the follow-up.
    assert query(page)["q"] == ["那萧山呢？"] and query(page)["h"] == [first_q]
    shared = open_tab(browser, PHONE)
    try:
        with shared.page.expect_response(lambda r: urlsplit(r.url).path == "/ask") as info:
            shared.page.goto(page.url)
        assert info.value.request.post_data_json["history"] == [{"question": first_q, "answer": ""}]
        assert info.value.json()["rewritten_question"] == second["rewritten_question"]
        shared.page.wait_for_selector(".turn.done .rewritten")
    finally:
        shared.context.close()
    page.click("#new-chat")
    assert page.locator(".turn").count() == 0 and "q" not in query(page)
    sent, _ = ask(page, "萧山2024年工业投资增长多少")
    assert "history" not in sent


def test_filter_chips_add_remove_and_reach_the_api(tab: Tab, server: Server) -> None:
    page = open_page(tab, server)
    page.fill("#f-region", "萧山区")
    page.press("#f-region", "Enter")
    assert chips(page) == ["地区：萧山区"]
    page.select_option("#f-level", "district")
    page.fill("#f-from", "2021")
    page.fill("#f-to", "2024")
    page.press("#f-to", "Tab")
    assert chips(page) == ["地区：萧山区", "级别：区县级", "年份：2021–2024年"]
    assert query(page)["region"] == ["萧山区"] and query(page)["level"] == ["district"] and query(page)["from"] == ["2021"]
    sent, data = ask(page, "工业投资增长多少")
    docs = {d["doc_id"]: d for d in httpx.get(f"{server.url}/documents").json()}
    assert sent["filters"]["regions"] == ["萧山区"]
    assert (sent["filters"].get("year_from"), sent["filters"].get("year_to")) == (2021, 2024)
    assert sent["filters"]["levels"] == ["district"] and "doc_ids" not in sent["filters"]
    assert data["passages"] and all(docs[p["citation"]["doc_id"]]["region"] == "萧山区" for p in data["passages"])
    tab.shot("filters_1280")

    # Remove the region chip with the keyboard; the URL and the next request follow.
    page.locator("#chips .chip-x").first.focus()
    page.keyboard.press("Enter")
    assert chips(page) == ["级别：区县级", "年份：2021–2024年"] and "region" not in query(page)
    sent, _ = ask(page, "工业投资增长多少")
    assert "regions" not in sent["filters"]
    for _ in range(2):
        page.locator("#chips .chip-x").first.click()
    assert page.locator("#chips .chip").count() == 0 and not {"level", "from", "to"} & set(query(page))
    sent, _ = ask(page, "工业投资增长多少")
    assert "filters" not in sent


def test_unanswerable_question_says_so_with_the_reason(tab: Tab, server: Server) -> None:
    page = open_page(tab, server)
    _, data = ask(page, "上海2020年GDP是多少")
    assert data["answerable"] is False
    turn = page.locator(".turn.done").last
    assert turn.locator(".unanswerable .verdict").inner_text() == "已索引的报告无法回答这个问题。"
    assert turn.locator(".unanswerable .reason").inner_text() == data["answer"] and "上海" in data["answer"]
    assert turn.locator(".sources-h").inner_text() == "可能相关"
    assert turn.locator(".sources .card").count() == len(data["passages"]) > 0
    assert turn.locator(".answer-text").count() == 0
    tab.shot("unanswerable_1280")


def test_upload_drop_then_read_then_delete(tab: Tab, server: Server) -> None:
    page = open_page(tab, server, "/?view=library")
    page.wait_for_selector("#lib-table tbody tr")
    assert page.locator("#lib-table tbody tr").count() == 4 and "共 4 份报告" in page.inner_text("#lib-summary")
    page.fill("#token", TOKEN)
    # Characters outside the BMP before the cited sentence: Python counts each once, JavaScript twice.
    report = SAMPLE_REPORT.replace("过去一年，", "过去一年（𠮷🏭），")
    page.evaluate("""([name, text]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, { type: 'text/plain' }));
        document.querySelector('#dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
    }""", ["linan_2023.txt", report])
    page.wait_for_selector("#upload-status:text-matches('^已添加')", timeout=120_000)
    page.wait_for_selector("#lib-table tr[data-doc='linan_2023']")
    assert "共 5 份报告" in page.inner_text("#lib-summary")
    tab.shot("library_1280")

    page.click("nav a[data-nav='ask']")
    _, data = ask(page, "临安区新建了几个天目山竹笋深加工基地？")
    hit = next(p for p in data["passages"] if p["citation"]["doc_id"] == "linan_2023")
    page.locator(".turn.done .sources .card").nth(hit["rank"] - 1).click()
    page.locator("#reader mark.cited").wait_for()
    assert squash(page.inner_text("#reader mark.cited")) == squash(hit["text"])
    assert "竹笋深加工基地7个" in page.inner_text("#reader mark.cited")
    page.click("#reader-back")

    page.click("nav a[data-nav='library']")
    delete = page.locator("#lib-table tr[data-doc='linan_2023'] button")
    delete.click()
    assert delete.inner_text() == "确认删除？"
    delete.click()
    page.wait_for_selector("#lib-table tr[data-doc='linan_2023']", state="detached")
    assert "已删除" in page.inner_text("#upload-status")
    assert "linan_2023" not in {d["doc_id"] for d in httpx.get(f"{server.url}/documents").json()}


def test_upload_with_a_wrong_token_is_refused_in_the_page(tab: Tab, server: Server) -> None:
    page = open_page(tab, server, "/?view=library")
    page.fill("#token", "wrong")
    page.set_input_files("#file-input", files=[{"name": "x.txt", "mimeType": "text/plain", "buffer": SAMPLE_REPORT.encode()}])
    page.wait_for_selector("#upload-status:text-matches('^上传失败')")
    assert "invalid bearer token" in page.inner_text("#upload-status")
    assert page.locator("#lib-table tbody tr").count() == 4


def test_shared_link_reproduces_the_search(tab: Tab, browser: Browser, server: Server) -> None:
    page = tab.page
    with page.expect_response(lambda r: urlsplit(r.url).path == "/ask") as info:
        page.goto(f"{server.url}/?q=%E8%90%A7%E5%B1%B12024%E5%B9%B4%E5%B7%A5%E4%B8%9A%E6%8A%95%E8%B5%84%E5%A2%9E%E9%95%BF%E5%A4%9A%E5%B0%91"
                  "&region=%E8%90%A7%E5%B1%B1%E5%8C%BA")
    assert info.value.request.post_data_json == {"question": "萧山2024年工业投资增长多少", "top_k": 5,
                                                 "filters": {"regions": ["萧山区"]}}
    page.wait_for_selector(".turn.done")
    assert chips(page) == ["地区：萧山区"]
    cite = info.value.json()["passages"][0]["citation"]
    # A link to a citation opens the reader on it directly.
    reader = open_tab(browser, PHONE)
    try:
        reader.page.goto(f"{server.url}/?doc={cite['doc_id']}&start={cite['start']}&end={cite['end']}")
        reader.page.wait_for_selector("#reader mark.cited")
        text = httpx.get(f"{server.url}/documents/{cite['doc_id']}/text").text
        assert squash(reader.page.inner_text("#reader mark.cited")) == squash(text[cite["start"]:cite["end"]])
    finally:
        reader.context.close()


def test_phone_width(phone_tab: Tab, server: Server) -> None:
    page = open_page(phone_tab, server)
    _, data = ask(page, "萧山2024年工业投资增长多少")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone_tab.shot("ask_390")
    page.locator(".turn.done a.cite").first.click()
    page.locator("#reader mark.cited").wait_for()
    # On a phone the reader covers the screen, with the way back in reach.
    box = page.locator("#reader").bounding_box()
    assert box and box["width"] == PHONE["width"] and page.locator("#reader-back").is_visible()
    phone_tab.shot("reader_390")
    page.go_back()
    page.wait_for_selector("#reader", state="hidden")
    page.goto(f"{server.url}/?view=library")
    page.wait_for_selector("#lib-table tbody tr")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone_tab.shot("library_390")


def test_first_load_weight(tab: Tab, server: Server) -> None:
    sizes: list[tuple[str, int]] = []
    tab.page.on("requestfinished", lambda req: sizes.append(
        (req.url, req.sizes()["responseBodySize"] + req.sizes()["responseHeadersSize"])))
    open_page(tab, server)
    tab.page.wait_for_load_state("networkidle")
    fonts = [url for url, _ in sizes if re.search(r"\.(woff2?|ttf|otf)$", url)]
    total = sum(size for url, size in sizes if url not in fonts)
    print(f"first load: {len(sizes)} requests, {total} bytes")
    assert total < PAGE_WEIGHT_LIMIT, sizes
    assert any(url.endswith("/static/js/main.js") for url, _ in sizes) and not fonts


def test_docs_render_with_the_network_blocked(tab: Tab, server: Server) -> None:
    page = tab.page
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "reportqa" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".swagger-ui .opblock").count() >= 6  # the operations were rendered from /openapi.json
    tab.shot("docs_1280")
    page.goto(f"{server.url}/redoc")
    page.wait_for_selector("h1:has-text('reportqa')")
    # `tab` asserts afterwards that nothing outside 127.0.0.1 was requested (and blocked).
