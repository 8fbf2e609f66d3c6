"""PDF reports: page-exact text, running headers/footers and page numbers dropped, columns in reading order.

The PDFs are made here with reportlab's built-in STSong-Light CID font; PDFium's own per-page text is the
independent oracle for which page a sentence is on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.core.records import Document
from qa.core.service import QAService
from qa.ingest.chunking import chunk_document, squash
from qa.ingest.files import read_document
from qa.ingest.readers.pdf import read_pdf
from qa.ingest.readers.pdf_layout import Fragment, Page, compose, drop_chrome, is_page_number
from qa.lang.places import PlaceMatcher
from qa.search.ask import passage_at

from .conftest import REPO, FakeEncoder
from .docfactory import HEADER, make_pdf, page_of, pdf_page_texts

TOPICS = ["科技创新", "数字经济", "城市更新", "乡村振兴", "生态环境", "公共服务", "对外开放", "营商环境"]


def paragraph(k: int) -> str:
    topic = TOPICS[k % len(TOPICS)]
    extra = "统筹推进重点领域改革，持续优化政策供给和要素保障，" * (k % 3)  # paragraphs of 3 to 5 lines
    return (f"第{k}项工作聚焦{topic}，全年完成投资{100 + k * 7}亿元，同比增长{k % 9 + 1}.{k % 7}%，新建项目{k + 3}个，"
            f"{extra}惠及群众{k + 12}万人，{topic}水平持续提升，为全市高质量发展注入新动能。")


def column_paragraph(k: int) -> str:
    return f"栏目{k}：两栏页面的第{k}段，先读左栏再读右栏，共建共享成效明显，新增绿地{k + 20}公顷。"


BODY = [paragraph(k) for k in range(40)]
COLUMNS = [column_paragraph(k) for k in range(16)]
BLOCKS = [("title", "2024年杭州市政府工作报告"), ("h1", "一、2023年工作回顾"), *(("p", t) for t in BODY[:20]),
          ("h1", "二、2024年主要任务"), *(("p", t) for t in BODY[20:]), ("columns", ""), *(("p", t) for t in COLUMNS)]


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return make_pdf(BLOCKS)


@pytest.fixture(scope="module")
def oracle(pdf_bytes: bytes) -> list[str]:
    return pdf_page_texts(pdf_bytes)


def test_every_paragraph_survives_whole_and_chrome_is_gone(pdf_bytes: bytes, oracle: list[str]) -> None:
    extracted = read_pdf(pdf_bytes, "report.pdf")
    assert len(extracted.pages) == len(oracle) >= 4
    for text in [*BODY, *COLUMNS]:
        assert text in extracted.text, text  # whole: no header, page number or line break inside
    assert HEADER not in extracted.text and "2024年1月" not in extracted.text
    assert not re.search(r"第\s*\d+\s*页", extracted.text)
    assert not any(re.fullmatch(r"\d+", line.strip()) for line in extracted.text.splitlines())
    assert extracted.title == "2024年杭州市政府工作报告"


def test_page_offsets_match_pdfium_pages(pdf_bytes: bytes, oracle: list[str]) -> None:
    extracted = read_pdf(pdf_bytes, "report.pdf")
    assert extracted.pages[0] == 0 and list(extracted.pages) == sorted(extracted.pages)
    for number, start in enumerate(extracted.pages, 1):
        head = squash(extracted.text[start:start + 12])
        assert head and head in oracle[number - 1], (number, head)


def test_a_sentence_across_a_page_break_is_one_paragraph_with_both_pages(pdf_bytes: bytes, oracle: list[str]) -> None:
    doc = _document(pdf_bytes)
    crossing = [t for t in BODY if squash(t) not in "".join(oracle) and squash(t[:20]) in "".join(oracle)]
    assert crossing, "the test PDF should split at least one paragraph across pages"
    for text in crossing:
        start = doc.text.index(text)
        first, last = doc.page_at(start), doc.page_at(start + len(text) - 1)
        assert first is not None and last == first + 1
        assert squash(text[:10]) in oracle[first - 1] and squash(text[-10:]) in oracle[last - 1]


def test_two_column_page_reads_left_column_then_right(pdf_bytes: bytes) -> None:
    text = read_pdf(pdf_bytes, "report.pdf").text
    positions = [text.index(t) for t in COLUMNS]
    assert positions == sorted(positions)


def test_citations_hold_and_name_their_pages(pdf_bytes: bytes, oracle: list[str], tmp_path: Path, settings) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "hz_2024.pdf").write_bytes(pdf_bytes)
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([folder])
    snap = service.snapshot
    doc = snap.documents["hz_2024"]
    assert doc.encoding == "pdf" and len(doc.pages) == len(oracle)
    crossed = 0
    for row in range(snap.rows):
        chunk = snap.chunk(row)
        assert squash(chunk.text) == squash(doc.text[chunk.start:chunk.end]), chunk.chunk_id
        cite = passage_at(snap, row, 1, 0.0).citation
        assert cite.page == page_of(oracle, chunk.text)
        if cite.page_end is not None:
            crossed += 1
            assert cite.page_end == page_of(oracle, chunk.text, from_end=True) > cite.page
    assert crossed >= 1
    reloaded = QAService(settings, encoder=FakeEncoder())
    reloaded.load()  # page offsets survive the index on disk
    assert reloaded.document("hz_2024").pages == doc.pages
    answer = reloaded.ask("哪项工作全年完成投资289亿元", top_k=5)
    hit = next(p for p in answer.passages if paragraph(27) in p.text.replace("\n", ""))
    assert hit.citation.page == page_of(oracle, paragraph(27))


def test_page_number_and_running_header_rules() -> None:
    assert all(is_page_number(t) for t in ["12", "- 3 -", "第 4 页", "第5页 共20页", "7/20", "Page 2", "— iv —"])
    assert not any(is_page_number(t) for t in ["2023年", "增长5.5%", "一、工作回顾"])
    # A heading that repeats at the top of two of ten pages is body text, not a running header.
    pages = [Page(600, 800, (Fragment(72, 300, 40, 52, "杭州市政府工作报告"), Fragment(72, 500, 300, 312, f"正文{n}。")))
             for n in range(10)]
    pages[3] = Page(600, 800, (Fragment(72, 300, 40, 52, "二、主要任务"), *pages[3].fragments[1:]))
    pages[7] = Page(600, 800, (Fragment(72, 300, 40, 52, "二、主要任务"), *pages[7].fragments[1:]))
    text, starts = compose(drop_chrome(pages))
    assert "杭州市政府工作报告" not in text and text.count("二、主要任务") == 2 and len(starts) == 10


def _document(data: bytes) -> Document:
    path = Path("/nonexistent/report.pdf")
    return read_document(path, REPO, PlaceMatcher(), {}, data=data)


def test_chunks_of_the_pdf_are_citation_exact(pdf_bytes: bytes) -> None:
    doc = _document(pdf_bytes)
    assert doc.title == "2024年杭州市政府工作报告" and doc.year == 2024
    chunks = chunk_document(doc)
    assert any(c.section.startswith("二、2024年主要任务") for c in chunks)
    for chunk in chunks:
        assert squash(chunk.text) == squash(doc.text[chunk.start:chunk.end])
