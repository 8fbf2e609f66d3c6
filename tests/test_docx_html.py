"""Word and web-page reports: heading structure becomes sections, tables become rows, boilerplate goes."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from qa.core.records import Document
from qa.core.service import QAService
from qa.ingest.chunking import chunk_document, squash
from qa.ingest.files import read_document
from qa.ingest.readers.docx import read_docx
from qa.ingest.readers.html import read_html
from qa.lang.places import PlaceMatcher

from .conftest import REPO, FakeEncoder
from .docfactory import make_docx

INTRO = "各位代表：现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。"
REVIEW = ("过去一年，全市地区生产总值增长6.2%，一般公共预算收入增长5.1%，城镇新增就业28.5万人。"
          "外贸进出口总额突破1.3万亿元，港口货物吞吐量稳居全球第一，城乡居民收入分别增长4.6%和6.6%。")
TECH = ("新增国家高新技术企业1200家，全社会研发投入强度达到3.9%，技术交易额突破500亿元。"
        "甬江科创区建设全面起势，新引进顶尖人才团队30个，新增专精特新“小巨人”企业40家。")
PLAN = ("今年地区生产总值预期增长5.5%左右，一般公共预算收入增长5%，城镇新增就业25万人以上。"
        "居民收入增长与经济增长同步，单位地区生产总值能耗下降完成省下达目标，粮食产量稳定在合理水平。")
BLOCKS = [("title", "2024年宁波市政府工作报告"), ("p", INTRO), ("h1", "一、2023年工作回顾"), ("p", REVIEW),
          ("h2", "（一）坚持创新驱动发展"), ("p", TECH), ("h1", "二、2024年主要任务"), ("p", PLAN)]
TABLE = [["指标", "2023年", "增长"], ["地区生产总值（亿元）", "16452.8", "6.2%"], ["一般公共预算收入（亿元）", "1297.6", "5.1%"]]


def _document(name: str, data: bytes) -> Document:
    return read_document(Path("/nonexistent") / name, REPO, PlaceMatcher(), {}, data=data)


def _assert_citations(doc: Document) -> None:
    chunks = chunk_document(doc)
    assert chunks
    for chunk in chunks:
        assert squash(chunk.text) == squash(doc.text[chunk.start:chunk.end]), chunk.chunk_id


# ----- DOCX -----------------------------------------------------------------------------------
def test_docx_heading_styles_become_sections_and_tables_rows() -> None:
    doc = _document("ningbo_2024.docx", make_docx(BLOCKS, table=TABLE))
    assert doc.encoding == "docx" and doc.pages == ()
    assert doc.title == "2024年宁波市政府工作报告" and doc.region == "宁波市" and doc.year == 2024
    assert "# 一、2023年工作回顾" in doc.text and "## （一）坚持创新驱动发展" in doc.text
    assert "地区生产总值（亿元）\t16452.8\t6.2%" in doc.text.splitlines()
    chunks = chunk_document(doc)
    by_text = {c.text: c.section for c in chunks}
    tech = next(s for t, s in by_text.items() if TECH in t)
    assert tech == "一、2023年工作回顾 > （一）坚持创新驱动发展"  # no markdown `#` in the section path
    assert next(s for t, s in by_text.items() if PLAN in t) == "二、2024年主要任务"
    row = next(c for c in chunks if "16452.8" in c.text)
    assert "16452.8" not in row.section  # a table row is passage text, never a heading
    _assert_citations(doc)


def test_docx_chinese_style_names_and_outline_levels() -> None:
    document = docx.Document()
    h1 = document.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
    level2 = document.styles.add_style("报告二级", WD_STYLE_TYPE.PARAGRAPH)  # a house style marked by outline level
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    level2.element.get_or_add_pPr().append(outline)
    document.add_paragraph("2024年工作安排", style=h1)
    document.add_paragraph("扩大有效投资", style=level2)
    document.add_paragraph("完成固定资产投资3000亿元，其中工业投资增长12%。")
    buf = io.BytesIO()
    document.save(buf)
    text = read_docx(buf.getvalue(), "x.docx").text
    assert "# 2024年工作安排" in text and "## 扩大有效投资" in text


def test_docx_without_heading_styles_uses_word_numbering() -> None:
    document = docx.Document()
    document.add_paragraph("推进科技创新", style="List Number")
    document.add_paragraph("新增国家高新技术企业500家，研发投入强度达到3.5%。")
    document.add_paragraph("优化营商环境", style="List Number")
    document.add_paragraph("新设市场主体4.5万户。", style="List Number")  # a numbered sentence stays text
    buf = io.BytesIO()
    document.save(buf)
    lines = read_docx(buf.getvalue(), "x.docx").text.splitlines()
    assert "# 推进科技创新" in lines and "# 优化营商环境" in lines and "新设市场主体4.5万户。" in lines


def test_docx_is_searchable_with_exact_citations(tmp_path: Path, settings) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ningbo_2024.docx").write_bytes(make_docx(BLOCKS, table=TABLE))
    service = QAService(settings, encoder=FakeEncoder())
    report = service.index_paths([folder])
    assert (report.documents, report.indexed, report.errors, report.skipped) == (1, 1, (), ())
    answer = service.ask("宁波新增国家高新技术企业多少家", top_k=3)
    top = answer.passages[0]
    assert "1200家" in top.text and top.citation.page is None
    doc = service.document("ningbo_2024")
    assert squash(top.text) == squash(doc.text[top.citation.start:top.citation.end])


# ----- HTML -----------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}">
<title>2024年宁波市政府工作报告_宁波市人民政府门户网站</title>
<meta name="PubDate" content="2024-01-20 09:30"><meta property="article:published_time" content="2024-01-20">
<script>var tracker = "统计脚本不应出现"; function nav() {{ return "菜单脚本"; }}</script>
<style>.nav {{ color: red }}</style></head>
<body>
<header><div class="logo">宁波市人民政府</div></header>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开栏目</a></li>
<li><a href="/hdjl">互动交流栏目</a></li><li><a href="/bsfw">办事服务栏目</a></li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政府工作报告</div>
<article class="content"><h1>2024年宁波市政府工作报告</h1>
<p>{intro}</p>
<h2>一、2023年工作回顾</h2><p>{review}</p>
<h3>（一）坚持创新驱动发展</h3><p>{tech}</p>
<h2>二、2024年主要任务</h2><p>{plan}</p>
</article>
<footer><p>版权所有：宁波市人民政府办公厅 浙ICP备05000000号 网站标识码3302000001</p>
<p>联系我们 | 网站地图 | 隐私声明</p></footer>
<script>document.write("页脚脚本不应出现");</script>
</body></html>"""


