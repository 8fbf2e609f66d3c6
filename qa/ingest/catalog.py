"""Hand-written metadata for a folder of reports (`catalog.toml`), which takes precedence over inference."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

from qa.lang.places import short_name

CATALOG_NAME = "catalog.toml"
CATALOG_TSV = "catalog.tsv"


@dataclass(frozen=True)
class CatalogEntry:
    title: str
    region: str
    year: int | None
    level: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str = ""


def load_catalog(folder: Path) -> dict[str, CatalogEntry]:
    """A folder's `catalog.toml`, or its `catalog.tsv` (the corpus manifest's columns), keyed by file name."""
    path = folder / CATALOG_NAME
    if not path.is_file():
        return load_tsv(folder / CATALOG_TSV) if (folder / CATALOG_TSV).is_file() else {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {}
    for file_name, item in data.get("documents", {}).items():
        entries[file_name] = CatalogEntry(
            title=item["title"], region=item["region"], year=item.get("year"),
            level=item.get("level", "city"), kind=item.get("kind", "full"),
            aliases=tuple(item.get("aliases", ())), parent=item.get("parent", ""),
        )
    return entries


def load_tsv(path: Path) -> dict[str, CatalogEntry]:
    """Rows with the columns `file, year, level, region, title` (more columns are ignored)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {row["file"]: CatalogEntry(title=row["title"], region=row["region"],
                                      year=int(row["year"]) if row.get("year") else None,
                                      level=row.get("level") or "city", kind=row.get("kind") or "full")
            for row in rows if row.get("file")}


def catalog_aliases(folder: Path) -> dict[str, list[str]]:
    """Region -> aliases declared in a folder's catalog (for the place matcher)."""
    return {e.region: [short_name(e.region), *e.aliases] for e in load_catalog(folder).values()}
