"""Which reports a question is about: explicit filters first, then the places and years it names.

A report of year Y reviews Y-1 and plans Y: a target for Y is in the report of Y, an outcome of Y in the
report of Y+1. A place or year with no indexed report is remembered, so the answer can say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from qa.core.errors import NoMatch
from qa.core.records import Document, Filters
from qa.lang.places import NATIONAL, PlaceMatcher
from qa.lang.query import QueryInfo, plan_periods_ending, year_in_chinese
from qa.lang.script import in_simplified
from qa.search.phase import wanted

PREFERRED = 0.006  # bonus for the report the intent points at (fused scores lie in 0..0.033)
# The same when the question names its intent (a target word such as 目标, 打算, 要; 实际, 增长了 for an outcome),
# not only with a bare 多少.
STATED = 0.009  # chosen on the tuning halves from 0.006, 0.009, 0.012 and 0.018 (README, "Quality")
SECONDARY = 0.0  # the other report that speaks about that year
# A year with no place ("1996年物价涨幅原计划降到多少", "2017年政府工作报告定的钢铁去产能任务") means the national
# report more often than any one of the year's hundreds of local ones: a lean, not a scope, so a local topic still
# finds its report. Chosen on the tuning halves from 0.003 and 0.006 (equal; the smaller kept).
NATIONAL_LEAN = 0.003


@dataclass(frozen=True)
class Target:
    """One place/year the question asks about, and the reports that can answer it."""

    label: str
    doc_ids: tuple[str, ...]
    # The bonus of each of its reports for this target alone: asked about 1998 and 1999, the 1999 report is
    # preferred for 1999's targets but is only the review of 1998 (the scope's prior merges the targets).
    # None: the scope's prior holds (several places and no year).
    prior: dict[str, float] | None = None


@dataclass(frozen=True)
class Scope:
    doc_ids: tuple[str, ...] | None  # None: the whole corpus
    targets: tuple[Target, ...] = ()  # several when the question names several places or years
    prior: dict[str, float] = field(default_factory=dict)  # doc_id -> bonus
    missing_place: str | None = None  # a named place with no indexed report
    missing_year: str | None = None  # "浙江省2030年": the place is indexed, that year is not
    existing: tuple[str, ...] = ()  # what is indexed for the named place (for the honest answer)
    phase: str | None = None  # "review" or "plan": the part of a report the question's intent points at
    preferred_missing: bool = False  # a named year's preferred report is missing; only its neighbour is indexed
    year_marks: tuple[str, ...] = ()  # "2013年": a section naming the year asked about is the likelier answer
    horizon: bool = False  # the question asks about a plan horizon (到2025年): a heading for one year is not it
    inner: tuple[tuple[str, str], ...] = ()  # (place, indexed ancestor): 仁怀市 has no report, 遵义市's may name it
    phrases: tuple[str, ...] = ()  # quoted names the question asks about, looked for verbatim
    # No report of the place is of the asked year or the next (which reviews it); not set when only the report
    # a target or a stated outcome needs is missing and its neighbour is indexed.
    year_uncovered: bool = False


def filter_documents(docs: Sequence[Document], filters: Filters, matcher: PlaceMatcher) -> list[Document]:
    """The documents explicit filters allow; NoMatch (a 4xx) naming what exists when none does."""
    if filters.empty:
        return list(docs)
    regions = {matcher.canonical(in_simplified(r, matcher)) for r in filters.regions}  # 蕭山 as 萧山
    kept = []
    for doc in docs:
        if filters.doc_ids and doc.doc_id not in filters.doc_ids:
            continue
        if regions and doc.region not in regions and not (filters.include_subregions and matcher.ancestors(doc.region) & regions):
            continue
        if filters.years and doc.year not in filters.years:
            continue
        if filters.levels and doc.level not in filters.levels:
            continue
        if filters.year_from is not None and (doc.year is None or doc.year < filters.year_from):
            continue
        if filters.year_to is not None and (doc.year is None or doc.year > filters.year_to):
            continue
        kept.append(doc)
    if not kept:
        raise NoMatch(f"no indexed report matches the filters ({describe(filters)}); indexed: {summarize(docs)} "
                      "(GET /documents lists them)")
    return kept


def describe(filters: Filters) -> str:
    parts = []
    for name, value in (("doc_ids", filters.doc_ids), ("regions", filters.regions), ("years", filters.years),
                        ("levels", filters.levels)):
        if value:
            parts.append(f"{name}={','.join(map(str, value))}")
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(f"years {filters.year_from or ''}–{filters.year_to or ''}")
    return "; ".join(parts)


def summarize(docs: Sequence[Document], limit: int = 12) -> str:
    """`杭州市 2021; 萧山区 2021, 2024 …`: regions with their report years."""
    years: dict[str, list[int]] = {}
    for doc in docs:
        years.setdefault(doc.region or "?", []).append(doc.year or 0)
    parts = [f"{region} {_years_text(ys)}" for region, ys in sorted(years.items(), key=lambda kv: -len(kv[1]))]
    more = f" … and {len(parts) - limit} more regions" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def _years_text(years: list[int]) -> str:
    ys = sorted(set(y for y in years if y))
    if len(ys) > 4 and ys[-1] - ys[0] + 1 == len(ys):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(map(str, ys)) if len(ys) <= 6 else f"{ys[0]}–{ys[-1]} ({len(ys)} reports)"


def report_preference(intent: str, year: int) -> tuple[int, int]:
    """(preferred, other) report year for a question about `year`."""
    if intent in ("target", "list"):
        return year, year + 1
    return year + 1, year


def resolve(info: QueryInfo, docs: Sequence[Document], matcher: PlaceMatcher | None = None) -> Scope:
    """The reports the question's places and years point at, within the documents the filters allow. A
    place with no report of its own is looked for in its nearest ancestor's reports (county -> city)."""
    inner = _fallbacks(info.regions, docs, matcher) if matcher else ()
    if inner:
        parents = dict(inner)
        info = replace(info, regions=tuple(dict.fromkeys(parents.get(r, r) for r in info.regions)))
    scope = _resolve(info, docs)
    if scope.missing_year and inner:  # "没有临安区或杭州市2023年的政府工作报告"
        place, parent = inner[0]
        scope = replace(scope, missing_year=scope.missing_year.replace(parent, f"{place}或{parent}", 1))
    marks = tuple(f"{y}年" for y in info.years) if info.years and len(info.years) <= 3 and not info.all_years else ()
    horizon = bool(info.horizons and not info.years)
    if horizon:
        # "到2025年…": the plan's own headings say 2025年, 二〇二五年 or the plan that ends then (十四五).
        marks = tuple(mark for h in info.horizons
                      for mark in (f"{h}年", f"{year_in_chinese(h)}年", *plan_periods_ending(h)))
    return replace(scope, phase=wanted(info.intent), inner=inner, year_marks=marks, horizon=horizon)