def _page(charset: str = "utf-8") -> bytes:
    return PAGE.format(charset=charset, intro=INTRO, review=REVIEW, tech=TECH, plan=PLAN).encode(charset)


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_keeps_the_article_and_drops_navigation_footer_and_scripts(charset: str) -> None:
    doc = _document("ningbo_2024.html", _page(charset))
    for text in (INTRO, REVIEW, TECH, PLAN):
        assert text in doc.text
    for junk in ("脚本", "政务公开栏目", "互动交流栏目", "版权所有", "ICP", "网站地图", "当前位置"):
        assert junk not in doc.text, junk
    assert doc.encoding == "html" and doc.title == "2024年宁波市政府工作报告" and doc.year == 2024
    sections = {c.section for c in chunk_document(doc)}
    assert "一、2023年工作回顾 > （一）坚持创新驱动发展" in sections and "二、2024年主要任务" in sections
    assert not any(line.startswith("#") and "宁波市政府工作报告" in line for line in doc.text.splitlines())
    _assert_citations(doc)


def test_html_title_and_date_come_from_page_metadata() -> None:
    page = _page().replace("<h1>2024年宁波市政府工作报告</h1>".encode(), b"")
    extracted = read_html(page, "x.html")
    assert extracted.title == "2024年宁波市政府工作报告"  # <title> without the site name
    assert extracted.date == "2024-01-20"


def test_markdown_headings_become_sections() -> None:
    text = f"# 一、2023年工作回顾\n\n{REVIEW}\n\n## （一）坚持创新驱动发展\n\n{TECH}\n\n# 二、2024年主要任务\n\n{PLAN}\n"
    doc = _document("ningbo_2024.md", text.encode())
    sections = {c.section for c in chunk_document(doc) if TECH in c.text or PLAN in c.text}
    assert sections == {"一、2023年工作回顾 > （一）坚持创新驱动发展", "二、2024年主要任务"}
    _assert_citations(doc)


def test_one_report_in_two_formats_keeps_both(tmp_path: Path, settings) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ningbo_2024.docx").write_bytes(make_docx(BLOCKS))
    (folder / "ningbo_2024.md").write_text(f"# 2024年宁波市政府工作报告\n\n{PLAN}\n", encoding="utf-8")
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([folder])
    assert set(service.snapshot.documents) == {"ningbo_2024", "ningbo_2024_md"}
