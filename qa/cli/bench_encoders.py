"""Encoder backends against the PyTorch fp32 floor, on the same passages, in one run.

The floor is measured first and last; every speed is reported as a ratio to their mean, so results from
different CPUs compare. Cosine is against the floor's vectors of the same texts.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

import numpy as np

from embeddings.backends import BACKENDS, load_encoder
from embeddings.encoder import Encoder
from qa.core.settings import Settings
from qa.index.snapshot import Snapshot
from qa.ingest.chunking import embedding_text
from qa.ingest.samples import calibration_passages

QUERIES = ["浙江2023年GDP增长目标是多少", "国务院2024年城镇新增就业目标", "杭州数字经济核心产业增加值增长多少",
           "广东2020年进出口总额", "四川十四五期间粮食产量", "北京研发投入强度", "新疆2022年固定资产投资增长",
           "上海2019年民生实事", "河南2021年防汛救灾", "江苏高新技术企业数量"]


def sample_passages(snap: Snapshot, n: int, seed: int = 0) -> list[str]:
    """`n` live passages spread over the index, as the dense pass sees them."""
    rows = [r for v in snap.views for r in (v.offset + np.flatnonzero(v.alive)).tolist()]
    chosen = random.Random(seed).sample(rows, min(n, len(rows)))
    out = []
    for row in chosen:
        chunk = snap.chunk(row)
        out.append(embedding_text(snap.document_of(row).title, chunk.section, chunk.text))
    return out


def _measure(encoder: Encoder, passages: list[str]) -> tuple[float, float, np.ndarray]:
    encoder.encode_passages(passages[:32])  # warm-up: first calls allocate and compile
    started = time.perf_counter()
    vectors = encoder.encode_passages(passages, batch_size=32)
    rate = len(passages) / (time.perf_counter() - started)
    latencies = []
    for q in QUERIES * 3:
        t = time.perf_counter()
        encoder.encode_queries([q])
        latencies.append((time.perf_counter() - t) * 1000)
    return rate, statistics.median(latencies), vectors


def compare(settings: Settings, snap: Snapshot, n: int = 256) -> dict:
    passages = sample_passages(snap, n)
    calibration = lambda: calibration_passages(settings.seeds_dir)  # noqa: E731
    rows: list[dict[str, Any]] = []
    floor_rates = []
    floor_vectors = None
    for backend in ["torch", *[b for b in BACKENDS if b not in ("auto", "torch")], "torch"]:
        encoder, error = load_encoder(settings.model, "cpu", backend, settings.model_cache, calibration)
        if encoder is None:
            rows.append({"backend": backend, "error": error})
            continue
        rate, query_ms, vectors = _measure(encoder, passages)
        if backend == "torch":
            floor_rates.append(rate)
            floor_vectors = vectors if floor_vectors is None else floor_vectors
        cosine = (vectors * floor_vectors).sum(axis=1) if floor_vectors is not None else np.ones(len(vectors))
        rows.append({"backend": backend, "passages_per_s": round(rate, 2), "query_p50_ms": round(query_ms, 2),
                     "cosine_min": round(float(cosine.min()), 5), "cosine_mean": round(float(cosine.mean()), 6),
                     "precision": str(getattr(encoder, "precision", "f32")),
                     "query_precision": str(getattr(encoder, "query_precision", getattr(encoder, "precision", "f32")))})
        del encoder
    floor = statistics.fmean(floor_rates) if floor_rates else 0.0
    for row in rows:
        if "passages_per_s" in row and floor:
            row["ratio"] = round(row["passages_per_s"] / floor, 2)
    return {"passages": len(passages), "floor_passages_per_s": round(floor, 2),
            "floor_runs": [round(r, 2) for r in floor_rates], "rows": rows}
