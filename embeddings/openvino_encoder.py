"""The fast encoder: the exported e5 graph on OpenVINO, tokenised with `tokenizers`; no torch at run time.

Passages go through a throughput-compiled model with one request per core in flight, sorted by length
so batches pad little; queries through a latency-compiled one. Both use the model's e5 prompts.

A query is padded (masked) to the smallest of `STATIC_WIDTHS` it fits and runs on a model compiled for that
one shape, about a millisecond faster than one graph for all shapes; the word-embedding lookup is done in numpy
(`embeddings/lookup.py`) so that the models per width do not each hold the vocabulary table. Longer queries,
and graphs whose lookup cannot be taken out, run on one dynamic model, padded to a multiple of `QUERY_BUCKET`
tokens with the common widths run once at load: OpenVINO's CPU plugin prepares kernels per input shape, and
a width it has not just seen costs a query 2-30 ms more. Every query is encoded alone, so its vector does not
depend on the others in a batch. The query models run in f32: on a CPU with AMX the default bf16 is slower for
one short sequence, and where bf16 is not the default nothing changes (BENCHMARKS.md, "Query encode").
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from embeddings.encoder import EncoderUnavailable
from embeddings.lookup import INPUT, Lookup, split

MAX_TOKENS = 512
QUERY_BUCKET = 8
# Widths of "query: " plus a question, in tokens: 16 and 24 hold 1,309 of the 1,337 dev questions, 32 the rest.
# Each compiled width costs ~65 MB; the vocabulary table they no longer hold saves ~330 MB.
STATIC_WIDTHS = (16, 24, 32)
WARM_QUERY_TOKENS = 64  # questions longer than this are rare; their widths warm on first use


class OpenVINOEncoder:
    def __init__(self, name: str, xml: Path, tokenizer: Path, backend: str, threads: int | None = None,
                 static_widths: Sequence[int] = STATIC_WIDTHS) -> None:
        try:
            # Lazy: OpenVINO is a runtime library of ~100 MB that `--help` and the chat client never need.
            import openvino as ov
        except ImportError as exc:
            raise EncoderUnavailable(f"openvino is not installed: {exc}") from exc
        self.name = name
        self.backend = backend
        self.xml, self.tokenizer_file = xml, tokenizer
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        core = ov.Core()
        model = core.read_model(str(xml))
        extra = {"INFERENCE_NUM_THREADS": str(threads)} if threads else {}
        latency = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32", **extra}
        self._throughput = core.compile_model(model, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT", **extra})
        self._streams = int(self._throughput.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
        cut = split(model)
        query_model = cut[0] if cut else model
        self._lookup: Lookup | None = cut[1] if cut else None
        self._latency = core.compile_model(query_model, "CPU", latency)  # any width, any batch
        self._static: dict[int, Any] = {}  # width → a model compiled for one query of that width
        if self._lookup is not None:
            for width in sorted(static_widths):
                shaped = query_model.clone()
                shaped.reshape({"input_ids": [1, width], "attention_mask": [1, width],
                                INPUT: [1, width, self._lookup.dim]})
                self._static[width] = core.compile_model(shaped, "CPU", latency)
        self.static_widths = tuple(self._static)
        self._queue = ov.AsyncInferQueue  # kept so encode_passages needs no import of its own
        # Idle requests per compiled query model, each started without the GIL; a compiled model runs one at a time.
        self._idle: dict[int, queue.SimpleQueue[Any]] = {w: queue.SimpleQueue() for w in (0, *self._static)}
        self._passage_lock = threading.Lock()
        self._warm_query_widths()
        self.dim = int(self.start_query("维度")().shape[0])
        self.precision = str(self._throughput.get_property("INFERENCE_PRECISION_HINT"))  # passages
        self.query_precision = str(self._latency.get_property("INFERENCE_PRECISION_HINT"))

    def _warm_query_widths(self) -> None:
        """Run every compiled width once (a first run costs 10-20 ms more), and the dynamic model at the widths
        it serves up to `WARM_QUERY_TOKENS`; each request then waits in its pool."""
        for width, compiled in self._static.items():
            request = compiled.create_infer_request()
            request.infer(self._with_lookup(np.ones((1, width), np.int64), np.ones((1, width), np.int64)))
            self._idle[width].put(request)
        request = self._latency.create_infer_request()
        longest = max(self._static, default=0)
        for width in range(QUERY_BUCKET, WARM_QUERY_TOKENS + 1, QUERY_BUCKET):
            if width > longest:
                request.infer(self._with_lookup(np.ones((1, width), np.int64), np.ones((1, width), np.int64)))
        self._idle[0].put(request)

    def _with_lookup(self, ids: np.ndarray, mask: np.ndarray) -> dict[str, np.ndarray]:
        inputs = {"input_ids": ids, "attention_mask": mask}
        return {**inputs, INPUT: self._lookup(ids)} if self._lookup is not None else inputs

    def _inputs(self, texts: list[str]) -> dict[str, np.ndarray]:
        encoded = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encoded)
        ids = np.ones((len(encoded), width), np.int64)  # 1 is the pad id of XLM-R vocabularies
        mask = np.zeros((len(encoded), width), np.int64)
        for row, e in enumerate(encoded):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        return {"input_ids": ids, "attention_mask": mask}

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self.start_query(t)() for t in texts])

    def start_query(self, text: str) -> Callable[[], np.ndarray]:
        """Start one query on OpenVINO's own threads; the returned call waits for its vector."""
        encoded = self._tokenizer.encode(f"query: {text}")
        n = len(encoded.ids)
        width = next((w for w in self._static if w >= n), 0)  # 0: the dynamic model
        ids = np.ones((1, width or -(-n // QUERY_BUCKET) * QUERY_BUCKET), np.int64)
        mask = np.zeros_like(ids)
        ids[0, :n] = encoded.ids
        mask[0, :n] = 1
        try:
            request = self._idle[width].get_nowait()
        except queue.Empty:
            request = (self._static[width] if width else self._latency).create_infer_request()
        request.start_async(self._with_lookup(ids, mask))

        out: list[np.ndarray] = []

        def vector() -> np.ndarray:
            if not out:  # a second call must not hand the request back twice: two callers would then share it
                request.wait()
                out.append(np.asarray(request.get_output_tensor(0).data, dtype=np.float32)[0].copy())
                self._idle[width].put(request)  # a call never made leaves its request to the garbage collector
            return out[0]

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
