"""The encoder interface, and the PyTorch fp32 encoder (sentence-transformers): the fallback and the floor."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np

log = logging.getLogger(__name__)


class Encoder(Protocol):
    """Anything that turns queries and passages into L2-normalised float32 vectors."""

    name: str
    dim: int
    backend: str

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...


@runtime_checkable
class StartsQueries(Protocol):
    """An encoder that can begin one query's encode and hand back a call that waits for its vector (and gives the
    same vector if called again)."""

    def start_query(self, text: str) -> Callable[[], np.ndarray]: ...


def start_query(encoder: Encoder, text: str) -> Callable[[], np.ndarray]:
    """Begin encoding `text` as a query; calling the result gives its vector.

    A backend whose inference runs on threads of its own (OpenVINO) starts now and computes while the caller
    parses the question; the others encode here and now. A Python thread would not do: it needs the GIL to start
    the inference and waits up to a switch interval (5 ms) for the busy caller to give it up.
    """
    if isinstance(encoder, StartsQueries):
        return encoder.start_query(text)
    vector = encoder.encode_queries([text])[0]
    return lambda: vector


class EncoderUnavailable(RuntimeError):
    """The model could not be loaded (not downloaded, no internet, broken folder)."""


class SentenceTransformerEncoder:
    """Wraps a SentenceTransformer and applies the model's own query/passage prompts."""

    def __init__(self, model: str, device: str | None = None) -> None:
        try:
            # Lazy: sentence-transformers pulls in torch (seconds), which `--help` and the chat client never need.
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging  # lazy for the same reason

            hf_logging.disable_progress_bar()  # its "Loading weights" bar would interleave with ours
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EncoderUnavailable(f"sentence-transformers is not installed: {exc}") from exc
        if device and device != "cpu":
            import torch  # already imported by sentence-transformers above

            found = torch.backends.mps.is_available() if device == "mps" else torch.cuda.is_available()
            if not found:
                kind = "Apple MPS device" if device == "mps" else "CUDA GPU"
                raise EncoderUnavailable(f"device {device!r} was asked for, but torch {torch.__version__} sees no {kind} "
                                         "here; use --device cpu (or REPORTQA_DEVICE=cpu)")
        try:
            self._model = SentenceTransformer(model, device=device or "cpu", local_files_only=_is_offline())
        except Exception as exc:  # any loader failure means "no dense retrieval", never a crash
            raise EncoderUnavailable(f"cannot load embedding model {model!r}: {type(exc).__name__}: {exc}") from exc
        self.name = model
        self.backend = "torch" if not device or device == "cpu" else f"torch-{device}"
        dim = self._model.get_embedding_dimension()
        if not dim:
            raise EncoderUnavailable(f"embedding model {model!r} does not report its dimension")
        self.dim = int(dim)
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else ("document" if "document" in prompts else None)
        # Torch inference from many request threads at once only thrashes 2 cores.
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], prompt: str | None, batch_size: int, progress: bool) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                texts, prompt_name=prompt, batch_size=batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=progress,
            )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, 16, False)

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        return self._encode(texts, self._passage_prompt, batch_size, progress)


def _is_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") in ("1", "true", "TRUE")
