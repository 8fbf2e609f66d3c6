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
from qa.errors import BadRequest
from qa.ingest.chunking import squash
from qa.records import Turn
from qa.service import QAService
from qa.settings import Settings


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
    """Run every question through the service; return metrics and per-question rows."""
    ranks: list[int | None] = []
    rows = []
    latencies = []
    unans_ok = unans_n = ans_ok = ans_n = 0
    multi_all = multi_n = 0
    for item in items:
        turns = item.get("turns") or [item["question"]]
        history = [Turn(q) for q in turns[:-1]]
        result = service.ask(turns[-1], top_k=10, history=history)
        latencies.append(result.took_ms)
        gold = _gold(item)
        kind = item.get("type", "followup" if "turns" in item else "single")
        if kind == "unanswerable":
            unans_n += 1
            unans_ok += not result.answerable
            rows.append({"id": item["id"], "type": kind, "answerable": result.answerable})
            continue
        ans_n += 1
        ans_ok += result.answerable
        ranked = [(p.citation.doc_id, p.text) for p in result.passages]
        rank = rank_of_first_hit(ranked, gold)
        ranks.append(rank)
        if kind == "multi":
            multi_n += 1
            covered = {g.doc_id for d, t in ranked[:5] if (g := is_relevant(d, t, gold))}
            multi_all += covered == {g.doc_id for g in gold}
        rows.append({"id": item["id"], "type": kind, "rank": rank, "answerable": result.answerable,
                     "rewritten": result.rewritten_question, "question": turns[-1]})
    out = {"questions": len(items), "answerable_questions": ans_n, **metrics(ranks)}
    if unans_n:
        out["unanswerable_accuracy"] = unans_ok / unans_n
    out["answerable_recall"] = ans_ok / ans_n if ans_n else 0.0
    if multi_n:
        out["multi_all_docs@5"] = multi_all / multi_n
    out["latency_p50_ms"] = statistics.median(latencies)
    out["latency_p95_ms"] = float(np.percentile(latencies, 95))
    return {"metrics": out, "rows": rows}


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


def run_eval(service: QAService, path: Path, baseline_too: bool = True, json_out: Path | None = None) -> int:
    items = load_questions(path)
    started = time.perf_counter()
    result = evaluate(service, items)
    m = result["metrics"]
    print(f"{path}: {m['questions']} questions ({m['answerable_questions']} answerable), retrieval={service.retrieval_mode}")
    for key, value in m.items():
        if key not in ("questions", "answerable_questions"):
            print(f"  {key:24s} {value:.3f}")
    misses = [r for r in result["rows"] if r.get("rank") is None and r["type"] != "unanswerable"]
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
