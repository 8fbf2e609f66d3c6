"""Hand-written metadata for a folder of reports (`catalog.toml`), which takes precedence over inference."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from qa.lang.places import short_name

CATALOG_NAME = "catalog.toml"


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
    """Read `catalog.toml` from a folder, keyed by file name; a missing file means no entries."""
    path = folder / CATALOG_NAME
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {}
    for file_name, item in data.get("documents", {}).items():
        entries[file_name] = CatalogEntry(
            title=item["title"], region=item["region"], year=item.get("year"),
            level=item.get("level", "city"), kind=item.get("kind", "full"),
            aliases=tuple(item.get("aliases", ())), parent=item.get("parent", ""),
        )
    return entries


def catalog_aliases(folder: Path) -> dict[str, list[str]]:
    """Region -> aliases declared in a folder's catalog (for the place matcher)."""
    return {e.region: [short_name(e.region), *e.aliases] for e in load_catalog(folder).values()}
