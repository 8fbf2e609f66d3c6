"""The fast encoder: the exported e5 graph on OpenVINO, tokenised with `tokenizers`; no torch at run time.

Passages go through a throughput-compiled model with one request per core in flight, sorted by length
so batches pad little; queries through a latency-compiled one. Both use the model's e5 prompts.

Queries are padded (masked) to a multiple of `QUERY_BUCKET` tokens and the common widths are run once at
load: OpenVINO's CPU plugin prepares kernels per input shape, and a width it has not just seen costs a
query 2-30 ms more. Padding under the attention mask leaves the vector unchanged (cosine 1.0). The query
model also runs in f32: on a CPU with AMX the default bf16 is slower for one short sequence, and where
bf16 is not the default nothing changes (BENCHMARKS.md, "Query encode").
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from embeddings.encoder import EncoderUnavailable

MAX_TOKENS = 512
QUERY_BUCKET = 8
WARM_QUERY_TOKENS = 64  # questions longer than this are rare; their widths warm on first use


class OpenVINOEncoder:
    def __init__(self, name: str, xml: Path, tokenizer: Path, backend: str, threads: int | None = None) -> None:
        try:
            # Lazy: OpenVINO is a runtime library of ~100 MB that `--help` and the chat client never need.
            import openvino as ov
        except ImportError as exc:
            raise EncoderUnavailable(f"openvino is not installed: {exc}") from exc
        self.name = name
        self.backend = backend
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        core = ov.Core()
        model = core.read_model(str(xml))
        extra = {"INFERENCE_NUM_THREADS": str(threads)} if threads else {}
        self._latency = core.compile_model(
            model, "CPU", {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32", **extra})
        self._throughput = core.compile_model(model, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT", **extra})
        self._streams = int(self._throughput.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
        self._query = self._latency.create_infer_request()
        self._queue = ov.AsyncInferQueue  # kept so encode_passages needs no import of its own
        self._query_lock = threading.Lock()  # one infer request: concurrent queries take turns
        # Idle requests for `start_query`, each started without the GIL; the compiled model runs one at a time.
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._passage_lock = threading.Lock()
        self.dim = int(self._encode_query_batch(["query: 维度"]).shape[1])
        self.precision = str(self._throughput.get_property("INFERENCE_PRECISION_HINT"))  # passages
        self.query_precision = str(self._latency.get_property("INFERENCE_PRECISION_HINT"))
        self._warm_query_widths()

    def _warm_query_widths(self) -> None:
        for width in range(QUERY_BUCKET, WARM_QUERY_TOKENS + 1, QUERY_BUCKET):
            ones = np.ones((1, width), np.int64)
            self._query.infer({"input_ids": ones, "attention_mask": ones})

    def _inputs(self, texts: list[str], bucket: int = 1) -> dict[str, np.ndarray]:
        encoded = self._tokenizer.encode_batch(texts)
        width = -(-max(len(e.ids) for e in encoded) // bucket) * bucket
        ids = np.ones((len(encoded), width), np.int64)  # 1 is the pad id of XLM-R vocabularies
        mask = np.zeros((len(encoded), width), np.int64)
        for row, e in enumerate(encoded):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        return {"input_ids": ids, "attention_mask": mask}

    def _encode_query_batch(self, texts: list[str]) -> np.ndarray:
        with self._query_lock:
            result = self._query.infer(self._inputs(texts, QUERY_BUCKET))
            return np.asarray(next(iter(result.values())), dtype=np.float32).copy()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode_query_batch([f"query: {t}" for t in texts])

    def start_query(self, text: str) -> Callable[[], np.ndarray]:
        """Start one query on OpenVINO's own threads; the returned call waits for its vector."""
        try:
            request = self._idle.get_nowait()
        except queue.Empty:
            request = self._latency.create_infer_request()
        request.start_async(self._inputs([f"query: {text}"], QUERY_BUCKET))

        def vector() -> np.ndarray:
            request.wait()
            out = np.asarray(request.get_output_tensor(0).data, dtype=np.float32)[0].copy()
            self._idle.put(request)  # a call never made leaves its request to the garbage collector
            return out

        return vector

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """Passages in batches of similar length, `streams` batches in flight at once."""
        out = np.zeros((len(texts), self.dim), np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        prompted = [f"passage: {t}" for t in texts]

        def done(request: Any, rows: np.ndarray) -> None:
            out[rows] = request.get_output_tensor(0).data

        with self._passage_lock:
            queue = self._queue(self._throughput, self._streams)
            queue.set_callback(done)
            for start in range(0, len(texts), batch_size):
                rows = order[start: start + batch_size]
                queue.start_async(self._inputs([prompted[i] for i in rows]), rows)
            queue.wait_all()
        return out
