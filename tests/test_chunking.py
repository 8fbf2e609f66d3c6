"""Citations are sacred: every chunk's text is exactly its cited span, modulo whitespace and `*`."""

from dataclasses import replace

import pytest

from qa.ingest import chunking
from qa.ingest.catalog import load_catalog
from qa.ingest.chunking import MAX_CHARS, chunk_document, chunker_fingerprint, squash
from qa.ingest.files import read_document
from qa.lang.places import PlaceMatcher

from .conftest import REPO, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _doc(path):
    return read_document(path, REPO, PlaceMatcher(), load_catalog(SEEDS))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_chunk_text_equals_its_source_span(path) -> None:
    doc = _doc(path)
    chunks = chunk_document(doc)
    assert chunks, "a seed produced no chunks"
    for chunk in chunks:
        assert 0 <= chunk.start < chunk.end <= len(doc.text)
        assert squash(chunk.text) == squash(doc.text[chunk.start:chunk.end]), chunk.chunk_id
        assert chunk.doc_id == doc.doc_id


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_chunks_are_ordered_sized_and_uniquely_identified(path) -> None:
    chunks = chunk_document(_doc(path))
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:], strict=False))
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert max(len(c.text) for c in chunks) <= MAX_CHARS + 60  # a heading may ride along


def test_watermark_lines_are_dropped_and_sentences_rejoined() -> None:
    doc = _doc(SEEDS / "001_9ecc862bbb333f7d.txt")
    chunks = chunk_document(doc)
    assert not any("皮皮侠" in c.text for c in chunks)
    xiaoshan = chunk_document(_doc(SEEDS / "000_aaa038b905557ba9.txt"))
    # "推\n\n进国有企业" was broken by the PDF's two columns and must read as one word again.
    assert any("推进国有企业市场化转型" in c.text for c in xiaoshan)


def test_sections_follow_the_heading_structure() -> None:
    chunks = chunk_document(_doc(SEEDS / "001_9ecc862bbb333f7d.txt"))
    sections = {c.section for c in chunks}
    assert any(s.startswith("一、2020年工作及“十三五”发展回顾 > （二）坚持创新驱动") for s in sections)
    assert any(s.startswith("三、2021年政府工作安排") for s in sections)


def test_chunk_ids_are_content_hashes() -> None:
    doc = _doc(SEEDS / "001_9ecc862bbb333f7d.txt")
    before = chunk_document(doc)
    assert [c.chunk_id for c in before] == [c.chunk_id for c in chunk_document(doc)]
    target = before[len(before) // 2]
    edited = doc.text[:target.start] + doc.text[target.start:target.end].replace("，", "，另外", 1) + doc.text[target.end:]
    after = chunk_document(replace(doc, text=edited))
    assert len(after) == len(before)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a.chunk_id != b.chunk_id]
    assert changed == [target.ordinal]


def test_fingerprint_follows_the_chunking_parameters(monkeypatch) -> None:
    original = chunker_fingerprint()
    chunker_fingerprint.cache_clear()
    monkeypatch.setattr(chunking, "TARGET_CHARS", chunking.TARGET_CHARS + 1)
    try:
        assert chunker_fingerprint() != original
    finally:
        chunker_fingerprint.cache_clear()


def test_summary_slogans_are_list_items_and_the_targets_keep_their_heading() -> None:
    chunks = chunk_document(_doc(SEEDS / "004_bfa3ef6ae9a59b07.txt"))
    target = next(c for c in chunks if "地区生产总值增长6.5%" in c.text)
    assert target.section == "2021年全区经济社会发展主要预期目标"  # a year-led heading line, not the last slogan
    assert "坚持" not in target.text  # the five slogans no longer glue into the targets' passage
    slogans = next(c for c in chunks if "坚持一图到底、久久为功" in c.text)
    assert "坚持双片合璧、相映成辉" in slogans.text and "坚持" not in slogans.section
    assert "坚持双片合璧、相映成辉\n坚持三高并举、统筹推进" in slogans.text  # two list items, not one wrapped line


def test_summary_lines_wrapped_by_a_narrow_column_are_rejoined() -> None:
    chunks = chunk_document(_doc(SEEDS / "002_41568aa1710098f8.txt"))
    fund = next(c for c in chunks if "技术交易总额突破110亿元" in c.text)
    assert fund.section == "2.持续建设成果转化首选地"  # not "… > 力争新增国高企300家、省科技型中小企业"
    assert "力争新增国高企300家、省科技型中小企业500家" in fund.text.replace("\n", "").replace(" ", "")


def test_nested_heading_runs_stay_headings() -> None:
    text = "一、2023年工作回顾\n\n（一）坚持创新驱动\n\n1.科技创新\n\n全年新增高新技术企业500家，研发投入强度达到3.5%。\n"
    chunks = chunk_document(replace(_doc(SEEDS / "001_9ecc862bbb333f7d.txt"), text=text))
    assert chunks[-1].section == "一、2023年工作回顾 > （一）坚持创新驱动 > 1.科技创新"
