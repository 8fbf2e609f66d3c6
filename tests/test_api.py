"""HTTP API tests over TestClient, with a small deterministic fake encoder (no model needed)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import SAMPLE_REPORT, FakeEncoder

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HZ_DOC = "001_9ecc862bbb333f7d"
TOKEN = "secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ANSWER_KEYS = {"question", "answer", "answerable", "retrieval", "passages", "took_ms", "confidence", "reason",
               "rewritten_question", "warnings"}
PASSAGE_KEYS = {"rank", "score", "text", "chunk_id", "citation"}
CITATION_KEYS = {"doc_id", "title", "source", "section", "start", "end", "page", "page_end"}
REPORT = SAMPLE_REPORT


class OtherEncoder(FakeEncoder):
    name = "some-other-model"


class GatedEncoder(FakeEncoder):
    """Blocks passage encoding until released, to observe the server while it is indexing."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        self.release.wait(30)
        return super().encode_passages(texts)


def make_settings(root: Path, **overrides: object) -> Settings:
    values: dict = {"data_dir": root / "data", "seeds_dir": SEEDS, "api_token": TOKEN, **overrides}
    return Settings(**values)


def make_service(root: Path) -> QAService:
    service = QAService(make_settings(root), encoder=FakeEncoder())
    service.ensure_index()
    service.embed_pending()
    return service


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> QAService:
    """Shared read-only service; tests that write use `writable`."""
    return make_service(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(service: QAService) -> Iterator[TestClient]:
    with TestClient(create_app(service.settings, service=service)) as c:
        yield c


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[TestClient]:
    service = make_service(tmp_path)
    with TestClient(create_app(service.settings, service=service)) as c:
        yield c


def squash(text: str) -> str:
    return re.sub(r"[\s*]+", "", text)


def assert_error(resp, status: int, code: str, *fragments: str) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    for fragment in fragments:
        assert fragment in body["error"]["message"], body
    return body["error"]


def assert_answer_shape(data: dict, question: str) -> None:
    assert set(data) == ANSWER_KEYS
    assert data["question"] == question
    assert isinstance(data["answer"], str) and data["answer"]
    assert isinstance(data["answerable"], bool)
    assert data["retrieval"] == "hybrid"
    assert isinstance(data["took_ms"], float | int) and data["took_ms"] >= 0
    assert data["passages"], "expected passages"
    for rank, passage in enumerate(data["passages"], start=1):
        assert set(passage) == PASSAGE_KEYS
        assert passage["rank"] == rank
        assert set(passage["citation"]) == CITATION_KEYS
        assert 0 <= passage["citation"]["start"] < passage["citation"]["end"]


# ----- /ask ---------------------------------------------------------------------------------
def test_ask_post_shape_and_citations_match_document_text(client: TestClient) -> None:
    question = "杭州2020年地区生产总值增长多少"
    data = client.post("/ask", json={"question": question, "top_k": 4}).json()
    assert_answer_shape(data, question)
    assert len(data["passages"]) == 4
    assert data["rewritten_question"] is None and data["warnings"] == []
    assert any("3.9%" in p["text"] and p["citation"]["doc_id"] == HZ_DOC for p in data["passages"])
    texts: dict[str, str] = {}
    for passage in data["passages"]:
        cite = passage["citation"]
        if cite["doc_id"] not in texts:
            resp = client.get(f"/documents/{cite['doc_id']}/text")
            assert resp.headers["content-type"] == "text/plain; charset=utf-8"
            texts[cite["doc_id"]] = resp.text
        assert squash(texts[cite["doc_id"]][cite["start"]:cite["end"]]) == squash(passage["text"])
        assert cite["source"].endswith(f"{cite['doc_id']}.txt") and cite["title"]


def test_ask_get_matches_post(client: TestClient) -> None:
    question = "杭州2020年地区生产总值增长多少"
    got = client.get("/ask", params={"q": question, "top_k": 3})
    assert got.status_code == 200
    data = got.json()
    assert_answer_shape(data, question)
    posted = client.post("/ask", json={"question": question, "top_k": 3}).json()
    assert [p["chunk_id"] for p in data["passages"]] == [p["chunk_id"] for p in posted["passages"]]


def test_ask_as_of_reads_relative_years(client: TestClient) -> None:
    question = "萧山今年GDP增长目标是多少"
    for as_of, doc in ((2021, "000_aaa038b905557ba9"), (2024, "002_41568aa1710098f8")):
        posted = client.post("/ask", json={"question": question, "as_of": as_of})
        got = client.get("/ask", params={"q": question, "as_of": as_of})
        assert posted.status_code == got.status_code == 200
        assert posted.json()["passages"][0]["citation"]["doc_id"] == doc
        assert got.json()["passages"][0]["citation"]["doc_id"] == doc


def test_ask_filters_restrict_passages(client: TestClient) -> None:
    body = {"question": "新增多少家高新技术企业", "top_k": 10, "filters": {"regions": ["萧山区"], "years": [2024]}}
    data = client.post("/ask", json=body).json()
    assert data["passages"] and {p["citation"]["doc_id"] for p in data["passages"]} == {"002_41568aa1710098f8"}
    data = client.post("/ask", json={"question": "数字经济", "filters": {"doc_ids": [HZ_DOC]}}).json()
    assert data["passages"] and all(p["citation"]["doc_id"] == HZ_DOC for p in data["passages"])
    got = client.get("/ask", params=[("q", "数字经济"), ("region", "钱塘区")]).json()
    assert got["passages"] and all(p["citation"]["doc_id"] == "004_bfa3ef6ae9a59b07" for p in got["passages"])


def test_ask_history_rewrites_followup(client: TestClient) -> None:
    body = {"question": "那萧山呢？", "history": [{"question": "杭州2020年新增多少家国家高新技术企业", "answer": "2010家"}]}
    data = client.post("/ask", json=body).json()
    assert data["question"] == "那萧山呢？"
    assert data["rewritten_question"] == "萧山2020年新增多少家国家高新技术企业"
    assert_answer_shape(data, "那萧山呢？")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"question": ""}, "question is empty"),
        ({"question": "   \n\t "}, "question is empty"),
        ({"question": "问" * 1001}, "limit is 1000"),
        ({"question": 123}, "question"),
        ({"question": ["杭州"]}, "question"),
        ({}, "question"),
        ({"question": "杭州", "top_k": 0}, "top_k"),
        ({"question": "杭州", "top_k": 51}, "top_k"),
        ({"question": "杭州", "top_k": "5"}, "top_k"),
        ({"question": "杭州", "top_k": True}, "top_k"),
        ({"question": "杭州", "filters": "萧山"}, "filters"),
        ({"question": "杭州", "filters": {"years": ["2021年"]}}, "filters.years"),
        ({"question": "杭州", "history": [{"answer": "x"}]}, "history"),
        ([1, 2], "body"),
    ],
)
def test_ask_rejects_bad_input_with_422(client: TestClient, body: object, fragment: str) -> None:
    assert_error(client.post("/ask", json=body), 422, "validation_error", fragment)


