"""Regenerate places.tsv (China's administrative divisions) from the `jionlp` package's data.

Source: jionlp (Apache-2.0) ships `dictionary/china_location.zip` (province / prefecture / county tree with
6-digit codes and short names) and `dictionary/china_location_change.txt` (renamings since 2002). Both are
read as data files; jionlp itself is not imported (its import is slow and pulls in numpy).
Hand additions live in places_overrides.tsv, next to this script.

    pip install jionlp && python scripts/build_places.py   # rewrites qa/lang/data/places.tsv
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEVEL_RANK = {"province": 0, "city": 1, "district": 2, "county": 2}
# Shorts made only of these characters are generic (城区, 市中, 河东, 江北, 新城, 郊区 ...).
_GENERIC_CHARS = set("东西南北中上下前后左右内外城郊新老旧市区")
_HEADER = ["code", "name", "short", "level", "parent", "aliases", "note"]


@dataclass
class Unit:
    code: str
    name: str
    short: str
    level: str  # province | city | district | county
    parent: str  # full name of the parent ("" for provinces)
    candidates: list[str] = field(default_factory=list)  # aliases before the collision rule
    aliases: list[str] = field(default_factory=list)
    note: str = ""


def _stem(name: str) -> str:
    """Short name of a unit the package does not list: 错那市 -> 错那 (two characters at least)."""
    return re.sub(r"(市|县|区)$", "", name) if len(name) > 2 else name


def jionlp_dir() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("jionlp is not installed: pip install jionlp")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary"


def read_tree(folder: Path) -> list[Unit]:
    """Province, prefecture and county lines of china_location.txt (towns and villages are skipped)."""
    with zipfile.ZipFile(folder / "china_location.zip") as zf:
        text = io.TextIOWrapper(zf.open("china_location.txt"), encoding="utf-8").read()
    units: list[Unit] = []
    province = city = ""
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth > 2 or len(parts) != 3:
            continue
        name, code, short = parts
        if depth == 0:
            province, city = name, ""
            units.append(Unit(code, name, short, "province", ""))
        elif province.endswith("特别行政区") or province == "台湾省":
            continue  # the package's codes below these are placeholders
        elif depth == 1:
            # 直辖市 repeat themselves as their own city; 省直辖行政区划 is a bucket, not a unit.
            city = "" if name == province or "直辖" in name else name
            if city:
                units.append(Unit(code, name, short, "city", province))
        elif code[4] == "7" or "直辖" in name or "开发区" in name:
            continue  # x7x codes and 开发区 are statistical development zones (高新区, 经开区), not divisions
        else:
            level = "district" if name.endswith("区") and not name.endswith(("林区", "特区")) else "county"
            units.append(Unit(code, name, short, level, city or province))
    return units


def apply_changes(units: list[Unit], folder: Path) -> list[str]:
    """Apply the change list: rename units the tree has not caught up with, drop units that were merged
    away or moved, and keep every old name as an alias candidate of its successor."""
    warnings = []
    index = {(u.parent, u.name): u for u in units}
    lines = (folder / "china_location_change.txt").read_text(encoding="utf-8").splitlines()
    for line in sorted(x for x in lines if "=>" in x):
        left, right = line.split("=>")
        old = left.split("\t")[2:]  # full, short, full, short, ...
        new = right.split("\t")
        old_names, old_shorts = old[0::2], old[1::2]
        old_parent = old_names[-2] if len(old_names) > 1 else ""
        new_parent = new[-2] if len(new) > 1 else ""
        target = index.get((new_parent, new[-1]))
        if target is None and (source := index.get((old_parent, old_names[-1]))):
            del index[(old_parent, old_names[-1])]  # the tree predates this change: rename the unit
            source.name, source.parent = new[-1], new_parent
            source.short = _stem(new[-1])
            index[(new_parent, new[-1])] = target = source
        if target is None:
            warnings.append(f"change not applied (no unit {new_parent}/{new[-1]}): {line}")
            continue
        stale = index.pop((old_parent, old_names[-1]), None)
        if stale is not None and stale is not target:  # the tree still lists the old unit too (湾里区)
            units.remove(stale)
        if old_names[-1] != new[-1]:
            target.candidates += [old_names[-1], old_shorts[-1]]
    return warnings


def apply_overrides(units: list[Unit], path: Path) -> tuple[set[str], list[str]]:
    common: set[str] = set()
    warnings = []
    by_path = {f"{u.parent}/{u.name}": u for u in units}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, *fields = line.split("\t")
        if kind == "entity":
            code, name, level, parent, note = fields
            units.append(Unit(code, name, _stem(name), level, parent, note=note))
        elif kind == "rename":
            where, code, name, level, _note = fields
            if (unit := by_path.get(where)) is None:
                warnings.append(f"override rename: no unit {where}")
                continue
            unit.candidates += [unit.name, unit.short]
            unit.code, unit.name, unit.level = code, name, level
            unit.short = _stem(name)
        elif kind == "alias":
            where, aliases, _note = fields
            if where in by_path:
                by_path[where].candidates += aliases.split(",")
            else:
                warnings.append(f"override alias: no unit {where}")
        elif kind == "common":
            common |= set(fields[0].split(",")) - {""}
    return common, warnings


def candidate_aliases(u: Unit) -> list[str]:
    names = [s for s in u.short.split("/") if s]
    stem = names[0] if names else u.name
    if u.name.endswith("自治州") and not stem.endswith("州"):
        names.append(stem + "州")  # 延边州, 恩施州, 伊犁州
    if u.name.endswith("自治县") and not stem.endswith("县"):
        names.append(stem + "县")  # 长阳县
    if u.name.endswith("自治旗") and not stem.endswith("旗"):
        names.append(stem + "旗")
    return names + u.candidates


def resolve_aliases(units: list[Unit], common: set[str]) -> list[tuple[str, str, str]]:
    """Apply the alias rule; return (alias, reason, claimants) rows for every alias that was not kept.

    Rule: an alias (not the full name) is kept for a unit when
      1. it has at least 2 characters and is not the full name of another unit;
      2. no other unit of the same or a higher level claims it; a lower level loses
         (吉林 -> 吉林省 rather than 吉林市; 朝阳 -> 朝阳市 rather than 北京 朝阳区);
      3. below province level, it is not an ordinary word: not in places_overrides.tsv `common`,
         and for districts/counties not made only of generic characters (城区, 市中, 新城, 郊区).
    """
    full_names = {u.name for u in units}
    claims: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        for a in dict.fromkeys(candidate_aliases(u)):
            if a and a != u.name:
                claims[a].append(u)
    dropped = []
    for alias, claimants in sorted(claims.items()):
        best = min(LEVEL_RANK[u.level] for u in claimants)
        top = [u for u in claimants if LEVEL_RANK[u.level] == best]
        who = ", ".join(f"{u.parent}/{u.name}" if u.parent else u.name for u in claimants)
        reason = ""
        if len(alias) < 2:
            reason = "too short"
        elif alias in full_names:
            reason = "full name of another unit"
        elif len(top) > 1:
            reason = f"ambiguous: {len(top)} units of level {top[0].level}"
        elif best > 0 and alias in common:
            reason = "common word (overrides)"
        elif best == 2 and set(alias) <= _GENERIC_CHARS:
            reason = "generic characters"
        if reason:
            dropped.append((alias, reason, who))
            continue
        top[0].aliases.append(alias)
        if len(claimants) > 1:
            dropped.append((alias, f"kept for {top[0].name} (higher level)", who))
    return dropped


def full_name_collisions(units: list[Unit]) -> list[tuple[str, str, str]]:
    by_name: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        by_name[u.name].append(u)
    return [(name, f"full name used by {len(us)} units", ", ".join(f"{u.parent}/{u.name}" for u in us))
            for name, us in sorted(by_name.items()) if len(us) > 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE.parent / "qa" / "lang" / "data" / "places.tsv")
    ap.add_argument("--collisions", type=Path, default=Path("/tmp/collisions.tsv"))
    ap.add_argument("--overrides", type=Path, default=HERE / "places_overrides.tsv")
    args = ap.parse_args()
    folder = jionlp_dir()
    units = read_tree(folder)
    warnings = apply_changes(units, folder)
    common, more = apply_overrides(units, args.overrides)
    dropped = resolve_aliases(units, common)
    units.sort(key=lambda u: (u.code, u.name))
    with args.out.open("w", encoding="utf-8") as f:
        f.write("\t".join(_HEADER) + "\n")
        for u in units:
            f.write("\t".join([u.code, u.name, u.short, u.level, u.parent, ",".join(u.aliases), u.note]) + "\n")
    with args.collisions.open("w", encoding="utf-8") as f:
        f.write("name\treason\tunits\n")
        for row in full_name_collisions(units) + dropped:
            f.write("\t".join(row) + "\n")
    for w in warnings + more:
        print("warning:", w)
    counts = Counter(u.level for u in units)
    print(f"{args.out}: {len(units)} units", dict(counts))


if __name__ == "__main__":
    main()
