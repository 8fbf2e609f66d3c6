"""One report as .txt, PDF and DOCX: the same questions find the same passages, with exact citations and pages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import REPO, SEEDS
from .formats_equivalence import CORPUS_QUESTIONS, FORMATS, compare, same_passage

CORPUS = Path(os.environ.get("REPORTQA_CORPUS", "/tmp/corpus/reports"))
SEED = "001_9ecc862bbb333f7d"


def seed_questions() -> list[str]:
    with open(REPO / "eval" / "dev_qa.jsonl", encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    return [i["question"] for i in items if i["type"] == "single" and i["gold"][0]["doc_id"] == SEED]


def test_same_passage_compares_spans_of_the_report() -> None:
    report = "一、回顾\n\n甲乙丙丁戊己庚辛。\n\n子丑寅卯辰巳午未。\n"
    assert same_passage("甲乙丙丁\n戊己庚辛。", "# 一、回顾\n甲乙丙丁戊己庚辛。", report)
    assert not same_passage("甲乙丙丁戊己庚辛。", "子丑寅卯辰巳午未。", report)


def test_seed_report_as_pdf_and_docx_answers_like_the_txt(tmp_path: Path) -> None:
    questions = seed_questions()
    assert len(questions) >= 20
    for result in compare(SEEDS / f"{SEED}.txt", questions, tmp_path):
        assert result.citation_errors == 0 and result.page_errors == 0, result
        assert result.share >= 0.9, result


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the report corpus is not at {CORPUS} (set REPORTQA_CORPUS)")
def test_real_reports_as_pdf_and_docx_answer_like_the_txt(tmp_path: Path) -> None:
    missing = [d for d in CORPUS_QUESTIONS if not (CORPUS / f"{d}.txt").is_file()]
    if missing:
        pytest.skip(f"corpus at {CORPUS} lacks {', '.join(missing)}")
    results = [r for doc_id, qs in CORPUS_QUESTIONS.items() for r in compare(CORPUS / f"{doc_id}.txt", qs, tmp_path / doc_id)]
    for fmt in FORMATS:
        mine = [r for r in results if r.fmt == fmt]
        assert all(r.citation_errors == 0 and r.page_errors == 0 for r in mine), mine
        assert sum(r.same for r in mine) / sum(r.questions for r in mine) >= 0.9, mine
