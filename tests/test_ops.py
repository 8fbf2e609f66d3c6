"""Operating the server: rate limit, CORS, the request log, /metrics, start-up warnings, the declared limits."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.exposure import exposure_warnings, is_loopback
from api.metrics import HealthCollector
from api.ratelimit import TokenBuckets
from api.runtime import startup_summary
from qa.cli import serve
from qa.core.records import Health, ServiceState
from qa.core.service import QAService
from qa.core.settings import RateLimit, Settings, SettingsError, parse_rate_limit

from .conftest import REPO, SAMPLE_REPORT, SEEDS, FakeEncoder

TOKEN = "a-long-enough-secret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> QAService:
    settings = Settings(model="fake", data_dir=tmp_path_factory.mktemp("ops") / "data", seeds_dir=SEEDS,
                        project_root=REPO, api_token=TOKEN)
    svc = QAService(settings, encoder=FakeEncoder())
    svc.ensure_index()
    svc.embed_pending()
    return svc


def client_with(service: QAService, **overrides: object) -> TestClient:
    settings = Settings(**{**service.settings.__dict__, **overrides})
    return TestClient(create_app(settings, service=service))


# ----- rate limiting -------------------------------------------------------------------------
def test_rate_limit_answers_429_with_retry_after_and_spares_health(service: QAService) -> None:
    with client_with(service, rate_limit=RateLimit(3, 60)) as c:
        assert [c.get("/documents").status_code for _ in range(3)] == [200, 200, 200]
        limited = c.get("/ask", params={"q": "杭州"})
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
        assert "3 requests per 60 s" in limited.json()["error"]["message"]
        assert limited.headers["retry-after"] == "20"  # one token comes back every 60/3 s
        assert all(c.get(path).status_code == 200 for path in ("/health", "/metrics") for _ in range(5))
    with client_with(service) as unlimited:
        assert all(unlimited.get("/documents").status_code == 200 for _ in range(10))


def test_token_buckets_refill_per_client_and_forget_old_clients() -> None:
    now = [0.0]
    buckets = TokenBuckets(RateLimit(2, 10), clock=lambda: now[0], max_keys=2)
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(5.0)  # 2 per 10 s: the next token in 5 s
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] = 5.0
    assert buckets.take("a") == 0.0 and buckets.take("a") > 0
    buckets.take("c")  # a third client: the least recently seen ("b") is forgotten
    assert set(buckets._buckets) == {"a", "c"}


@pytest.mark.parametrize(("text", "expected"), [
    ("60/minute", RateLimit(60, 60.0)), ("10/second", RateLimit(10, 1.0)), ("1000/hour", RateLimit(1000, 3600.0)),
    ("5/10s", RateLimit(5, 10.0)), (" 30 / min ", RateLimit(30, 60.0)), ("", None), ("off", None),
])
def test_rate_limit_setting_parses(text: str, expected: RateLimit | None) -> None:
    assert parse_rate_limit(text) == expected


@pytest.mark.parametrize("text", ["lots", "60", "60/fortnight", "0/minute", "-5/minute", "1.5/second"])
def test_bad_rate_limit_setting_names_the_variable(text: str) -> None:
    with pytest.raises(SettingsError, match="REPORTQA_RATE_LIMIT must look like 60/minute"):
        parse_rate_limit(text)


def test_settings_from_env_reads_the_operations_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTQA_CORS_ORIGINS", "https://a.example/, https://b.example")
    monkeypatch.setenv("REPORTQA_RATE_LIMIT", "60/minute")
    monkeypatch.setenv("REPORTQA_LOG_QUESTIONS", "1")
    monkeypatch.setenv("REPORTQA_URL", "http://10.0.0.5:8000")
    s = Settings.from_env()
    assert s.cors_origins == ("https://a.example", "https://b.example") and s.rate_limit == RateLimit(60, 60.0)
    assert s.log_questions and s.server_url == "http://10.0.0.5:8000"
    for name in ("REPORTQA_CORS_ORIGINS", "REPORTQA_RATE_LIMIT", "REPORTQA_LOG_QUESTIONS", "REPORTQA_URL"):
        monkeypatch.delenv(name)
    s = Settings.from_env()
    assert (s.cors_origins, s.rate_limit, s.log_questions, s.server_url) == ((), None, False, "")


# ----- CORS ---------------------------------------------------------------------------------------
def test_cors_is_off_by_default_and_allows_only_configured_origins(service: QAService) -> None:
    origin = {"Origin": "https://ui.example"}
    with client_with(service) as c:
        assert "access-control-allow-origin" not in c.get("/documents", headers=origin).headers
    with client_with(service, cors_origins=("https://ui.example",)) as c:
        assert c.get("/documents", headers=origin).headers["access-control-allow-origin"] == "https://ui.example"
        assert "access-control-allow-origin" not in c.get("/documents", headers={"Origin": "https://evil.example"}).headers
        preflight = c.options("/documents", headers={**origin, "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "authorization"})
        assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()


# ----- the request log --------------------------------------------------------------------------
def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "reportqa.access"]


def test_one_json_line_per_request_without_question_or_token(service: QAService, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="reportqa.access")
    with client_with(service) as c:
        c.post("/ask", json={"question": "萧山机密问题是什么"})
        c.get("/ask", params={"q": "钱塘机密问题"})
        c.post("/documents", files={"file": ("x.exe", b"MZ")}, headers=AUTH)
        c.get("/no/such/page")
    lines = access_lines(caplog)
    assert [(x["method"], x["path"], x["route"], x["status"]) for x in lines] == [
        ("POST", "/ask", "/ask", 200), ("GET", "/ask", "/ask", 200), ("POST", "/documents", "/documents", 415),
        ("GET", "/no/such/page", "unmatched", 404)]
    assert [x.get("question_chars") for x in lines] == [9, 6, None, None]
    assert all(isinstance(x["ms"], float) and x["ms"] >= 0 and x["client"] for x in lines)
    text = caplog.text
    assert "机密" not in text and TOKEN not in text and "Bearer" not in text


def test_questions_are_logged_only_when_asked_to(service: QAService, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="reportqa.access")
    with client_with(service, log_questions=True) as c:
        c.post("/ask", json={"question": "萧山2023年财政总收入多少"})
    assert access_lines(caplog)[-1]["question"] == "萧山2023年财政总收入多少"


# ----- /metrics -----------------------------------------------------------------------------------
def test_metrics_count_requests_by_route_and_report_the_index(service: QAService) -> None:
    with client_with(service) as c:
        c.post("/ask", json={"question": "杭州2020年经济增速是多少"})
        c.get("/documents/nope")
        c.get("/documents/also-nope")
        c.get("/wp-admin/x.php")
        resp = c.get("/metrics")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain")
    body = resp.text
    assert 'reportqa_requests_total{method="POST",route="/ask",status="200"} 1.0' in body
    assert 'reportqa_requests_total{method="GET",route="/documents/{doc_id}",status="404"} 2.0' in body
    assert 'reportqa_requests_total{method="GET",route="unmatched",status="404"} 1.0' in body
    assert 'reportqa_request_duration_seconds_count{method="POST",route="/ask"} 1.0' in body
    assert "reportqa_index_documents 4.0" in body and "reportqa_ready 1.0" in body
    assert f"reportqa_index_passages {float(service.health().chunks)}" in body
    assert "reportqa_dense_passages_done 0.0" in body and "reportqa_dense_passages_total 0.0" in body
    assert 'model="fake-bigram-64"' in body and 'retrieval="hybrid"' in body


def test_dense_progress_gauges_read_the_health_record_when_it_has_them() -> None:
    @dataclass(frozen=True)
    class HealthWithDense(Health):
        dense_done: int = 0
        dense_total: int = 0

    health = HealthWithDense(ServiceState.OK, "m", "hybrid", documents=3, chunks=90, dense_done=40, dense_total=90)
    values = {m.name: m.samples[0].value for m in HealthCollector(lambda: health).collect()}
    assert values["reportqa_dense_passages_done"] == 40 and values["reportqa_dense_passages_total"] == 90
    assert values["reportqa_index_passages"] == 90 and values["reportqa_ready"] == 1


# ----- start-up -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("reports.example.org", False)])
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_exposure_warnings() -> None:
    base = Settings(model="none", data_dir=Path("/tmp/x"))
    assert exposure_warnings("127.0.0.1", Settings(**{**base.__dict__, "api_token": "short"})) == []
    short = exposure_warnings("0.0.0.0", Settings(**{**base.__dict__, "api_token": "short"}))
    assert [lvl for lvl, _ in short] == [logging.WARNING, logging.WARNING, logging.INFO]
    assert "writes ENABLED" in short[0][1] and "TLS" in short[0][1] and "only 5 characters" in short[1][1]
    strong = exposure_warnings("::", Settings(**{**base.__dict__, "api_token": "x" * 32, "rate_limit": RateLimit(60, 60)}))
    assert [lvl for lvl, _ in strong] == [logging.WARNING] and "x" * 32 not in strong[0][1]
    read_only = exposure_warnings("0.0.0.0", base)
    assert read_only[0][0] == logging.WARNING and "read-only" in read_only[0][1]


def test_startup_summary_names_mode_and_limits_but_never_the_token() -> None:
    summary = startup_summary(Settings(model="m", api_token=TOKEN, rate_limit=RateLimit(60, 60), cors_origins=("https://a",)))
    assert "read-write" in summary and "rate limit 60/60s" in summary and "CORS https://a" in summary
    assert TOKEN not in summary
    assert "read-only" in startup_summary(Settings(model="m"))


# ----- the schema declares every limit -----------------------------------------------------------
def test_openapi_declares_the_limits(service: QAService) -> None:
    with client_with(service, max_question_chars=300) as c:
        schema = c.get("/openapi.json").json()
    body = schema["components"]["schemas"]["AskRequest"]
    question = body["properties"]["question"]
    assert (question["minLength"], question["maxLength"]) == (1, 300) and question["pattern"].startswith("[^")
    assert body["additionalProperties"] is False and body["properties"]["history"]["anyOf"][0]["maxItems"] == 20
    assert body["properties"]["top_k"]["minimum"] == 1 and body["properties"]["top_k"]["maximum"] == 50
    get_ask = {p["name"]: p["schema"] for p in schema["paths"]["/ask"]["get"]["parameters"]}
    assert (get_ask["q"]["minLength"], get_ask["q"]["maxLength"]) == (1, 300)
    assert (get_ask["top_k"]["minimum"], get_ask["top_k"]["maximum"]) == (1, 50)
    assert "413" in schema["paths"]["/ask"]["post"]["responses"]
    upload = schema["paths"]["/documents"]["post"]
    assert {"200", "201", "413", "415"} <= set(upload["responses"]) and ".txt" in upload["responses"]["415"]["description"]
    text_404 = schema["paths"]["/documents/{doc_id}/text"]["get"]["responses"]["404"]["content"]
    assert list(text_404) == ["application/json"]
    assert "HTTPValidationError" not in json.dumps(schema)


def test_health_lists_every_field(service: QAService) -> None:
    with client_with(service) as c:
        health = c.get("/health").json()
    assert set(health) == set(Health.__dataclass_fields__) and health["message"] is None


@pytest.fixture()
def upload_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(model="fake", data_dir=tmp_path / "data", seeds_dir=SEEDS, project_root=REPO, api_token=TOKEN)
    svc = QAService(settings, encoder=FakeEncoder())
    svc.ensure_index()
    svc.embed_pending()
    with TestClient(create_app(settings, service=svc)) as c:
        yield c


def test_metrics_see_uploads_grow_the_index(upload_client: TestClient) -> None:
    resp = upload_client.post("/documents", files={"file": ("linan.txt", SAMPLE_REPORT.encode())}, headers=AUTH)
    assert resp.status_code == 201
    assert "reportqa_index_documents 5.0" in upload_client.get("/metrics").text


def test_serve_logs_the_exposure_warnings_before_starting(monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    started: list[dict] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **kw: started.append(kw))
    args = serve.argparse.Namespace(host="0.0.0.0", port=8000)
    with caplog.at_level(logging.INFO, logger="reportqa.api"):
        assert serve.run(args, Settings(model="none", api_token="short")) == 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("writes ENABLED" in w for w in warnings) and any("only 5 characters" in w for w in warnings)
    assert started == [{"host": "0.0.0.0", "port": 8000, "log_level": "info", "access_log": False}]
