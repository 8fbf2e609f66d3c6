"""The bad-input matrix for uploads: exact 4xx for what is not a text report; odd encodings and hostile
file names work, stored under the data folder with a sanitised name only; the same bytes twice are one report."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import REPO, SAMPLE_REPORT, SEEDS, FakeEncoder
from .test_bad_input_api import AUTH, assert_error

HZ_DOC = "001_9ecc862bbb333f7d"


def make_client(root: Path, **overrides: object) -> TestClient:
    values: dict = {"model": "fake", "data_dir": root / "data", "seeds_dir": SEEDS, "project_root": REPO,
                    "api_token": "secret", **overrides}
    settings = Settings(**values)
    service = QAService(settings, encoder=FakeEncoder())
    service.ensure_index()
    service.embed_pending()
    return TestClient(create_app(settings, service=service), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with make_client(tmp_path_factory.mktemp("uploads")) as c:
        yield c


@pytest.fixture()
def fresh(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as c:
        yield c


def upload(c: TestClient, name: str, data: bytes, headers: dict[str, str] = AUTH):  # type: ignore[no-untyped-def]
    return c.post("/documents", files={"file": (name, data, "text/plain")}, headers=headers)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
REJECTED = [
    ("empty", "empty.txt", b"", 400, "bad_request", ("empty.txt", "empty")),
    ("blank", "blank.txt", b" \r\n\t\n", 400, "bad_request", ("empty",)),
    ("utf16-blank", "blank16.txt", " \n".encode("utf-16"), 400, "bad_request", ("empty",)),
    ("binary-png", "image.txt", PNG, 400, "bad_request", ("image.txt", "binary")),
    ("binary-nul", "nul.txt", b"abc\x00\x00\x00def\x00" * 100, 400, "bad_request", ("NUL",)),
    ("binary-bytes", "garbage.txt", bytes(range(1, 256)) * 40, 400, "bad_request", ("binary",)),
    ("pdf-renamed", "fake.txt", b"%PDF-1.4 binary", 400, "bad_request", ("PDF",)),
    ("docx-renamed", "fake.md", b"PK\x03\x04word/document.xml", 400, "bad_request", ("ZIP/DOCX",)),
    ("pdf-damaged", "report.pdf", b"%PDF-1.7", 400, "bad_request", ("report.pdf", "truncated or damaged")),
    ("exe-suffix", "report.exe", b"MZ\x90\x00", 415, "unsupported_media_type", (".txt", ".pdf", ".docx")),
    ("no-suffix", "report", SAMPLE_REPORT.encode(), 415, "unsupported_media_type", (".txt",)),
    ("dotdot-name", "..", SAMPLE_REPORT.encode(), 415, "unsupported_media_type", ()),
    ("dot-txt-name", ".txt", SAMPLE_REPORT.encode(), 415, "unsupported_media_type", ()),
    ("empty-name", "", SAMPLE_REPORT.encode(), 422, "validation_error", ("file",)),
]


@pytest.mark.parametrize(("name", "data", "status", "code", "fragments"), [c[1:] for c in REJECTED],
                         ids=[c[0] for c in REJECTED])
def test_rejected_uploads(shared: TestClient, name: str, data: bytes, status: int, code: str, fragments: tuple[str, ...]) -> None:
    assert_error(upload(shared, name, data), status, code, *fragments)
    assert len(shared.get("/documents").json()) == 4


def test_form_field_instead_of_a_file_is_422(shared: TestClient) -> None:
    assert_error(shared.post("/documents", data={"file": SAMPLE_REPORT}, headers=AUTH), 422, "validation_error",
                 "multipart/form-data part named `file`")
    assert_error(shared.post("/documents", headers=AUTH), 422, "validation_error", "file")


def test_auth_is_checked_before_the_upload_is_read(shared: TestClient, tmp_path: Path) -> None:
    assert_error(upload(shared, "x.txt", SAMPLE_REPORT.encode(), headers={}), 401, "unauthorized", "Bearer")
    assert_error(upload(shared, "x.txt", SAMPLE_REPORT.encode(), {"Authorization": "Bearer secreT"}), 401, "unauthorized")
    with make_client(tmp_path, api_token="") as read_only:
        assert_error(upload(read_only, "x.txt", SAMPLE_REPORT.encode()), 403, "forbidden", "REPORTQA_API_TOKEN")


def test_60_mb_upload_is_413_before_it_is_read(shared: TestClient) -> None:
    resp = upload(shared, "huge.txt", b"a" * (60 * 1024 * 1024))
    assert_error(resp, 413, "too_large", "20971520", "REPORTQA_MAX_UPLOAD_BYTES")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_encodings_decode_to_the_same_text(fresh: TestClient, encoding: str) -> None:
    resp = upload(fresh, f"linan_{encoding}.txt", SAMPLE_REPORT.encode(encoding))
    assert resp.status_code == 201, resp.text
    doc_id = resp.json()["doc_id"]
    assert fresh.get(f"/documents/{doc_id}/text").text == SAMPLE_REPORT
    assert fresh.get(f"/documents/{doc_id}").json()["title"] == "2023年临安区政府工作报告"
    top = fresh.post("/ask", json={"question": "天目山竹笋深加工基地新建了几个？"}).json()["passages"][0]
    assert top["citation"]["doc_id"] == doc_id


@pytest.mark.parametrize(("name", "stored"), [
    ("../../etc/evil.txt", "evil.txt"),
    ("/tmp/reportqa-absolute-upload.txt", "reportqa-absolute-upload.txt"),
    ("C:\\Users\\me\\..\\win report.txt", "win_report.txt"),
    ("..\\..\\..\\boot.md", "boot.md"),
    ("报告（2023）\u202e.txt", "报告_2023.txt"),  # bidi override and full-width brackets are not kept
    ("x" * 300 + ".txt", "x" * 80 + ".txt"),
    ("？？！！.txt", None),  # nothing usable is left: a generated upload-<sha256> name
])
def test_hostile_names_are_stored_under_the_data_folder_only(fresh: TestClient, name: str, stored: str | None) -> None:
    data_dir = Path(fresh.app.state.runtime.settings.data_dir)  # type: ignore[attr-defined]
    before = {p for p in data_dir.parent.rglob("*") if "uploads" not in p.parts}
    resp = upload(fresh, name, SAMPLE_REPORT.encode())
    assert resp.status_code == 201, resp.text
    files = sorted((data_dir / "uploads").iterdir())
    assert len(files) == 1 and files[0].read_bytes() == SAMPLE_REPORT.encode()
    if stored is None:
        assert files[0].name.startswith("upload-") and files[0].suffix == ".txt"
    else:
        assert files[0].name == stored
    assert resp.json()["doc_id"] == files[0].stem
    assert not Path("/etc/evil.txt").exists() and not Path("/tmp/reportqa-absolute-upload.txt").exists()
    new_outside = {p for p in data_dir.parent.rglob("*") if "uploads" not in p.parts} - before
    assert all(p.is_relative_to(data_dir) for p in new_outside), new_outside  # only index files, in the data folder


def test_duplicate_of_an_existing_report_is_idempotent(fresh: TestClient) -> None:
    """The bytes of a seed report under another name: the seed's id, no second copy, nothing written."""
    data_dir = Path(fresh.app.state.runtime.settings.data_dir)  # type: ignore[attr-defined]
    version = fresh.get("/health").json()["index_version"]
    resp = upload(fresh, "copy_of_hangzhou.txt", (SEEDS / f"{HZ_DOC}.txt").read_bytes())
    assert resp.status_code == 200, resp.text
    assert resp.json()["doc_id"] == HZ_DOC and resp.json()["duplicate"] is True
    assert len(fresh.get("/documents").json()) == 4 and fresh.get("/health").json()["index_version"] == version
    assert not (data_dir / "uploads").exists() or not os.listdir(data_dir / "uploads")
