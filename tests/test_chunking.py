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
