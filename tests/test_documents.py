from pathlib import Path

import pytest

from qa.ingest.catalog import load_catalog
from qa.ingest.decode import DocumentError, decode_report
from qa.ingest.files import read_document
from qa.ingest.metadata import infer_metadata
from qa.lang.places import PlaceMatcher

from .conftest import REPO, SEEDS

TEXT = "2021年杭州市政府工作报告\n\n（2021年2月3日在杭州市第十三届人民代表大会第六次会议上）\n各位代表：地区生产总值增长3.9%。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_decodes_common_report_encodings(encoding: str) -> None:
    text, used = decode_report(TEXT.encode(encoding), "r.txt")
    assert text == TEXT
    assert used in ("utf-8", "utf-8-sig", "gb18030")


@pytest.mark.parametrize(
    ("data", "needle"),
    [(b"", "empty"), (b"%PDF-1.7\x00\x01", "PDF"), (b"\x00\x01\x02binary" * 50, "binary"),
     (bytes(range(128, 256)) * 40, "binary")],
)
def test_rejects_broken_files_with_their_name(data: bytes, needle: str) -> None:
    with pytest.raises(DocumentError) as err:
        decode_report(data, "broken.txt")
    assert "broken.txt" in str(err.value)
    assert needle.lower() in str(err.value).lower()


def test_catalog_gives_seed_metadata() -> None:
    catalog = load_catalog(SEEDS)
    doc = read_document(SEEDS / "002_41568aa1710098f8.txt", REPO, PlaceMatcher(), catalog)
    assert (doc.region, doc.year, doc.level, doc.kind) == ("萧山区", 2024, "district", "summary")
    assert doc.source == "seeds/002_41568aa1710098f8.txt"
    assert doc.inferred == ()


def test_infers_metadata_when_not_in_catalog(tmp_path: Path) -> None:
    path = tmp_path / "upload.txt"
    path.write_bytes(TEXT.encode("gbk"))
    doc = read_document(path, REPO, PlaceMatcher(), {})
    assert doc.title == "2021年杭州市政府工作报告"
    assert (doc.region, doc.year, doc.level) == ("杭州市", 2021, "city")
    assert "region" in doc.inferred
    assert doc.source == str(path.resolve())  # outside the project: absolute


def test_infers_region_from_delivery_line_and_mentions() -> None:
    entry = infer_metadata("政府工作报告\n（2019年1月20日在宁波市第十五届人民代表大会上）\n宁波宁波", "x", PlaceMatcher())
    assert (entry.region, entry.year) == ("宁波市", 2019)


def test_place_matcher_ignores_landmarks() -> None:
    m = PlaceMatcher({"钱塘区": ["钱塘新区"]})
    assert m.find("钱塘江金融港湾和西湖综保工程") == []
    assert m.find("钱塘新区和杭州、上海") == ["钱塘区", "杭州市", "上海市"]