def _fallbacks(regions: Sequence[str], docs: Sequence[Document], matcher: PlaceMatcher) -> tuple[tuple[str, str], ...]:
    indexed = {d.region for d in docs}
    out = []
    for region in regions:
        if region in indexed or region == NATIONAL:
            continue
        parent = matcher.parent(region)
        while parent and parent not in indexed:
            parent = matcher.parent(parent)
        if parent:
            out.append((region, parent))
    return tuple(out)


def _newest(places: Sequence[str], by_region: dict[str, list[Document]], now: int | None) -> dict[str, float]:
    """For "现在/目前": each place's newest report up to `now` gets the preferred report's bonus. A bonus, not a
    scope: a figure the newest report leaves out may still be in an older one."""
    prior: dict[str, float] = {}
    if now is None:
        return prior
    for place in places:
        dated = [d for d in by_region[place] if d.year is not None and d.year <= now]
        if dated:
            newest = max(d.year for d in dated if d.year is not None)
            prior.update((d.doc_id, PREFERRED) for d in dated if d.year == newest)
    return prior


def _resolve(info: QueryInfo, docs: Sequence[Document]) -> Scope:
    by_region: dict[str, list[Document]] = {}
    for doc in docs:
        by_region.setdefault(doc.level == "national" and NATIONAL or doc.region, []).append(doc)
    places = [p for p in info.regions if p in by_region]
    missing_place = next((p for p in info.regions if p not in by_region), None) if not places else None
    indexed = summarize(docs) if missing_place else ""
    if not places and not info.years:
        return Scope(None, missing_place=missing_place, existing=(indexed,) if indexed else ())
    pool = [d for p in places for d in by_region[p]] if places else list(docs)
    if info.horizons and not info.years:
        # The reports up to the horizon set and track that target; the one after it says whether it was met.
        before = [d for d in pool if d.year is not None and d.year <= max(info.horizons) + 1]
        pool = before or pool
    if not info.years or info.all_years:
        per_place = tuple(Target(p, tuple(d.doc_id for d in by_region[p])) for p in places) if len(places) > 1 else ()
        if info.horizons and places:  # for "no report names that horizon", say what was looked at
            indexed = summarize([d for p in places for d in by_region[p]])
        return Scope(tuple(d.doc_id for d in pool), per_place, _newest(places, by_region, info.now),
                     missing_place=missing_place, existing=(indexed,) if indexed else ())
    prior: dict[str, float] = {}
    targets: list[Target] = []
    chosen: set[str] = set()
    missing_year = None
    missing_report = None
    preferred_missing = False
    # A target word, or an outcome asked in so many words, says which report more surely than a bare 多少.
    stated = info.intent == "target" or (info.intent == "outcome" and info.stated_outcome) or info.report_year
    bonus = STATED if stated else PREFERRED
    # A plan period is reviewed as a whole in the report after it (2021's reviews 十三五) and its targets are set in
    # the report of its first year (2016's): that one report is preferred over the period's others.
    period_pick = None
    if info.period and not info.report_year:
        period_pick = info.period[0] if info.intent == "target" else info.period[1] + 1
    for place in places or [""]:
        candidates = by_region[place] if place else pool
        for year in info.years:
            first, second = (year, year) if info.report_year else report_preference(info.intent, year)
            hits = [d for d in candidates if d.year in (first, second)]
            lacks_first = bool(hits) and not any(d.year == first for d in hits) and not info.relative
            preferred_missing |= lacks_first
            if lacks_first and stated and len(info.years) == 1 and place:
                # A year's targets are set in that year's report and its outcome is reviewed in the next one's:
                # neither report can stand in for the other. A bare "2024年…增长多少" may mean the year's target,
                # which its own report gives, so only an outcome asked in so many words is refused.
                missing_report = f"{place}{first}年"
            if not hits and info.relative and place:
                latest = max((d.year or 0) for d in candidates)
                hits = [d for d in candidates if d.year == latest]  # 去年 in an older report's own frame
            pick = period_pick if period_pick is not None else first
            own = {d.doc_id: (bonus if d.year == pick else SECONDARY)
                   + (NATIONAL_LEAN if not place and not info.levels and not info.towns and d.level == "national"
                      else 0.0) for d in hits}
            for doc_id, value in own.items():
                prior[doc_id] = max(prior.get(doc_id, 0.0), value)
            if not hits and place and missing_year is None:
                missing_year = f"{place}{year}年"
            chosen.update(d.doc_id for d in hits)
            if hits:
                targets.append(Target(f"{place or ''}{year}", tuple(d.doc_id for d in hits), own))
    existing = (summarize([d for p in places for d in by_region[p]]),) if places else ((indexed,) if indexed else ())
    if not chosen:
        return Scope(tuple(d.doc_id for d in pool) if places else None, missing_place=missing_place,
                     missing_year=missing_year, existing=existing, year_uncovered=missing_year is not None)
    multi = len(targets) > 1 and (len(places) > 1 or len(info.years) <= 4)
    return Scope(tuple(sorted(chosen)), tuple(targets) if multi else (), prior, missing_place, missing_report, existing,
                 preferred_missing=preferred_missing)
