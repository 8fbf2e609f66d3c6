"""The unanswerable probe names only places and years that no report covers."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "eval" / "probe_unanswerable.py"


def _probe_module():
    spec = importlib.util.spec_from_file_location("probe_unanswerable", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_probe_question_misses_the_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "MANIFEST.tsv"
    rows = ["file\tyear\tlevel\tregion"]
    rows += [f"{y}_hz.txt\t{y}\tcity\t杭州市" for y in (2010, 2011, 2013, 2014, 2015)]  # no 2012
    rows += [f"{y}_zj.txt\t{y}\tprovince\t浙江省" for y in range(2010, 2016)]
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = _probe_module().probe(manifest, seed=1, per_kind=5)
    kinds = {item["note"] for item in items}
    assert {"no_place_city", "no_place_county", "no_place_under_indexed_city", "no_year_gap", "no_year_before"} <= kinds
    gaps = [item["question"] for item in items if item["note"] == "no_year_gap"]
    assert gaps and all(q.startswith("杭州") and ("2012年" in q or "12年" in q) for q in gaps), gaps
    cities = [item["question"] for item in items if item["note"] == "no_place_city"]
    assert not any(q.startswith("杭州") for q in cities)
    assert all(item["type"] == "unanswerable" and item["gold"] == [] for item in items)
    # --exclude drops the places that held-out questions name, never the tuning ones.
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"question": "杭州2012年GDP", "split": "heldout"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "probe.jsonl"
    subprocess.run([sys.executable, str(SCRIPT), str(manifest), "--out", str(out), "--exclude", str(dev), "--seed", "1",
                    "--per-kind", "5"], check=True, capture_output=True, timeout=60)
    kept = [json.loads(line)["question"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert kept and not any(q.startswith("杭州") for q in kept)
