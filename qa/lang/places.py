"""Place-name gazetteer: find the regions a question or a report names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区",
    "自治州", "地区", "新区", "省", "市", "区", "县", "盟",
)
# A short alias followed by one of these is a landmark, not the region
# (钱塘江, 杭州湾, 西湖路), so it must not count as a mention of the place.
_LANDMARK_AFTER = "江湖河山路街湾港桥站园城镇村大中小"


@dataclass(frozen=True)
class Place:
    name: str
    level: str
    parent: str = ""


def short_name(name: str) -> str:
    """`杭州市` -> `杭州`, `伊犁哈萨克自治州` -> `伊犁哈萨克`; keeps at least two characters."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            # 广西壮族 / 伊犁哈萨克: drop a trailing ethnic-group name too.
            stem = re.sub(r"(壮族|回族|维吾尔|[\u4e00-\u9fff]{1,4}族)$", "", stem) or stem
            return stem if len(stem) >= 2 else name
    return name


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Place, ...]:
    """Every known place, from the bundled `data/places.tsv`."""
    text = resources.files("qa.lang").joinpath("data/places.tsv").read_text(encoding="utf-8")
    places = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, level, parent = (line.split("\t") + ["", ""])[:3]
        places.append(Place(name.strip(), level.strip(), parent.strip()))
    return tuple(places)


class PlaceMatcher:
    """Maps mentions in free text to canonical region names."""

    def __init__(self, indexed: dict[str, list[str]] | None = None) -> None:
        """`indexed` maps regions of indexed documents to extra aliases (`钱塘新区`)."""
        self.places: dict[str, Place] = {p.name: p for p in gazetteer()}
        self._by_alias: dict[str, str] = {}
        for name, place in self.places.items():
            self._by_alias[name] = name
            # District short names are often landmarks (西湖 the lake), so only
            # regions that have an indexed report get their short alias.
            if place.level not in ("district", "county"):
                self._by_alias.setdefault(short_name(name), name)
        for name, extra in (indexed or {}).items():
            self.places.setdefault(name, Place(name, ""))
            for alias in [name, short_name(name), *extra]:
                self._by_alias[alias] = name
        ordered = sorted((a for a in self._by_alias if len(a) >= 2), key=len, reverse=True)
        body = "|".join(re.escape(a) for a in ordered)
        self._pattern = re.compile(f"(?:{body})(?![{_LANDMARK_AFTER}])")

    def find(self, text: str) -> list[str]:
        """Canonical names mentioned in `text`, in order of first mention."""
        found: list[str] = []
        for match in self._pattern.finditer(text):
            name = self._by_alias.get(match.group(0))
            if name and name not in found:
                found.append(name)
        return found

    def find_all(self, text: str) -> list[str]:
        """Every mention (with repeats), for picking a report's most frequent place."""
        return [self._by_alias[m.group(0)] for m in self._pattern.finditer(text) if m.group(0) in self._by_alias]

    def strip(self, text: str) -> str:
        """`text` with every place mention removed."""
        return self._pattern.sub("", text)

    def parent(self, name: str) -> str:
        place = self.places.get(name)
        return place.parent if place else ""

    def level(self, name: str) -> str:
        place = self.places.get(name)
        return place.level if place else ""

    def canonical(self, name: str) -> str:
        """Resolve a user-typed region (`萧山`, `萧山区`) to its canonical name."""
        name = name.strip()
        return self._by_alias.get(name, self._by_alias.get(short_name(name), name))
