"""The data report: ``OUT/report.html`` with PNG plots beside it (``OUT/report/*.png``).

Built after a run from what the run wrote (``ledger.json`` and the tables), so it can be
regenerated with ``repocurate report --output OUT``. Shows files and bytes through each
stage, rejects by reason, languages before and after curation, near-dedup cluster sizes,
tokens per language (when shards exist) and the file order of a few repo-level samples.
"""
from __future__ import annotations

import html
import json
import os
from collections import Counter
from typing import Any, Sequence

import pyarrow.parquet as pq


def _read(out: str, table: str, columns: Sequence[str]):
    path = os.path.join(out, table)
    if not os.path.isdir(path) or not any(n.endswith(".parquet") for n in os.listdir(path)):
        return None
    return pq.read_table(path, columns=list(columns))


def _first_multi_file_samples(out: str, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` samples of several files, read a row group at a time (the table may be large)."""
    folder = os.path.join(out, "samples")
    if not os.path.isdir(folder):
        return []
    rows: list[dict[str, Any]] = []
    for name in sorted(n for n in os.listdir(folder) if n.startswith("part-") and n.endswith(".parquet")):
        parquet = pq.ParquetFile(os.path.join(folder, name))
        for group in range(parquet.num_row_groups):
            table = parquet.read_row_group(group, columns=["repo_name", "paths", "order_satisfied"])
            rows += [r for r in table.to_pylist() if len(r["paths"]) > 1]
            if len(rows) >= limit:
                return rows[:limit]
    return rows


def _bar(path: str, labels: Sequence[str], series: dict[str, Sequence[float]], title: str,
         xlabel: str, horizontal: bool = False) -> str:
    # The object API with the Agg canvas: no pyplot (0.2 s of imports), no global state.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = max(3.0, 0.28 * len(labels) + 1.2) if horizontal else 4.0
    fig = Figure(figsize=(8, height))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    n = max(1, len(series))
    width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        positions = [k + (i - (n - 1) / 2) * width for k in range(len(labels))]
        if horizontal:
            ax.barh(positions, values, height=width, label=name)
        else:
            ax.bar(positions, values, width=width, label=name)
    if horizontal:
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
    else:
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel(xlabel)
    ax.set_title(title)
    if n > 1:
        ax.legend()
    # Margins from the longest label, instead of tight_layout (which draws the figure once
    # more to measure it: a quarter of the report's time).
    longest = max((len(str(label)) for label in labels), default=1)
    if horizontal:
        fig.subplots_adjust(left=min(0.6, 0.04 + 0.007 * longest), right=0.97, top=1 - 0.45 / height,
                            bottom=0.55 / height)
    else:
        fig.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=min(0.5, 0.12 + 0.007 * longest))
    fig.savefig(path, dpi=100, metadata={"Software": None})
    return path


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def build_report(out: str) -> str:
    """Write ``OUT/report.html`` and its plots; returns the report's path."""
    with open(os.path.join(out, "ledger.json"), encoding="utf-8") as fh:
        ledger = json.load(fh)
    plots = os.path.join(out, "report")
    os.makedirs(plots, exist_ok=True)
    sections: list[str] = []

    stages = ledger["stages"]
    names = [s["stage"] for s in stages]
    _bar(os.path.join(plots, "stages_files.png"), names,
         {"in": [s["files_in"] for s in stages], "kept": [s["files_kept"] for s in stages]},
         "Files through each stage", "files")
    _bar(os.path.join(plots, "stages_bytes.png"), names,
         {"in": [s["bytes_in"] / 1e6 for s in stages], "kept": [s["bytes_kept"] / 1e6 for s in stages]},
         "Bytes through each stage", "MB")
    rows = [(s["stage"], s["files_in"], s["files_kept"], s["files_rejected"],
             f"{s['bytes_in'] / 1e6:.2f}", f"{s['bytes_kept'] / 1e6:.2f}") for s in stages]
    sections.append("<h2>Stages</h2>" + _table(
        ["stage", "files in", "kept", "rejected", "MB in", "MB kept"], rows)
        + '<img src="report/stages_files.png"><img src="report/stages_bytes.png">')

    reasons = Counter()
    for s in stages:
        for reason, v in s["rejected_by_reason"].items():
            reasons[f"{s['stage']}: {reason}"] += v["files"]
    top = reasons.most_common(30)
    if top:
        _bar(os.path.join(plots, "rejects.png"), [r for r, _ in top], {"files": [n for _, n in top]},
             "Rejected files by stage and reason", "files", horizontal=True)
        sections.append("<h2>Rejects by reason</h2>" + _table(["stage: reason", "files"], top)
                        + '<img src="report/rejects.png">')

    languages = ledger.get("breakdowns", {}).get("languages", {})
    crawled, final = languages.get("crawled", {}), languages.get("final", {})
    langs = sorted(set(crawled) | set(final), key=lambda k: -crawled.get(k, {}).get("bytes", 0))[:30]
    if langs:
        _bar(os.path.join(plots, "languages.png"), langs,
             {"crawled": [crawled.get(k, {}).get("bytes", 0) / 1e6 for k in langs],
              "final": [final.get(k, {}).get("bytes", 0) / 1e6 for k in langs]},
             "Languages before and after curation", "MB", horizontal=True)
        sections.append("<h2>Languages</h2>" + _table(
            ["language", "files crawled", "files final", "MB crawled", "MB final"],
            [(k, crawled.get(k, {}).get("files", 0), final.get(k, {}).get("files", 0),
              f"{crawled.get(k, {}).get('bytes', 0) / 1e6:.3f}", f"{final.get(k, {}).get('bytes', 0) / 1e6:.3f}")
             for k in langs]) + '<img src="report/languages.png">')

    clusters = _read(out, "clusters", ["cluster_id"])
    if clusters is not None and clusters.num_rows:
        sizes = Counter(Counter(clusters.column("cluster_id").to_pylist()).values())
        labels = sorted(sizes)
        _bar(os.path.join(plots, "clusters.png"), [str(k) for k in labels], {"clusters": [sizes[k] for k in labels]},
             "Near-duplicate cluster sizes (repositories per cluster)", "clusters")
        sections.append(f"<h2>Near-dedup clusters</h2><p>{clusters.num_rows} repositories in "
                        f"{sum(sizes.values())} clusters.</p>" + '<img src="report/clusters.png">')

    manifest_path = os.path.join(out, "shards", "manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as fh:
            languages = json.load(fh).get("languages") or {}
        share = {k: v["tokens"] for k, v in languages.items()}
        if share:
            ordered = sorted(share.items(), key=lambda kv: (-kv[1], kv[0]))[:30]
            _bar(os.path.join(plots, "tokens.png"), [k for k, _ in ordered], {"tokens": [v for _, v in ordered]},
                 "Tokens per language", "tokens", horizontal=True)
            sections.append("<h2>Tokens per language</h2>" + _table(["language", "tokens"], ordered)
                            + '<img src="report/tokens.png">')

    rows = _first_multi_file_samples(out, 10)
    if rows:
        sections.append("<h2>Sample file orders</h2><p>Files of a few repo-level samples, dependencies first.</p>"
                        + _table(["repository", "satisfied edges", "files in order"],
                                 [(r["repo_name"], f"{r['order_satisfied']:.2f}", " → ".join(r["paths"]))
                                  for r in rows]))

    t = ledger["totals"]
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>repocurate report</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}img{max-width:100%;display:block}"
        "</style></head><body><h1>repocurate report</h1>"
        f"<p>{t['files_in']} files in, {t['files_kept']} kept, {t['files_rejected']} rejected; "
        f"ledger balanced: {ledger['balanced']}.</p>" + "".join(sections) + "</body></html>\n"
    )
    from pipeline.tables import write_atomic

    return write_atomic(os.path.join(out, "report.html"), page.encode("utf-8"))
