"""`reportqa eval`: hit@1, hit@5, MRR@10, answerability and latency on a question set, plus a naive baseline."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.cli.common import load_service
from qa.core.errors import BadRequest
from qa.core.records import Turn
from qa.core.service import QAService
from qa.core.settings import Settings
from qa.ingest.chunking import squash


@dataclass(frozen=True)
class Gold:
    doc_id: str
    answers: tuple[str, ...]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = sub.add_parser("eval", help="measure retrieval on a question set")
    ev.add_argument("file", type=Path)
    ev.add_argument("--no-baseline", action="store_true")
    ev.add_argument("--json", type=Path, help="also write the metrics here")
    ev.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    load_questions(args.file)  # a bad file fails now, not after the model has loaded
    service = load_service(settings)
    if service is None:
        return 2
    return run_eval(service, args.file, baseline_too=not args.no_baseline, json_out=args.json)


def load_questions(path: Path) -> list[dict]:
    """One JSON object per line, each with a "question" (or "turns"); BadRequest naming the bad line."""
    items = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                raise BadRequest(f"{path}:{number}: not valid JSON ({exc})") from None
            if not isinstance(item, dict) or not isinstance(item.get("question", item.get("turns")), str | list):
                raise BadRequest(f"{path}:{number}: each line needs a \"question\" (or \"turns\"), e.g. "
                                 '{"id": "q1", "question": "杭州2020年经济增速是多少", "gold": [...]}')
            items.append(item)
    return items


def _gold(item: dict) -> list[Gold]:
    return [Gold(g["doc_id"], tuple(squash(a) for a in g["answers"])) for g in item.get("gold", [])]


def is_relevant(doc_id: str, text: str, gold: list[Gold]) -> Gold | None:
    flat = squash(text)
    for g in gold:
        if g.doc_id == doc_id and any(a in flat for a in g.answers):
            return g
    return None


def rank_of_first_hit(ranked: list[tuple[str, str]], gold: list[Gold]) -> int | None:
    """1-based rank of the first relevant passage among (doc_id, text) pairs."""
    for i, (doc_id, text) in enumerate(ranked, 1):
        if is_relevant(doc_id, text, gold):
            return i
    return None


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr@10": sum(1.0 / r for r in ranks if r and r <= 10) / n,
    }


def evaluate(service: QAService, items: list[dict]) -> dict:
    """Run every question through the service; return metrics (overall and per split) and per-question rows."""
    rows = []
    for item in items:
        turns = item.get("turns") or [item["question"]]
        history = [Turn(q) for q in turns[:-1]]
        result = service.ask(turns[-1], top_k=10, history=history, as_of=item.get("as_of"))
        gold = _gold(item)
        kind = item.get("type", "followup" if "turns" in item else "single")
        ranked = [(p.citation.doc_id, p.text) for p in result.passages]
        row = {"id": item["id"], "type": kind, "split": item.get("split", ""), "question": turns[-1],
               "answerable": result.answerable, "confidence": result.confidence, "took_ms": result.took_ms,
               "rewritten": result.rewritten_question}
        if kind != "unanswerable":
            row["rank"] = rank_of_first_hit(ranked, gold)
            row["answer_hit"] = any(a in squash(result.answer) for g in gold for a in g.answers)
            if kind == "multi":
                covered = {g.doc_id for d, t in ranked[:5] if (g := is_relevant(d, t, gold))}
                row["all_docs@5"] = covered == {g.doc_id for g in gold}
        rows.append(row)
    out = summarize(rows)
    splits = sorted({r["split"] for r in rows if r["split"]})
    by_split = {name: summarize([r for r in rows if r["split"] == name]) for name in splits}
    return {"metrics": out, "splits": by_split, "rows": rows}


def summarize(rows: list[dict]) -> dict[str, float]:
    answerable = [r for r in rows if r["type"] != "unanswerable"]
    unanswerable = [r for r in rows if r["type"] == "unanswerable"]
    multi = [r for r in answerable if r["type"] == "multi"]
    out: dict[str, float] = {"questions": len(rows), "answerable_questions": len(answerable),
                             **metrics([r["rank"] for r in answerable])}
    if answerable:
        out["answer_hit"] = sum(r["answer_hit"] for r in answerable) / len(answerable)
        out["false_not_found"] = sum(not r["answerable"] for r in answerable) / len(answerable)
    if unanswerable:
        out["unanswerable_accuracy"] = sum(not r["answerable"] for r in unanswerable) / len(unanswerable)
    if multi:
        out["multi_all_docs@5"] = sum(r["all_docs@5"] for r in multi) / len(multi)
    if rows:
        out["decision_accuracy"] = sum(r["answerable"] == (r["type"] != "unanswerable") for r in rows) / len(rows)
    latencies = [r["took_ms"] for r in rows]
    if latencies:
        out["latency_p50_ms"] = statistics.median(latencies)
        out["latency_p95_ms"] = float(np.percentile(latencies, 95))
    return out


def baseline(service: QAService, items: list[dict], size: int = 250, overlap: int = 50) -> dict:
    """Naive RAG: fixed 250/50-character windows of the raw text, dense only, same model."""
    encoder = service.encoder
    if encoder is None:
        return {"skipped": "no embedding model loaded"}
    windows: list[tuple[str, str]] = []
    for doc in service.snapshot.documents.values():
        for start in range(0, max(1, len(doc.text) - overlap), size - overlap):
            windows.append((doc.doc_id, doc.text[start:start + size]))
    vectors = encoder.encode_passages([w for _, w in windows])
    ranks = []
    for item in items:
        if item.get("type") == "unanswerable" or "turns" in item:
            continue
        q = encoder.encode_queries([item["question"]])[0]
        top = np.argsort(-(vectors @ q))[:10]
        ranks.append(rank_of_first_hit([windows[i] for i in top], _gold(item)))
    return {"windows": len(windows), **metrics(ranks)}


def correct(row: dict) -> bool:
    """Did the answer line do its job: flag an unanswerable question, or answer with the gold text?"""
    if row["type"] == "unanswerable":
        return not row["answerable"]
    return bool(row["answerable"] and row.get("answer_hit"))


def calibration(rows: list[dict], bins: int = 10) -> list[tuple[str, int, float, float]]:
    """(confidence bin, questions, mean confidence, observed share correct) per decile."""
    out = []
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        inside = [r for r in rows if lo <= r["confidence"] < hi or (i == bins - 1 and r["confidence"] == 1.0)]
        if inside:
            conf = sum(r["confidence"] for r in inside) / len(inside)
            out.append((f"{lo:.1f}–{hi:.1f}", len(inside), conf, sum(correct(r) for r in inside) / len(inside)))
    return out


def _table(columns: dict[str, dict[str, float]]) -> str:
    keys = [k for k in next(iter(columns.values())) if k not in ("questions", "answerable_questions")]
    lines = ["  " + " " * 24 + "".join(f"{name:>12s}" for name in columns)]
    lines.append("  " + "questions".ljust(24) + "".join(f"{int(c['questions']):>12d}" for c in columns.values()))
    for key in keys:
        lines.append("  " + key.ljust(24) + "".join(f"{c.get(key, float('nan')):>12.3f}" for c in columns.values()))
    return "\n".join(lines)


def evaluate_timelines(service: QAService, items: list[dict]) -> dict:
    """Per metric: the share of gold years whose returned passage contains the gold figure."""
    out = {}
    for item in items:
        result = service.timeline(item["question"], item.get("region"))
        by_year = {e.year: e for e in result.entries}
        hits = []
        for year, gold in item["years"].items():
            entry = by_year.get(int(year))
            text = squash(entry.passage.text) if entry else ""
            hits.append(entry is not None and entry.passage.citation.doc_id == gold["doc_id"]
                        and any(squash(a) in text for a in gold["answers"]))
        out[item["metric"]] = {"years": len(hits), "share": sum(hits) / max(len(hits), 1),
                               "took_ms": result.took_ms, "split": item.get("split", "")}
    return out


def run_eval(service: QAService, path: Path, baseline_too: bool = True, json_out: Path | None = None) -> int:
    items = load_questions(path)
    if items and "metric" in items[0]:
        timelines = evaluate_timelines(service, items)
        for metric, m in timelines.items():
            split = f" [{m['split']}]" if m["split"] else ""
            print(f"  timeline {metric}{split}: {m['share']:.3f} of {m['years']} years ({m['took_ms']:.0f} ms)")
        if json_out:
            json_out.write_text(json.dumps(timelines, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    started = time.perf_counter()
    result = evaluate(service, items)
    m = result["metrics"]
    print(f"{path}: {m['questions']} questions ({m['answerable_questions']} answerable), retrieval={service.retrieval_mode()}")
    print(_table({"all": m, **result["splits"]}))
    heldout = [r for r in result["rows"] if r["split"] == "heldout"] or result["rows"]
    print("  calibration (" + ("held-out half" if heldout is not result["rows"] else "all") + "): confidence -> observed")
    for label, n, conf, observed in calibration(heldout):
        print(f"    {label}  n={n:3d}  mean {conf:.2f}  correct {observed:.2f}")
    misses = [r for r in result["rows"] if r["type"] != "unanswerable" and r["rank"] is None]
    for r in misses:
        print(f"  miss@10 {r['id']}: {r.get('question')} {('-> ' + r['rewritten']) if r.get('rewritten') else ''}")
    wrong_unans = [r["id"] for r in result["rows"] if r["type"] == "unanswerable" and r["answerable"]]
    if wrong_unans:
        print("  answered although unanswerable: " + ", ".join(wrong_unans))
    if baseline_too and not any("turns" in i for i in items):
        base = baseline(service, items)
        result["baseline"] = base
        if "skipped" in base:
            print(f"baseline skipped: {base['skipped']}")
        else:
            print(f"baseline (fixed {base['windows']} windows of 250/50 chars, dense only): "
                  f"hit@1 {base['hit@1']:.3f}  hit@5 {base['hit@5']:.3f}  mrr@10 {base['mrr@10']:.3f}")
    print(f"eval took {time.perf_counter() - started:.1f}s")
    if json_out:
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
