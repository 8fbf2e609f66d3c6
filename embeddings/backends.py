"""Choose and load the encoder backend: OpenVINO int8 where the CPU has int8 dot products, OpenVINO
(fp32, or bf16 where the CPU has it) otherwise, PyTorch fp32 as the fallback and for CUDA.

All backends compute the same model; the int8 one stays within 0.998 cosine of fp32 (BENCHMARKS.md).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from embeddings.encoder import Encoder, EncoderUnavailable, SentenceTransformerEncoder
from embeddings.export import ExportError, export
from embeddings.openvino_encoder import OpenVINOEncoder

log = logging.getLogger("reportqa")
BACKENDS = ("auto", "torch", "openvino", "openvino-int8")
_INT8_FLAGS = {"avx512_vnni", "avx_vnni", "amx_int8"}


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def choose(backend: str, model: str, device: str) -> str:
    """The backend `auto` means here: OpenVINO for a local model folder on CPU when it is installed."""
    if backend != "auto":
        return backend
    if device != "cpu" or not Path(model).is_dir() or importlib.util.find_spec("openvino") is None:
        return "torch"
    return "openvino-int8" if cpu_flags() & _INT8_FLAGS else "openvino"


def load_encoder(model: str, device: str = "cpu", backend: str = "auto", cache: Path | None = None,
                 calibration: Callable[[], Sequence[str]] = tuple, threads: int | None = None,
                 ) -> tuple[Encoder | None, str | None]:
    """(encoder, None), or (None, reason) when no model can be loaded; a failed fast backend falls back to torch."""
    if not model or model.lower() in ("none", "off", "lexical"):
        return None, "dense retrieval disabled by REPORTQA_MODEL"
    if backend not in BACKENDS:
        return None, f"unknown encoder backend {backend!r}; use one of {', '.join(BACKENDS)}"
    chosen = choose(backend, model, device)
    if chosen.startswith("openvino"):
        try:
            int8 = chosen == "openvino-int8"
            exported = export(Path(model), cache or Path.home() / ".cache" / "reportqa" / "models",
                              calibration() if int8 else (), int8=int8)
            xml = exported.int8 if int8 and exported.int8 else exported.fp32
            return OpenVINOEncoder(model, xml, exported.folder / "tokenizer.json", chosen, threads), None
        except (ExportError, EncoderUnavailable, OSError, RuntimeError) as exc:
            if backend != "auto":
                return None, f"encoder backend {chosen} unavailable: {exc}"
            log.warning("encoder backend %s unavailable (%s); using PyTorch fp32", chosen, exc)
    try:
        return SentenceTransformerEncoder(model, device), None
    except EncoderUnavailable as exc:
        return None, str(exc)
