#!/usr/bin/env python3
"""Validate the reportqa evaluation data (stdlib only).

Checks eval/dev_qa.jsonl and eval/multiturn.jsonl against the seed reports:
  * every line is a JSON object with the expected keys;
  * ids are unique within each file;
  * dev_qa "type" agrees with the gold count
    (single: exactly 1 entry, multi: >= 2 entries with distinct doc_ids,
     unanswerable: gold == []);
  * every doc_id names a seed file (seeds/<doc_id>.txt);
  * every answer is a non-empty string that occurs in its document after
    removing all whitespace and '*' characters from both sides;
  * multiturn items have 2-3 non-empty turns and a non-empty gold.

Prints counts per type and per document, plus (with -v) answers that occur
many times in their document (possibly too generic to identify a passage).
Exits non-zero if any error is found.

Usage: python3 eval/check_gold.py [-v] [--seeds DIR] [--dev FILE] [--multiturn FILE]
"""
import argparse
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
_STRIP = re.compile(r"[\s*]+")
VALID_TYPES = ("single", "multi", "unanswerable")
GENERIC_THRESHOLD = 3  # -v: warn when an answer occurs this often in its doc


def norm(text):
    return _STRIP.sub("", text)


def load_docs(seed_dir):
    docs = {}
    for name in sorted(os.listdir(seed_dir)):
        if name.endswith(".txt"):
            with open(os.path.join(seed_dir, name), encoding="utf-8") as f:
                docs[name[:-4]] = norm(f.read())
    return docs


def load_jsonl(path, errors):
    items = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{path}:{lineno}: invalid JSON: {e}")
                continue
            if not isinstance(obj, dict):
                errors.append(f"{path}:{lineno}: not a JSON object")
                continue
            items.append((lineno, obj))
    return items


def check_gold_list(where, gold, docs, errors, warnings, doc_counter):
    if not isinstance(gold, list):
        errors.append(f"{where}: gold must be a list")
        return
    for g in gold:
        if not isinstance(g, dict):
            errors.append(f"{where}: gold entry is not an object")
            continue
        doc_id = g.get("doc_id")
        answers = g.get("answers")
        if doc_id not in docs:
            errors.append(f"{where}: unknown doc_id {doc_id!r}")
            continue
        doc_counter[doc_id] += 1
        if not isinstance(answers, list) or not answers:
            errors.append(f"{where}: answers must be a non-empty list")
            continue
        if len(answers) > 3:
            warnings.append(f"{where}: {len(answers)} answers (brief asks for 1-3)")
        for a in answers:
            if not isinstance(a, str) or not norm(a):
                errors.append(f"{where}: empty/non-string answer {a!r}")
                continue
            n = docs[doc_id].count(norm(a))
            if n == 0:
                errors.append(f"{where}: answer {a!r} not found in {doc_id}")
            elif n >= GENERIC_THRESHOLD:
                warnings.append(f"{where}: answer {a!r} occurs {n}x in {doc_id}")


def check_dev(path, docs, errors, warnings):
    items = load_jsonl(path, errors)
    ids = collections.Counter()
    types = collections.Counter()
    per_doc = collections.Counter()
    for lineno, q in items:
        qid = q.get("id")
        where = f"{os.path.basename(path)}:{lineno} ({qid})"
        ids[qid] += 1
        for key in ("id", "question", "type", "gold"):
            if key not in q:
                errors.append(f"{where}: missing key {key!r}")
        if not isinstance(q.get("question"), str) or not q.get("question", "").strip():
            errors.append(f"{where}: empty question")
        qtype = q.get("type")
        gold = q.get("gold", [])
        if qtype not in VALID_TYPES:
            errors.append(f"{where}: bad type {qtype!r}")
        types[qtype] += 1
        if isinstance(gold, list):
            n = len(gold)
            if qtype == "single" and n != 1:
                errors.append(f"{where}: single must have exactly 1 gold entry, has {n}")
            if qtype == "multi":
                if n < 2:
                    errors.append(f"{where}: multi must have >= 2 gold entries, has {n}")
                dids = [g.get("doc_id") for g in gold if isinstance(g, dict)]
                if len(set(dids)) != len(dids):
                    errors.append(f"{where}: multi gold repeats a doc_id")
            if qtype == "unanswerable" and n != 0:
                errors.append(f"{where}: unanswerable must have empty gold, has {n}")
        check_gold_list(where, gold, docs, errors, warnings, per_doc)
    for qid, c in ids.items():
        if c > 1:
            errors.append(f"{os.path.basename(path)}: duplicate id {qid!r} ({c}x)")
    return len(items), types, per_doc


def check_multiturn(path, docs, errors, warnings):
    items = load_jsonl(path, errors)
    ids = collections.Counter()
    per_doc = collections.Counter()
    turns_hist = collections.Counter()
    for lineno, m in items:
        mid = m.get("id")
        where = f"{os.path.basename(path)}:{lineno} ({mid})"
        ids[mid] += 1
        for key in ("id", "turns", "gold"):
            if key not in m:
                errors.append(f"{where}: missing key {key!r}")
        turns = m.get("turns")
        if (not isinstance(turns, list) or not 2 <= len(turns) <= 3
                or not all(isinstance(t, str) and t.strip() for t in turns)):
            errors.append(f"{where}: turns must be a list of 2-3 non-empty strings")
        else:
            turns_hist[len(turns)] += 1
        gold = m.get("gold")
        if not isinstance(gold, list) or not gold:
            errors.append(f"{where}: gold (for the last turn) must be non-empty")
        check_gold_list(where, gold or [], docs, errors, warnings, per_doc)
    for mid, c in ids.items():
        if c > 1:
            errors.append(f"{os.path.basename(path)}: duplicate id {mid!r} ({c}x)")
    return len(items), turns_hist, per_doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=os.path.join(ROOT, "seeds"))
    ap.add_argument("--dev", default=os.path.join(HERE, "dev_qa.jsonl"))
    ap.add_argument("--multiturn", default=os.path.join(HERE, "multiturn.jsonl"))
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also print warnings (e.g. answers occurring many times)")
    args = ap.parse_args()

    docs = load_docs(args.seeds)
    errors, warnings = [], []

    n, types, per_doc = check_dev(args.dev, docs, errors, warnings)
    print(f"{os.path.basename(args.dev)}: {n} questions")
    for t in VALID_TYPES:
        print(f"  type {t:13s} {types.get(t, 0)}")
    print("  gold entries per doc:")
    for d in sorted(docs):
        print(f"    {d}  {per_doc.get(d, 0)}")

    if os.path.exists(args.multiturn):
        n, hist, per_doc = check_multiturn(args.multiturn, docs, errors, warnings)
        print(f"{os.path.basename(args.multiturn)}: {n} conversations "
              f"(turns: {dict(sorted(hist.items()))})")
        print("  gold entries per doc:")
        for d in sorted(docs):
            print(f"    {d}  {per_doc.get(d, 0)}")
    else:
        errors.append(f"missing {args.multiturn}")

    if args.verbose:
        for w in warnings:
            print("WARN", w)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
