"""`reportqa eval-metadata`: infer every report's year, region and level from its text and compare with a manifest."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from qa.core.settings import Settings
from qa.ingest.decode import decode_report
from qa.ingest.metadata import infer_metadata
from qa.lang.places import PlaceMatcher


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = sub.add_parser("eval-metadata", help="measure metadata inference against a manifest (file, year, level, region)")
    ev.add_argument("manifest", type=Path, help="e.g. ../shared/corpus/MANIFEST.tsv")
    ev.add_argument("folder", type=Path, help="the reports the manifest lists")
    ev.add_argument("--no-filename", action="store_true", help="do not fall back on the file name for the year")
    ev.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    matcher = PlaceMatcher()
    with open(args.manifest, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    wrong: dict[str, list[str]] = {"year": [], "region": [], "level": []}
    for row in rows:
        text, _ = decode_report((args.folder / row["file"]).read_bytes(), row["file"])
        fallback = "" if args.no_filename else Path(row["file"]).stem
        got = infer_metadata(text, fallback, matcher)
        for field, expected, value in (("year", row["year"], str(got.year)), ("region", row["region"], got.region),
                                       ("level", row["level"], got.level)):
            if expected != value:
                wrong[field].append(f"{row['file']}\t{field}\texpected {expected}\tgot {value}")
    print(f"{len(rows)} reports; accuracy " + ", ".join(
        f"{field} {1 - len(bad) / max(len(rows), 1):.4f}" for field, bad in wrong.items()))
    for bad in wrong.values():
        for line in bad:
            print("  " + line)
    return 0
