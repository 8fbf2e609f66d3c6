"""The same report as .txt, PDF and DOCX should answer the same questions from the same passages.

Shared by tests/test_formats.py (seeds, always; real reports from REPORTQA_CORPUS when present) and by
the measurement that reports the share for the real model.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from embeddings.encoder import Encoder
from qa.core.records import Document, Passage
from qa.core.service import QAService
from qa.core.settings import Settings
from qa.ingest.chunking import squash

from .docfactory import blocks_from_report, make_docx, make_pdf, page_of, pdf_page_texts

# ~10 questions per real report (REPORTQA_CORPUS); a national, a provincial and a city report.
CORPUS_QUESTIONS: dict[str, list[str]] = {
    "2023_guowuyuan_5bf11bae": [
        "2022年全国国内生产总值增长多少", "2022年货物进出口总额增长多少", "新能源汽车销量增长了多少",
        "过去五年单位国内生产总值能耗下降多少", "细颗粒物PM2.5平均浓度下降了多少", "全国居民人均可支配收入年均增长多少",
        "2023年国内生产总值增长目标是多少", "2018到2022年全国城镇新增就业年均多少", "全国森林覆盖率达到多少",
        "全国汽车保有量突破多少辆", "八年脱贫攻坚一共让多少农村贫困人口脱贫",
    ],
    "2022_hebeisheng_a8b191a4": [
        "河北2021年全省生产总值突破多少、增长多少", "河北2021年一般公共预算收入增长多少", "河北外贸进出口增长多少",
        "河北超百亿元产业集群有多少个", "河北2022年PM2.5浓度要降多少", "河北常住人口城镇化率目标是多少",
        "河北农产品加工业总产值目标多少", "河北网络零售额增长目标", "河北近岸海域水质优良比率是多少",
        "河北2022年的政府工作报告是谁作的",
    ],
    "2022_chengdushi_c81ece8c": [
        "成都2021年地区生产总值达到多少", "成都2021年规上工业增加值增长多少", "成都社会消费品零售总额增长多少",
        "成都A股上市企业突破多少家", "成都跨境电商交易规模增长多少", "成都外商直接投资增长多少",
        "成都2022年地区生产总值增长目标", "成都森林覆盖率目标是多少", "成都志愿者报名注册总数突破多少",
        "成都电子信息产业产值增长目标", "成都22年数字经济核心产业占比目标",
    ],
}
FORMATS = ("pdf", "docx")


def converted(text: str, fmt: str) -> bytes:
    """A .txt report as a paged PDF (running header, page numbers) or a Word file with heading styles."""
    blocks = blocks_from_report(text)
    return make_pdf(blocks) if fmt == "pdf" else make_docx(blocks)


def _flat(text: str) -> str:
    # The comparison form: no whitespace, markdown `*` or heading `#` (DOCX headings are written as `#` lines).
    return re.sub(r"[\s*#]+", "", text)


def same_passage(a: str, b: str, reference: str) -> bool:
    """Whether two passages (from two formats of one report) cover mostly the same span of the report."""
    fa, fb, ref = _flat(a), _flat(b), _flat(reference)
    ia, ib = ref.find(fa), ref.find(fb)
    if ia >= 0 and ib >= 0:
        overlap = min(ia + len(fa), ib + len(fb)) - max(ia, ib)
    else:
        match = difflib.SequenceMatcher(None, fa, fb, autojunk=False).find_longest_match(0, len(fa), 0, len(fb))
        overlap = match.size
    return overlap >= 0.5 * min(len(fa), len(fb))


@dataclass(frozen=True)
class Comparison:
    doc_id: str
    fmt: str
    questions: int
    same: int
    citation_errors: int  # passages whose text is not their cited span
    page_errors: int  # PDF passages whose cited pages are not where PDFium finds their first and last words

    @property
    def share(self) -> float:
        return self.same / self.questions if self.questions else 1.0


def _service(root: Path, name: str, data: bytes, encoder: Encoder | None) -> QAService:
    folder = root / "in"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    settings = Settings(model="test", data_dir=root / "data", seeds_dir=folder, project_root=root)
    service = QAService(settings, encoder=encoder, encoder_error=None if encoder else "lexical in this comparison")
    report = service.index_paths([folder])
    assert report.documents == 1 and not report.errors, report
    return service


def _cited_ok(doc: Document, passage: Passage) -> bool:
    cite = passage.citation
    return squash(passage.text) == squash(doc.text[cite.start:cite.end])


def _pages_ok(oracle: list[str], passage: Passage) -> bool:
    first, last = page_of(oracle, passage.text), page_of(oracle, passage.text, from_end=True)
    return passage.citation.page == first and passage.citation.page_end == (last if last != first else None)


def compare(report: Path, questions: list[str], root: Path, encoder: Encoder | None = None) -> list[Comparison]:
    """Top passage per question from .txt vs each other format of the same report."""
    text = report.read_text(encoding="utf-8")
    base = _service(root / "txt", report.name, report.read_bytes(), encoder)
    tops = [base.ask(q, top_k=1).passages[0] for q in questions]
    results = []
    for fmt in FORMATS:
        data = converted(text, fmt)
        other = _service(root / fmt, f"{report.stem}.{fmt}", data, encoder)
        doc = other.document(report.stem)
        oracle = pdf_page_texts(data) if fmt == "pdf" else None
        same = errors = page_errors = 0
        for question, top in zip(questions, tops, strict=True):
            found = other.ask(question, top_k=1).passages[0]
            same += same_passage(top.text, found.text, text)
            errors += not _cited_ok(doc, found)
            page_errors += oracle is not None and not _pages_ok(oracle, found)
        results.append(Comparison(report.stem, fmt, len(questions), same, errors, page_errors))
    return results
