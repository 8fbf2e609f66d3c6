"""The OpenVINO export cache: keyed by the model's content, one export kept per model folder (no export is run)."""

import json
import os
from pathlib import Path

from embeddings.export import cache_key, prune


def _model(folder: Path, weights: bytes) -> Path:
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    (folder / "model.safetensors").write_bytes(weights)
    return folder


def test_a_copied_model_keeps_its_key_and_changed_weights_get_a_new_one(tmp_path: Path) -> None:
    model = _model(tmp_path / "m", b"\x00" * 4096)
    key = cache_key(model)
    os.utime(model / "model.safetensors", (1, 1))  # a fresh copy or a re-mounted share: new times, same bytes
    assert cache_key(model) == key
    assert cache_key(_model(tmp_path / "copy", b"\x00" * 4096)) == key  # the folder's own name is no part of it
    (model / "model.safetensors").write_bytes(b"\x01" + b"\x00" * 4095)  # same size, other weights
    changed = cache_key(model)
    assert changed != key
    (model / "SOURCE.txt").write_text("where it came from", encoding="utf-8")
    assert cache_key(model) == changed  # the provenance note is not the model


def test_prune_keeps_one_export_per_model_folder(tmp_path: Path) -> None:
    model, other = _model(tmp_path / "m", b"a"), _model(tmp_path / "o", b"b")
    cache = tmp_path / "cache"
    exports = {}
    for name, source in (("old", model), ("new", model), ("theirs", other), ("broken", model)):
        exports[name] = cache / name
        exports[name].mkdir(parents=True)
        if name != "broken":
            (exports[name] / "export.json").write_text(json.dumps({"source": str(source)}), encoding="utf-8")
    removed = prune(cache, model, keep=exports["new"])
    assert removed == [exports["old"]]
    assert sorted(p.name for p in cache.iterdir()) == ["broken", "new", "theirs"]  # unverifiable ones are left alone
