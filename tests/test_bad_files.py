"""Bad files get clear errors and index nothing half-way; folders report what they skipped and why."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.cli.main import main
from qa.core.errors import BadRequest
from qa.core.service import QAService
from qa.ingest.decode import DocumentError
from qa.ingest.files import read_document
from qa.ingest.readers.pdf import SCANNED
from qa.lang.places import PlaceMatcher

from .conftest import REPO, FakeEncoder
from .docfactory import image_only_pdf, make_pdf

GOOD = [("title", "2023年温州市政府工作报告"), ("h1", "一、2022年工作回顾"),
        ("p", "过去一年，全市地区生产总值增长3.7%，瓯江山水诗路建设全面推进，新建城市书房42家，惠及群众60万人。")]
AUTH = {"Authorization": "Bearer secret"}


def _zip_not_word() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("photos/readme.txt", "not a Word document")
    return buf.getvalue()


def bad_files() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, a phrase the error must contain)."""
    good = make_pdf(GOOD)
    return {
        "truncated.pdf": (good[: len(good) // 2], "truncated"),
        "encrypted.pdf": (make_pdf(GOOD, encrypt="user-password"), "encrypted"),
        "scan.pdf": (image_only_pdf(), SCANNED),
        "archive.docx": (_zip_not_word(), "not a readable Word .docx"),
        "empty.html": (b"<html><head><title>x</title></head><body><script>var a=1;</script></body></html>", "no main text"),
        "legacy.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Word .doc"),
    }


@pytest.mark.parametrize("name", list(bad_files()))
def test_each_bad_file_has_a_clear_error_naming_it(name: str) -> None:
    data, phrase = bad_files()[name]
    with pytest.raises(DocumentError) as err:
        read_document(Path("/in") / name, REPO, PlaceMatcher(), {}, data=data)
    assert name in str(err.value) and phrase in str(err.value)


def test_scanned_pdf_message_is_the_promised_one() -> None:
    assert SCANNED == "no text layer: this looks like a scanned PDF; OCR is not supported"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "wenzhou_2023.pdf").write_bytes(make_pdf(GOOD))
    for name, (data, _) in bad_files().items():
        (folder / name).write_bytes(data)
    (folder / "figures.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    (folder / "~$draft.docx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"\x00")
    return folder


def test_a_folder_indexes_the_good_files_and_reports_the_rest(folder: Path, settings) -> None:
    service = QAService(settings, encoder=FakeEncoder())
    report = service.index_paths([folder])
    assert (report.documents, report.indexed, report.unchanged) == (1, 1, 0)
    assert set(service.snapshot.documents) == {"wenzhou_2023"}
    assert report.failed == len(bad_files())
    for name, (_, phrase) in bad_files().items():
        assert any(name in e and phrase in e for e in report.errors), name
    assert len(report.skipped) == 2
    assert any("figures.xlsx" in s and "unsupported file type .xlsx" in s for s in report.skipped)
    assert any("~$draft.docx" in s and "lock file" in s for s in report.skipped)
    again = service.index_paths([folder])
    assert (again.indexed, again.unchanged, again.failed) == (0, 1, len(bad_files()))


def test_a_folder_of_only_bad_files_says_why(tmp_path: Path, settings) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(image_only_pdf())
    (folder / "table.xlsx").write_bytes(b"x")
    service = QAService(settings, encoder=FakeEncoder())
    with pytest.raises(BadRequest) as err:
        service.index_paths([folder])
    assert "scan.pdf" in err.value.message and SCANNED in err.value.message and "table.xlsx" in err.value.message


def test_cli_prints_a_line_per_skipped_or_failed_file_and_the_counts(folder: Path, tmp_path: Path, capsys) -> None:
    args = ["--model", "none", "--data-dir", str(tmp_path / "data"), "index", str(folder)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert sum(line.startswith("skipped: ") for line in lines) == 2
    assert sum(line.startswith("failed: ") for line in lines) == len(bad_files())
    assert any(line.startswith("failed: scan.pdf: ") and SCANNED in line for line in lines)
    assert f"indexed 1, unchanged 0, skipped 2, failed {len(bad_files())}, removed 0: 1 reports" in out
    assert main(args) == 0
    assert f"indexed 0, unchanged 1, skipped 2, failed {len(bad_files())}" in capsys.readouterr().out


# ----- uploads and the original file ----------------------------------------------------------
@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    service = QAService(settings, encoder=FakeEncoder())
    service.ensure_index()
    service.embed_pending()
    with TestClient(create_app(settings, service=service)) as c:
        yield c


@pytest.mark.parametrize("name", list(bad_files()))
def test_bad_uploads_are_400_and_leave_the_index_alone(client: TestClient, settings, name: str) -> None:
    before = client.get("/health").json()["index_version"]
    data, phrase = bad_files()[name]
    resp = client.post("/documents", files={"file": (name, data)}, headers=AUTH)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["code"] == "bad_request" and phrase in resp.json()["error"]["message"]
    assert client.get("/health").json()["index_version"] == before
    assert not (settings.data_dir / "uploads" / name).exists()


def test_upload_pdf_then_cite_its_page_and_fetch_the_original(client: TestClient) -> None:
    data = make_pdf(GOOD)
    resp = client.post("/documents", files={"file": ("wenzhou_2023.pdf", data, "application/pdf")}, headers=AUTH)
    assert resp.status_code == 201, resp.text
    assert resp.json()["title"] == "2023年温州市政府工作报告"
    answer = client.post("/ask", json={"question": "温州新建城市书房多少家", "top_k": 3}).json()
    top = answer["passages"][0]
    assert top["citation"]["doc_id"] == "wenzhou_2023" and "42家" in top["text"]
    assert top["citation"]["page"] == 1 and top["citation"]["page_end"] is None
    text = client.get("/documents/wenzhou_2023/text").text
    assert top["text"].replace("\n", "") in text.replace("\n", "")
    original = client.get("/documents/wenzhou_2023/file")
    assert original.status_code == 200 and original.content == data
    assert original.headers["content-type"] == "application/pdf"
    assert client.get("/documents/wenzhou_2023").json()["pages"] == 1


def test_unsupported_upload_is_415_and_lists_the_formats(client: TestClient) -> None:
    resp = client.post("/documents", files={"file": ("figures.xlsx", b"PK\x03\x04")}, headers=AUTH)
    assert resp.status_code == 415
    assert all(s in resp.json()["error"]["message"] for s in (".pdf", ".docx", ".html", ".txt"))


def test_original_file_of_an_indexed_folder_and_when_it_changes(tmp_path: Path, settings) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "wenzhou_2023.pdf"
    path.write_bytes(make_pdf(GOOD))
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([folder])
    with TestClient(create_app(settings, service=service)) as c:
        seed = c.get("/documents/wenzhou_2023/file")
        assert seed.status_code == 200 and seed.content == path.read_bytes()
        assert "wenzhou_2023.pdf" in seed.headers["content-disposition"]
        path.write_bytes(make_pdf([*GOOD, ("p", "新增一段。")]))
        changed = c.get("/documents/wenzhou_2023/file")
        assert changed.status_code == 409 and "re-index" in changed.json()["error"]["message"]
        path.unlink()
        assert c.get("/documents/wenzhou_2023/file").status_code == 404


def test_original_text_file_keeps_its_charset(client: TestClient) -> None:
    resp = client.get("/documents/001_9ecc862bbb333f7d/file")
    assert resp.status_code == 200 and resp.headers["content-type"] == "text/plain; charset=utf-8"
    assert resp.content == (REPO / "seeds" / "001_9ecc862bbb333f7d.txt").read_bytes()
