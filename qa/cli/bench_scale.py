"""Corpus-scale figures: what the index costs on disk, how fast one report is added and removed, and the
vector-search rule (IVF recall against exact search on synthetic vectors)."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from embeddings.vector_index import FLAT_MAX, VectorIndex
from qa.core.service import QAService
from qa.core.settings import Settings


def disk_mb(folder: Path) -> dict[str, float]:
    """Megabytes under each part of the data folder."""
    out: dict[str, float] = {}
    for part in ("segments", "vectors", "uploads"):
        files = [p for p in (folder / part).rglob("*") if p.is_file()] if (folder / part).is_dir() else []
        out[part] = round(sum(p.stat().st_size for p in files) / 2**20, 1)
    out["total"] = round(sum(out.values()), 1)
    return out


def last_index(folder: Path) -> dict[str, object]:
    path = folder / "index-timings.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def upload_and_delete(settings: Settings, report: Path, service: QAService) -> dict[str, float]:
    """Upload one report into a copy of the index and delete it again, with the time until each is visible."""
    with tempfile.TemporaryDirectory(prefix="reportqa-bench-") as tmp:
        copy = Path(tmp) / "data"
        started = time.perf_counter()
        shutil.copytree(settings.data_dir, copy, ignore=shutil.ignore_patterns("LOCK", "uploads"))
        copied_s = time.perf_counter() - started
        twin = QAService(replace(settings, data_dir=copy), service.encoder, service.encoder_error)
        twin.load()
        data = report.read_bytes()
        started = time.perf_counter()
        result = twin.add_document(f"bench-{report.name}", data)
        upload_s = time.perf_counter() - started
        probe = twin.document(result.doc_id).text[200:260].strip() or twin.document(result.doc_id).title
        found = any(p.citation.doc_id == result.doc_id for p in twin.ask(probe, top_k=10).passages)
        started = time.perf_counter()
        twin.delete_document(result.doc_id)
        delete_s = time.perf_counter() - started
        gone = all(p.citation.doc_id != result.doc_id for p in twin.ask(probe, top_k=10).passages)
        return {"copy_s": round(copied_s, 1), "upload_s": round(upload_s, 3), "searchable": float(found),
                "delete_s": round(delete_s, 3), "gone": float(gone), "passages": float(result.chunks),
                "reports_in_index": float(len(twin.snapshot.documents))}


def ann(n: int, dim: int = 384, queries: int = 100, seed: int = 0) -> dict[str, float]:
    """IVF against exact search on `n` clustered unit vectors: recall@10 and query times."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(1000, dim)).astype(np.float32)
    data = np.empty((n, dim), np.float32)
    for start in range(0, n, 100_000):  # in blocks: the noise for 1 M x 384 at once would double the memory
        size = min(100_000, n - start)
        block = centres[rng.integers(0, len(centres), size)] + 0.7 * rng.normal(size=(size, dim)).astype(np.float32)
        data[start:start + size] = block / np.linalg.norm(block, axis=1, keepdims=True)
    probes = data[rng.choice(n, queries, replace=False)] + 0.05 * rng.normal(size=(queries, dim)).astype(np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    exact = VectorIndex(data, kind="flat")
    started = time.perf_counter()
    ivf = VectorIndex(data, kind="ivf")
    build_s = time.perf_counter() - started
    recalls, flat_ms, ivf_ms = [], [], []
    for q in probes:
        t = time.perf_counter()
        truth = set(exact.search(q, 10)[1].tolist())
        flat_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        got = set(ivf.search(q, 10)[1].tolist())
        ivf_ms.append((time.perf_counter() - t) * 1000)
        recalls.append(len(truth & got) / 10)
    return {"vectors": float(n), "flat_max": float(FLAT_MAX), "recall@10": round(float(np.mean(recalls)), 4),
            "ivf_build_s": round(build_s, 1), "flat_p50_ms": round(float(np.median(flat_ms)), 2),
            "ivf_p50_ms": round(float(np.median(ivf_ms)), 2)}
