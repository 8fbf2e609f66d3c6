"""`reportqa bench-report`: turn `reportqa bench --out` results into BENCHMARKS.md and its one plot."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from qa.cli.bench_latency import table
from qa.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    br = sub.add_parser("bench-report", help="write BENCHMARKS.md from `reportqa bench --out` results")
    br.add_argument("results", type=Path, nargs="+", help="JSON files written by `reportqa bench --out`")
    br.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"))
    br.add_argument("--notes", type=Path, help="markdown appended as is (method notes, caveats)")
    br.set_defaults(run=run)


def plot(encoders: dict[str, Any]) -> str:
    """Passages per second by backend, as a bar chart in plain SVG, with the PyTorch fp32 floor marked."""
    rows = [r for r in encoders["rows"] if "passages_per_s" in r]
    width, bar, gap, left = 640, 26, 12, 150
    top = 40
    height = top + len(rows) * (bar + gap) + 30
    peak = max(r["passages_per_s"] for r in rows) or 1.0
    scale = (width - left - 80) / peak
    floor = encoders["floor_passages_per_s"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="13">', f'<text x="10" y="22" font-size="15">Passages per second ({encoders["passages"]} '
             'report passages, batch 32; higher is better)</text>']
    for i, row in enumerate(rows):
        y = top + i * (bar + gap)
        w = row["passages_per_s"] * scale
        colour = "#888" if row["backend"] == "torch" else "#2a6fdb"
        parts.append(f'<text x="{left - 8}" y="{y + bar * 0.7}" text-anchor="end">{row["backend"]}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + bar * 0.7}">{row["passages_per_s"]:.1f} '
                     f'({row.get("ratio", 1.0):.2f}×)</text>')
    x = left + floor * scale
    parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 24}" stroke="#c00" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{x + 4:.1f}" y="{height - 8}" fill="#c00">PyTorch fp32 floor {floor:.1f}/s</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def section(result: dict[str, Any], plot_name: str | None) -> str:
    out = [f"## {result['reports']} reports, {result['passages']} passages ({result['date']})", "",
           f"- Machine: {result['machine']}", f"- Model: `{result['model']}`; encoder backend `{result['backend']}`; "
           f"{result['embedded']}/{result['passages']} passages embedded", f"- Data folder: `{result['data_dir']}`"]
    index = result.get("index") or {}
    if index:
        floor = index.get("floor_passages_per_s")
        rate = index["embedded"] / index["dense_s"] if index.get("dense_s") else 0.0
        ratio = f" = {rate / floor:.2f}× the PyTorch fp32 floor of {floor:.1f}/s measured in the same run" if floor else ""
        out.append(f"- Last full index: {index['indexed']} reports read, chunked and tokenized in {index['lexical_s']:.0f} s "
                   f"(lexical), then {index['embedded']} passages embedded with `{index['backend']}` in "
                   f"{index['dense_s']:.0f} s ({rate:.1f}/s{ratio})")
    disk = result["disk_mb"]
    out.append(f"- On disk: segments {disk['segments']} MB, vectors {disk['vectors']} MB (total {disk['total']} MB)")
    enc = result.get("encoders")
    if enc:
        out += ["", "### Encoder backends against the PyTorch fp32 floor", "",
                "| backend | passages/s | × floor | query p50 ms | cosine to fp32 (min / mean) |", "|---|---:|---:|---:|---|"]
        for r in enc["rows"]:
            if "error" in r:
                out.append(f"| {r['backend']} | — | — | — | unavailable: {r['error']} |")
            else:
                out.append(f"| {r['backend']} | {r['passages_per_s']:.1f} | {r.get('ratio', 0):.2f} | {r['query_p50_ms']:.1f} "
                           f"| {r['cosine_min']:.4f} / {r['cosine_mean']:.5f} |")
        out.append(f"\nFloor runs (first and last): {', '.join(map(str, enc['floor_runs']))} passages/s.")
        if plot_name:
            out.append(f"\n![passages per second by backend]({plot_name})")
    lat = result["latency"]
    out += ["", "### Latency", "", table(lat["rows"]), "",
            f"Server RSS while serving: {lat['server_rss_mb']} MB (peak {lat['server_peak_rss_mb']} MB)."]
    floors = [r["query_p50_ms"] for r in (enc or {}).get("rows", []) if r.get("backend") == "torch" and "query_p50_ms" in r]
    http1 = next((r for r in lat["rows"] if r["name"] == "HTTP c=1"), None)
    if floors and http1:
        # The first floor run's ratio, then the range over the floor runs: the floor moves within one run too.
        low, high = min(floors), max(floors)
        spread = "" if len(floors) == 1 else (f" (floor runs {low:.1f}–{high:.1f} ms: "
                                              f"{http1['p50'] / high:.2f}–{http1['p50'] / low:.2f}×)")
        out.append(f"PyTorch fp32 query-encode floor p50 {floors[0]:.1f} ms in the same run: `/ask` p50 over HTTP at c=1 is "
                   f"{http1['p50']:.1f} ms = {http1['p50'] / floors[0]:.2f}× that floor{spread}.")
        httpx = next((r for r in lat["rows"] if r["name"] == "HTTP c=1, httpx client"), None)
        if httpx:
            out.append(f"The same requests from httpx, whose own work is in its times: {httpx['p50']:.1f} ms = "
                       f"{httpx['p50'] / floors[0]:.2f}× the first floor.")
    up = result.get("upload")
    if up:
        out += ["", f"Upload of one report ({up['passages']:.0f} passages) into a copy of this index "
                f"({up['reports_in_index']:.0f} reports): searchable after {up['upload_s']:.2f} s "
                f"(found by a query: {'yes' if up['searchable'] else 'NO'}); delete took {up['delete_s']:.2f} s "
                f"(gone: {'yes' if up['gone'] else 'NO'})."]
    load = result.get("load")
    if load:
        out += ["", f"Load: {load['requests']} `/ask` requests at concurrency {load['concurrency']} against one "
                f"`reportqa serve`, with {load['writes']} uploads and deletes meanwhile: {load['errors']} errors, "
                f"{load['write_errors']} failed writes; p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, p99 "
                f"{load['p99_ms']} ms, {load['req_per_s']} requests/s; server RSS {load['rss_early_mb']} MB after "
                f"the first fifth, {load['rss_end_mb']} MB at the end ({load['rss_growth']:+.1%})."]
    ann = result.get("ann")
    if ann:
        out += ["", f"Vector search rule: exact below {ann['flat_max']:.0f} vectors, IVF above. On {ann['vectors']:.0f} "
                f"synthetic clustered vectors: IVF recall@10 against exact = {ann['recall@10']:.3f}, query p50 "
                f"{ann['ivf_p50_ms']:.1f} ms (exact {ann['flat_p50_ms']:.1f} ms), built in {ann['ivf_build_s']:.0f} s."]
    return "\n".join(out)


def run(args: argparse.Namespace, settings: Settings) -> int:
    results = [json.loads(p.read_text(encoding="utf-8")) for p in args.results]
    plot_name = None
    for result in results:
        if result.get("encoders") and plot_name is None:
            plot_name = "benchmarks-encoders.svg"
            (args.out.parent / plot_name).write_text(plot(result["encoders"]), encoding="utf-8")
    body = ["# Benchmarks", "",
            "Generated by `reportqa bench --out …` and `reportqa bench-report …` from the runs below; every speed",
            "is also given as a ratio to the PyTorch fp32 floor measured in the same run (CPUs differ).", ""]
    body += [section(r, plot_name if r.get("encoders") else None) + "\n" for r in results]
    if args.notes:
        body.append(args.notes.read_text(encoding="utf-8"))
    args.out.write_text("\n".join(body), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0