@pytest.mark.parametrize("params", [{"q": ""}, {"q": " "}, {"q": "杭州", "top_k": 0}, {"q": "杭州", "top_k": 51},
                                    {"q": "杭州", "top_k": "many"}, {}])
def test_ask_get_rejects_bad_input_with_422(client: TestClient, params: dict) -> None:
    assert_error(client.get("/ask", params=params), 422, "validation_error")


def test_malformed_and_non_utf8_bodies_are_4xx(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/ask", content=b'{"question": ', headers=headers), 422, "validation_error", "malformed JSON")
    err = client.post("/ask", content=b'{"question": "\xff\xfe\xfd"}', headers=headers)
    assert_error(err, 400, "bad_request", "UTF-8")
    assert_error(client.post("/ask", content="question=杭州".encode(), headers={"content-type": "text/plain"}),
                 422, "validation_error")
    huge = b'{"question": "' + b"a" * 1_100_000 + b'"}'
    assert_error(client.post("/ask", content=huge, headers=headers), 413, "too_large", "1048576")


# ----- documents and passages ------------------------------------------------------------
def test_documents_listing_and_metadata(client: TestClient) -> None:
    docs = client.get("/documents").json()
    assert {d["doc_id"] for d in docs} == {"000_aaa038b905557ba9", HZ_DOC, "002_41568aa1710098f8", "004_bfa3ef6ae9a59b07"}
    hz = next(d for d in docs if d["doc_id"] == HZ_DOC)
    assert hz["title"] == "2021年杭州市政府工作报告" and hz["region"] == "杭州市" and hz["year"] == 2021 and hz["chunks"] > 10
    meta = client.get(f"/documents/{HZ_DOC}").json()
    assert meta["title"] == hz["title"] and meta["chars"] == len(client.get(f"/documents/{HZ_DOC}/text").text)
    assert "text" not in meta


def test_passage_with_context(client: TestClient) -> None:
    chunk_id = client.get("/ask", params={"q": "杭州2020年地区生产总值增长多少"}).json()["passages"][0]["chunk_id"]
    data = client.get(f"/passages/{chunk_id}", params={"context": 2}).json()
    assert data["passage"]["chunk_id"] == chunk_id and set(data["passage"]) == PASSAGE_KEYS
    assert len(data["before"]) <= 2 and len(data["after"]) <= 2 and (data["before"] or data["after"])
    doc_id = data["passage"]["citation"]["doc_id"]
    assert all(c["doc_id"] == doc_id for c in data["before"] + data["after"])
    assert_error(client.get(f"/passages/{chunk_id}", params={"context": 21}), 422, "validation_error", "context")


def test_not_found_envelopes(client: TestClient) -> None:
    assert_error(client.get("/documents/nope"), 404, "not_found", "nope", "GET /documents")
    assert_error(client.get("/documents/nope/text"), 404, "not_found", "nope")
    assert_error(client.get("/passages/nope"), 404, "not_found", "nope")
    assert_error(client.get("/no/such/route"), 404, "not_found", "/no/such/route")
    resp = client.put("/ask", json={"question": "杭州"})
    assert_error(resp, 405, "method_not_allowed", "GET, POST")
    assert resp.headers["allow"] == "GET, POST"


def test_health_docs_and_openapi(client: TestClient) -> None:
    health = client.get("/health").json()
    assert {"status", "model", "retrieval", "documents", "chunks", "index_version"} <= set(health)
    assert health["status"] == "ok" and health["model"] == "fake-bigram-64" and health["documents"] == 4
    assert client.get("/docs").status_code == 200 and "swagger" in client.get("/docs").text.lower()
    schema = client.get("/openapi.json").json()
    assert {"/ask", "/documents", "/documents/{doc_id}", "/documents/{doc_id}/text", "/passages/{chunk_id}",
            "/health"} <= set(schema["paths"])
    assert "杭州2020年地区生产总值增长多少？" in str(schema["components"]["schemas"]["AskRequest"])


# ----- auth and writes -------------------------------------------------------------------
def test_write_endpoints_need_configured_token(service: QAService) -> None:
    no_token = create_app(make_settings(service.settings.data_dir.parent, api_token=""), service=service)
    with TestClient(no_token) as c:
        files = {"file": ("x.txt", REPORT.encode())}
        assert_error(c.post("/documents", files=files), 403, "forbidden", "REPORTQA_API_TOKEN")
        assert_error(c.delete(f"/documents/{HZ_DOC}", headers=AUTH), 403, "forbidden", "REPORTQA_API_TOKEN")


def test_wrong_or_missing_token_is_401(client: TestClient) -> None:
    files = {"file": ("x.txt", REPORT.encode())}
    resp = client.post("/documents", files=files)
    assert_error(resp, 401, "unauthorized", "Bearer")
    assert resp.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/documents", files=files, headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
    assert_error(client.delete(f"/documents/{HZ_DOC}", headers={"Authorization": "Basic c2VjcmV0"}), 401, "unauthorized")
    assert client.get(f"/documents/{HZ_DOC}").status_code == 200  # nothing was deleted


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_upload_then_ask_finds_it_then_delete(writable: TestClient, encoding: str) -> None:
    name = f"linan_{encoding.replace('-', '')}"
    resp = writable.post("/documents", files={"file": (f"{name}.txt", REPORT.encode(encoding), "text/plain")}, headers=AUTH)
    assert resp.status_code == 201, resp.text
    up = resp.json()
    assert up["doc_id"] == name and up["chunks"] >= 1 and up["title"] == "2023年临安区政府工作报告"
    meta = writable.get(f"/documents/{up['doc_id']}").json()
    assert meta["encoding"] in ("utf-8", "gb18030") and meta["region"] == "临安区"
    assert writable.get(f"/documents/{up['doc_id']}/text").text == REPORT
    data = writable.post("/ask", json={"question": "天目山竹笋深加工基地新建了几个？"}).json()
    top = data["passages"][0]
    assert top["citation"]["doc_id"] == up["doc_id"] and "竹笋深加工基地7个" in top["text"]
    assert len(writable.get("/documents").json()) == 5

    gone = writable.delete(f"/documents/{up['doc_id']}", headers=AUTH)
    assert gone.status_code == 200 and gone.json()["deleted"] == up["doc_id"] and gone.json()["documents"] == 4
    assert_error(writable.get(f"/documents/{up['doc_id']}"), 404, "not_found")
    assert_error(writable.delete(f"/documents/{up['doc_id']}", headers=AUTH), 404, "not_found")
    data = writable.post("/ask", json={"question": "天目山竹笋深加工基地新建了几个？"}).json()
    assert all(p["citation"]["doc_id"] != up["doc_id"] for p in data["passages"])


def test_upload_is_embedded_in_the_background(writable: TestClient) -> None:
    assert writable.get("/health").json()["retrieval"] == "hybrid"
    resp = writable.post("/documents", files={"file": ("bg.txt", REPORT.encode())}, headers=AUTH)
    assert resp.status_code == 201, resp.text
    deadline = time.monotonic() + 30
    while (health := writable.get("/health").json())["retrieval"] != "hybrid" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert health["retrieval"] == "hybrid" and health["embedded"] == health["chunks"], health


def test_same_upload_twice_is_idempotent(writable: TestClient) -> None:
    files = {"file": ("quick.txt", REPORT.encode())}
    first = writable.post("/documents", files=files, headers=AUTH)
    again = writable.post("/documents", files=files, headers=AUTH)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert first.json()["doc_id"] == again.json()["doc_id"] == "quick"
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert [d["doc_id"] for d in writable.get("/documents").json()].count("quick") == 1


def test_upload_rejects_unsupported_and_binary_files(writable: TestClient) -> None:
    sheet = writable.post("/documents", files={"file": ("report.xlsx", b"PK\x03\x04...")}, headers=AUTH)
    assert_error(sheet, 415, "unsupported_media_type", ".txt", ".md", ".pdf", ".docx")
    pdf = writable.post("/documents", files={"file": ("report.pdf", b"%PDF-1.7\n...")}, headers=AUTH)
    assert_error(pdf, 400, "bad_request", "report.pdf", "truncated")
    garbage = bytes(range(256)) * 40
    err = writable.post("/documents", files={"file": ("garbage.txt", garbage)}, headers=AUTH)
    assert_error(err, 400, "bad_request", "garbage.txt", "binary")
    disguised = writable.post("/documents", files={"file": ("fake.txt", b"%PDF-1.4 binary")}, headers=AUTH)
    assert_error(disguised, 400, "bad_request", "PDF")
    empty = writable.post("/documents", files={"file": ("empty.txt", b"  \n")}, headers=AUTH)
    assert_error(empty, 400, "bad_request", "empty")
    assert_error(writable.post("/documents", headers=AUTH), 422, "validation_error", "file")
    assert len(writable.get("/documents").json()) == 4


def test_oversized_upload_is_413(service: QAService) -> None:
    small = create_app(make_settings(service.settings.data_dir.parent, max_upload_bytes=2000), service=service)
    with TestClient(small) as c:
        just_over = (REPORT * 20).encode()[:2500]  # over the file limit, under the multipart allowance
        assert_error(c.post("/documents", files={"file": ("big.txt", just_over)}, headers=AUTH), 413, "too_large", "2000")
        way_over = b"a" * 200_000  # refused from Content-Length before the body is read
        assert_error(c.post("/documents", files={"file": ("big.txt", way_over)}, headers=AUTH), 413, "too_large", "2000")
    assert service.health().documents == 4


def test_chunked_bodies_over_the_limit_name_the_limit(service: QAService) -> None:
    """No Content-Length: the middleware counts the streamed bytes and answers with its own message."""
    small = create_app(make_settings(service.settings.data_dir.parent, max_upload_bytes=2000), service=service)
    boundary = "reportqa-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    chunks = [head, *([b"a" * 16384] * 6), f"\r\n--{boundary}--\r\n".encode()]
    with TestClient(small) as c:
        upload = c.post("/documents", content=iter(chunks), headers={
            **AUTH, "content-type": f"multipart/form-data; boundary={boundary}"})
        assert "content-length" not in {k.lower() for k in upload.request.headers}
        assert_error(upload, 413, "too_large", "limit of 2000 bytes")
        ask = c.post("/ask", content=iter([b'{"question": "', *([b"a" * 65536] * 17), b'"}']),
                     headers={"content-type": "application/json"})
        assert_error(ask, 413, "too_large", "limit of 1048576 bytes")
    assert service.health().documents == 4


# ----- start-up states --------------------------------------------------------------------
def wait_for_status(c: TestClient, wanted: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = c.get("/health").json()
        if health["status"] == wanted:
            return health
        time.sleep(0.05)
    raise AssertionError(f"status never became {wanted!r}: {health}")


def test_health_says_indexing_until_ready(tmp_path: Path) -> None:
    encoder = GatedEncoder()
    service = QAService(make_settings(tmp_path), encoder=encoder)
    with TestClient(create_app(service.settings, service=service)) as c:
        assert wait_for_status(c, "indexing")["documents"] == 0
        assert_error(c.get("/ask", params={"q": "杭州"}), 503, "not_ready")
        encoder.release.set()
        assert wait_for_status(c, "ok")["documents"] == 4
        assert c.get("/ask", params={"q": "杭州2020年地区生产总值增长多少"}).status_code == 200


def test_manifest_mismatch_reports_error_instead_of_crashing(service: QAService, tmp_path: Path) -> None:
    settings = make_settings(service.settings.data_dir.parent)  # index built with FakeEncoder
    other = QAService(settings, encoder=OtherEncoder())
    with TestClient(create_app(settings, service=other)) as c:
        health = wait_for_status(c, "error")
        assert "reportqa index --rebuild" in health["message"] and "some-other-model" in health["message"]
        assert c.get("/health").status_code == 503
        assert_error(c.get("/ask", params={"q": "杭州"}), 503, "not_ready", "--rebuild")
