"""The pieces behind `reportqa bench` and the encoder choice, without running a benchmark."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from embeddings import backends
from qa.cli import bench_report
from qa.core.settings import Settings
from qa.index.build import doc_ids, partition

RESULT = {
    "date": "2026-11-23", "machine": "2 CPUs", "model": "m", "backend": "openvino-int8", "data_dir": "/d",
    "reports": 10, "passages": 500, "embedded": 500,
    "index": {"lexical_s": 12.0, "dense_s": 50.0, "indexed": 10, "passages": 500, "embedded": 500,
              "backend": "openvino-int8", "floor_passages_per_s": 2.5},
    "disk_mb": {"segments": 3.0, "vectors": 1.0, "uploads": 0.0, "total": 4.0},
    "encoders": {"passages": 64, "floor_passages_per_s": 2.0, "floor_runs": [2.0, 2.0], "rows": [
        {"backend": "torch", "passages_per_s": 2.0, "query_p50_ms": 30.0, "cosine_min": 1.0, "cosine_mean": 1.0, "ratio": 1.0},
        {"backend": "openvino-int8", "passages_per_s": 9.0, "query_p50_ms": 6.0, "cosine_min": 0.998, "cosine_mean": 0.999,
         "ratio": 4.5},
        {"backend": "openvino", "error": "not installed"},
        {"backend": "torch", "passages_per_s": 2.0, "query_p50_ms": 24.0, "cosine_min": 1.0, "cosine_mean": 1.0, "ratio": 1.0}]},
    "latency": {"rows": [{"name": "in-process", "n": 3, "p50": 8.0, "p95": 9.0, "mean": 8.0, "rps": 100.0},
                         {"name": "HTTP c=1", "n": 3, "p50": 12.0, "p95": 14.0, "mean": 12.0, "rps": 80.0},
                         {"name": "HTTP c=1, httpx client", "n": 3, "p50": 15.0, "p95": 16.0, "mean": 15.0, "rps": 60.0}],
                "server_rss_mb": 900, "server_peak_rss_mb": 950, "bench_peak_rss_mb": 500},
    "upload": {"copy_s": 1.0, "upload_s": 0.4, "searchable": 1.0, "delete_s": 0.1, "gone": 1.0, "passages": 20.0,
               "reports_in_index": 11.0},
}


def test_the_report_gives_every_speed_against_the_floor(tmp_path: Path) -> None:
    source = tmp_path / "run.json"
    source.write_text(json.dumps(RESULT), encoding="utf-8")
    out = tmp_path / "BENCHMARKS.md"
    args = argparse.Namespace(results=[source], out=out, notes=None)
    assert bench_report.run(args, Settings()) == 0
    text = out.read_text(encoding="utf-8")
    assert "then 500 passages embedded with `openvino-int8` in 50 s (10.0/s = 4.00× the PyTorch fp32 floor" in text
    assert "| openvino-int8 | 9.0 | 4.50 | 6.0 | 0.9980 / 0.99900 |" in text
    assert "| openvino | — | — | — | unavailable: not installed |" in text
    assert "`/ask` p50 over HTTP at c=1 is 12.0 ms = 0.40× that floor (floor runs 24.0–30.0 ms: 0.40–0.50×)." in text
    assert "The same requests from httpx, whose own work is in its times: 15.0 ms = 0.50× the first floor." in text
    assert "searchable after 0.40 s (found by a query: yes); delete took 0.10 s (gone: yes)" in text
    svg = (tmp_path / "benchmarks-encoders.svg").read_text(encoding="utf-8")
    # one bar per backend run that measured, the second floor run too
    assert svg.startswith("<svg") and "PyTorch fp32 floor 2.0/s" in svg and svg.count("<rect") == 3


@pytest.mark.parametrize(("flags", "model_is_dir", "device", "expected"), [
    ({"avx512_vnni"}, True, "cpu", "openvino-int8"),
    ({"amx_int8"}, True, "cpu", "openvino-int8"),
    ({"avx2"}, True, "cpu", "openvino"),
    ({"avx512_vnni"}, False, "cpu", "torch"),  # a hub id: exported only from a local folder
    ({"avx512_vnni"}, True, "cuda", "torch"),
])
def test_auto_backend_follows_the_cpu(monkeypatch, tmp_path: Path, flags: set[str], model_is_dir: bool, device: str,
                                      expected: str) -> None:
    monkeypatch.setattr(backends, "cpu_flags", lambda: frozenset(flags))
    model = str(tmp_path) if model_is_dir else "intfloat/multilingual-e5-small"
    assert backends.choose("auto", model, device) == expected
    assert backends.choose("torch", model, device) == "torch"


def test_an_unknown_backend_is_refused_by_name() -> None:
    encoder, reason = backends.load_encoder("/some/model", backend="tensorrt")
    assert encoder is None and reason and "tensorrt" in reason and "openvino-int8" in reason


def test_files_are_split_into_segment_sized_batches_and_ids_stay_unique(tmp_path: Path) -> None:
    paths = []
    for i, size in enumerate([400, 400, 400, 900, 100]):
        path = tmp_path / f"r{i}.txt"
        path.write_bytes(b"x" * size)
        paths.append(path)
    assert [[p.name for p in b] for b in partition(paths, 1000)] == [["r0.txt", "r1.txt"], ["r2.txt"], ["r3.txt", "r4.txt"]]
    twins = [tmp_path / "a" / "report.pdf", tmp_path / "b" / "report.docx", tmp_path / "report.md"]
    assert list(doc_ids(twins).values()) == ["report", "report_docx", "report_md"]
