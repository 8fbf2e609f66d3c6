"""Export a local sentence-transformers e5 folder to OpenVINO IR once, and int8 (calibrated) if asked.

The export reads the (read-only) model folder and writes into a cache folder keyed by a hash of the source
files, the recipe and the library versions; every written file is checksummed in `export.json`, and a
cache whose files do not match is exported again. Mean pooling and L2 normalisation are part of the graph,
so the runtime needs only OpenVINO and `tokenizers`, never torch.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

RECIPE = "e5-openvino-2"  # bump when the graph or the quantization recipe changes
CALIBRATION_PASSAGES = 300


class ExportError(RuntimeError):
    """The model folder cannot be exported (missing files, a library missing)."""


@dataclass(frozen=True)
class Exported:
    folder: Path
    fp32: Path  # model.xml
    int8: Path | None  # model_int8.xml, when asked for and done


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {}
    for package in ("openvino", "nncf", "torch", "transformers", "tokenizers"):
        try:
            out[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            out[package] = ""
    return out


def cache_key(model_dir: Path) -> str:
    """The export's folder name: the recipe, OpenVINO's version and the model files' content. Content, not
    modification times: a model folder copied or unpacked again (a new container, a re-mounted share) is the same
    model, and keying by mtime exported it again, 350 MB a time (about 0.3 s to read 140 MB of weights)."""
    digest = hashlib.sha256(RECIPE.encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file() and p.name != "SOURCE.txt"):
        digest.update(f"{path.relative_to(model_dir)}\x00{sha256(path)}\n".encode())
    digest.update(json.dumps({k: v for k, v in _versions().items() if k == "openvino"}).encode())
    return digest.hexdigest()[:16]


def prune(cache_root: Path, source: Path, keep: Path) -> list[Path]:
    """Remove the other exports of the same model folder (older content, recipe or OpenVINO), so the cache
    holds one export per model folder; returns what was removed."""
    removed = []
    for folder in cache_root.iterdir():
        record = folder / "export.json"
        if folder == keep or not record.is_file():
            continue
        try:
            if Path(json.loads(record.read_text(encoding="utf-8")).get("source", "")).resolve() != source.resolve():
                continue
        except (OSError, ValueError):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _valid(folder: Path, want_int8: bool) -> Exported | None:
    record = folder / "export.json"
    if not record.is_file():
        return None
    files = json.loads(record.read_text(encoding="utf-8"))["files"]
    if want_int8 and "model_int8.xml" not in files:
        return None
    for name, digest in files.items():
        if not (folder / name).is_file() or sha256(folder / name) != digest:
            return None
    int8 = folder / "model_int8.xml" if "model_int8.xml" in files else None
    return Exported(folder, folder / "model.xml", int8)


def export(model_dir: Path, cache_root: Path, calibration: Sequence[str] = (), int8: bool = False) -> Exported:
    """The exported model for `model_dir` under `cache_root`, exporting it first if needed (one process at a time)."""
    if not (model_dir / "tokenizer.json").is_file() or not (model_dir / "config.json").is_file():
        raise ExportError(f"{model_dir} is not a local transformers model folder (no tokenizer.json/config.json)")
    folder = cache_root / cache_key(model_dir)
    found = _valid(folder, int8)
    if found:
        return found
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # a second process waits, then finds the export done
        found = _valid(folder, int8)
        if found:
            return found
        if not (folder / "model.xml").is_file():
            _export_fp32(model_dir, folder)
        shutil.copy(model_dir / "tokenizer.json", folder / "tokenizer.json")
        if int8:
            if not calibration:
                raise ExportError("int8 needs calibration passages")
            _quantize(folder, calibration)
        names = [p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != "export.json"]
        record = {"recipe": RECIPE, "source": str(model_dir.resolve()), "versions": _versions(),
                  "files": {name: sha256(folder / name) for name in sorted(names)}}
        tmp = folder / f".export.json.{os.getpid()}"
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
        os.replace(tmp, folder / "export.json")
        prune(cache_root, model_dir, folder)
    found = _valid(folder, int8)
    if found is None:
        raise ExportError(f"the export in {folder} did not verify")
    return found


def _export_fp32(model_dir: Path, folder: Path) -> None:
    try:
        # Lazy: torch and transformers are needed only for this one-off export, never at run time.
        import openvino as ov
        import torch
        from transformers import AttentionInterface, AutoModel
    except ImportError as exc:
        raise ExportError(f"exporting to OpenVINO needs torch, transformers and openvino: {exc}") from exc

    def divided_attention(module: object, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                          attention_mask: torch.Tensor | None, scaling: float | None = None, dropout: float = 0.0,
                          **kwargs: object) -> tuple[torch.Tensor, None]:
        # The classic BERT pattern (MatMul, Div, Add mask, Softmax) that OpenVINO's transformer passes recognise.
        scores = torch.matmul(query, key.transpose(-1, -2)) / float(query.size(-1) ** 0.5)
        if attention_mask is not None:
            scores = scores + attention_mask
        return torch.matmul(torch.softmax(scores, dim=-1), value).transpose(1, 2).contiguous(), None

    class Pooled(torch.nn.Module):
        def __init__(self, model: Any) -> None:  # a transformers XLMRobertaModel
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            embedded = self.model.embeddings(input_ids=input_ids)
            additive = (1.0 - attention_mask[:, None, None, :].to(embedded.dtype)) * -10000.0
            hidden = self.model.encoder(embedded, attention_mask=additive).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=-1)

    AttentionInterface.register("reportqa_divided", divided_attention)
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="reportqa_divided", dtype=torch.float32).eval()
    ids = torch.tensor([[0, 6, 1000, 2000, 2], [0, 6, 1000, 2, 1]])
    shape = ov.PartialShape([-1, -1])
    with torch.no_grad():
        converted = ov.convert_model(Pooled(model).eval(), example_input={"input_ids": ids, "attention_mask": (ids != 1).long()},
                                     input=[("input_ids", shape, ov.Type.i64), ("attention_mask", shape, ov.Type.i64)])
    ov.save_model(converted, str(folder / "model.xml"), compress_to_fp16=False)


def _quantize(folder: Path, calibration: Sequence[str]) -> None:
    try:
        # Lazy: nncf is needed only once, to calibrate the int8 model.
        import nncf
        import openvino as ov
    except ImportError as exc:
        raise ExportError(f"int8 calibration needs nncf: {exc}") from exc
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    items = []
    for text in calibration[:CALIBRATION_PASSAGES]:  # one passage per batch: no padding in the statistics
        ids = np.asarray([tokenizer.encode("passage: " + text).ids], dtype=np.int64)
        items.append({"input_ids": ids, "attention_mask": np.ones_like(ids)})
    model = ov.Core().read_model(str(folder / "model.xml"))
    quantized = nncf.quantize(model, nncf.Dataset(items), model_type=nncf.ModelType.TRANSFORMER,
                              subset_size=len(items), preset=nncf.QuantizationPreset.MIXED)
    ov.save_model(quantized, str(folder / "model_int8.xml"), compress_to_fp16=False)
