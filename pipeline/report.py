"""The data report: ``OUT/report.html`` with PNG plots beside it (``OUT/report/*.png``).

Built after a run from what the run wrote (``ledger.json``, ``_stats/run.json``,
``config.yaml``, ``shards/manifest.json`` and the tables), so it can be regenerated with
``repocurate report --output OUT``. Sections, for a data engineer checking a run:

* **Run**: inputs, start date, version, runner, total duration with its phases and each
  stage's active span (live counters, :mod:`pipeline.progress`), the configuration;
* **Stages** and **Rejects by reason**: files and bytes through every stage of the
  ledger (its stage list, not a fixed one), every reason's files and bytes with a few
  example paths;
* **Languages** before and after; **Exact duplicates**; **Near-duplicate clusters**
  (members, survivor, verified ``jaccard`` when the table has it, else the MinHash
  ``jaccard_estimate``); **Redactions** by kind; **Decontamination** hits by benchmark task;
* **Import graph**: imports found and resolved, edges, cycles, order satisfaction (from
  ``repo_metrics``, ``edges`` and ``samples``); **Shards**: documents, tokens, tokens per
  language, vocabulary; and the file order of a few repo-level samples.

Tables are read a row group and a few columns at a time and folded into bounded summaries
(counts per reason or language, a handful of examples, the largest clusters), so the
report's memory does not grow with the corpus. Sizes are printed with a unit that keeps
three significant figures (``512 B``, ``1.23 kB``), so small runs never read ``0.000 MB``.
The page is self-contained (inline style, images beside it under ``report/``, no external
URL) and valid HTML5. What differs from one run of the same input and configuration to the
next (date, durations, runner, output folder) is confined to the run section
(``<section id="run">``, dates and durations in ``<time>`` elements); the rest of the page
is byte-identical.
"""
from __future__ import annotations

import heapq
import html
import json
import os
from collections import Counter
from typing import Any, Iterator, Optional, Sequence

import pyarrow.parquet as pq

RUN_RECORD = "_stats/run.json"  # written by the run: inputs, date, version, durations
EXAMPLES = 3        # example paths per reject reason
TOP_CLUSTERS = 25   # clusters listed (the largest)
TOP_ROWS = 30       # rows of the longer tables and plots


# ---- reading, a row group at a time ------------------------------------------------------

def _parts(out: str, table: str) -> list[str]:
    folder = os.path.join(out, table)
    if not os.path.isdir(folder):
        return []
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder))
            if n.startswith("part-") and n.endswith(".parquet")]


def _columns(out: str, table: str) -> set[str]:
    parts = _parts(out, table)
    return set(pq.ParquetFile(parts[0]).schema_arrow.names) if parts else set()


def iter_rows(out: str, table: str, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Rows of ``OUT/<table>`` with only ``columns`` (those the table has), one row group in memory."""
    for path in _parts(out, table):
        parquet = pq.ParquetFile(path)
        present = [c for c in columns if c in parquet.schema_arrow.names]
        for group in range(parquet.num_row_groups):
            yield from parquet.read_row_group(group, columns=present).to_pylist()


def _first_multi_file_samples(out: str, limit: int) -> list[dict[str, Any]]:
    rows = []
    for row in iter_rows(out, "samples", ["repo_name", "paths", "order_satisfied"]):
        if len(row["paths"]) > 1:
            rows.append(row)
            if len(rows) >= limit:
                break
    return rows


def _configured(out: str, section: str, key: str) -> Any:
    """A value of the run's ``config.yaml`` (None when absent)."""
    path = os.path.join(out, "config.yaml")
    if not os.path.exists(path):
        return None
    import yaml

    with open(path, encoding="utf-8") as fh:
        return ((yaml.safe_load(fh) or {}).get(section) or {}).get(key)


def _load_json(path: str) -> Optional[dict]:
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# ---- formatting --------------------------------------------------------------------------

def human_bytes(n: float) -> str:
    """Three significant figures and a unit: ``512 B``, ``1.23 kB``, ``45.6 MB``, ``3.31 GB``."""
    from pipeline.progress import human_bytes as fmt

    return fmt(n)


def _num(n: Any) -> str:
    return f"{n:,}" if isinstance(n, int) else str(n)


def _n(count: int, noun: str, plural: Optional[str] = None) -> str:
    """``1 file``, ``2 files``, ``1,234 repositories``."""
    word = noun if count == 1 else (plural or noun + "s")
    return f"{count:,} {word}"


def _pct(part: float, whole: float) -> str:
    if not whole:
        return "–"
    share = 100.0 * part / whole
    return f"{share:.3g} %" if share >= 0.01 or share == 0 else f"{share:.1e} %"


def _time(seconds: float) -> str:
    """A duration in a ``<time>`` element (the report's only run-to-run differences)."""
    from pipeline.progress import human_duration

    return f'<time datetime="PT{seconds:.3f}S">{html.escape(human_duration(seconds))}</time>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], raw: Sequence[int] = (),
           numeric: Sequence[int] = ()) -> str:
    """An HTML table; columns in ``raw`` hold markup already, ``numeric`` are right-aligned."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)

    def cell(i: int, value: Any) -> str:
        text = str(value) if i in raw else html.escape(_num(value))
        return f'<td class="n">{text}</td>' if i in numeric else f"<td>{text}</td>"

    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _img(name: str, alt: str) -> str:
    return f'<img src="report/{name}.png" alt="{html.escape(alt)}">'


def _byte_scale(values: Sequence[float]) -> tuple[float, str]:
    top = max(values, default=0)
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if top >= scale:
            return scale, unit
    return 1.0, "bytes"


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


def _bytes_bar(plots: str, name: str, labels: Sequence[str], series: dict[str, Sequence[float]], title: str,
               horizontal: bool = False) -> None:
    scale, unit = _byte_scale([v for values in series.values() for v in values])
    _bar(os.path.join(plots, f"{name}.png"), labels, {k: [v / scale for v in vs] for k, vs in series.items()},
         title, unit, horizontal)


# ---- sections ----------------------------------------------------------------------------

def _run_section(out: str, ledger: dict) -> str:
    record = _load_json(os.path.join(out, RUN_RECORD))
    parts = ["<section id=\"run\"><h2>Run</h2>"]
    if record is None:
        parts.append("<p>No run record (<code>_stats/run.json</code>): this output was written by an "
                     "earlier version.</p>")
    else:
        rows = [
            ("inputs", "<br>".join(f"<code>{html.escape(i)}</code>" for i in record["inputs"])
             + f"<br>{record['repositories']:,} repositories, {record['parquet_sources']:,} Parquet sources"),
            ("started (UTC)", f'<time datetime="{html.escape(record["started_utc"])}">'
                              f'{html.escape(record["started_utc"].replace("T", " ").replace("+00:00", ""))}</time>'),
            ("duration", _time(record["duration_s"]) + " ("
             + ", ".join(f"{html.escape(k[:-2])} {_time(v)}" for k, v in record["phases_s"].items())
             + "; the report itself not included)"),
            ("version", html.escape(f"repocurate {record['version']}, " + (
                f"Apache Spark {record['spark']}" if record.get("engine") == "spark" else f"Apache Beam {record['beam']}")
                + f", Python {record['python']}")),
            ("runner", html.escape(record["runner"]) + (
                f" <code>{html.escape(' '.join(record['beam_args']))}</code>" if record.get("beam_args") else "")
             + (" <code>" + html.escape(" ".join(f"{k}={v}" for k, v in record["spark_conf"].items())) + "</code>"
                if record.get("spark_conf") else "")),
            ("output", f"<code>{html.escape(os.path.abspath(out))}</code>"),
        ]
        parts.append("<table><tbody>" + "".join(
            f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</tbody></table>")
        spans = record.get("stage_active_s")
        if spans:
            parts.append("<p>Active span of each stage: from the first to the last batch its "
                         "counters saw (stages overlap, because the runner fuses steps of "
                         "neighbouring stages; the tokenizer and shards come after the last).</p>")
            parts.append(_table(["stage", "active span"], [(s["stage"], _time(s["active_s"])) for s in spans],
                                raw=[1], numeric=[1]))
    config_path = os.path.join(out, "config.yaml")
    if os.path.exists(config_path):
        with open(config_path, encoding="utf-8") as fh:
            config = fh.read()
        parts.append("<details><summary>Configuration (<code>config.yaml</code>)</summary><pre>"
                     + html.escape(config) + "</pre></details>")
    return "".join(parts) + "</section>"


def _stages_section(plots: str, stages: list[dict]) -> str:
    names = [s["stage"] for s in stages]
    _bar(os.path.join(plots, "stages_files.png"), names,
         {"in": [s["files_in"] for s in stages], "kept": [s["files_kept"] for s in stages]},
         "Files through each stage", "files")
    _bytes_bar(plots, "stages_bytes", names,
               {"in": [s["bytes_in"] for s in stages], "kept": [s["bytes_kept"] for s in stages]},
               "Bytes through each stage")
    rows = [(s["stage"], s["files_in"], s["files_kept"], s["files_rejected"], human_bytes(s["bytes_in"]),
             human_bytes(s["bytes_kept"]), human_bytes(s["bytes_in"] - s["bytes_kept"]),
             _pct(s["bytes_kept"], s["bytes_in"])) for s in stages]
    return ("<h2 id=\"stages\">Stages</h2>" + _table(
        ["stage", "files in", "kept", "rejected", "bytes in", "bytes kept", "bytes rejected", "bytes kept %"],
        rows, numeric=range(1, 8))
        + _img("stages_files", "files in and kept per stage") + _img("stages_bytes", "bytes in and kept per stage"))


def reject_examples(out: str, limit: int = EXAMPLES) -> dict[tuple[str, str], list[str]]:
    """Up to ``limit`` example paths (``repo/path``, or the repository alone) per (stage, reason)."""
    examples: dict[tuple[str, str], list[str]] = {}
    for row in iter_rows(out, "rejects", ["repo_name", "path", "stage", "reason"]):
        found = examples.setdefault((row["stage"], row["reason"]), [])
        if len(found) < limit:
            found.append(f"{row['repo_name']}/{row['path']}" if row["path"] else f"{row['repo_name']} (whole repository)")
    return examples


def _rejects_section(out: str, plots: str, stages: list[dict]) -> str:
    reasons = [(s["stage"], reason, v["files"], v["bytes"])
               for s in stages for reason, v in s["rejected_by_reason"].items()]
    if not reasons:
        return "<h2 id=\"rejects\">Rejects by reason</h2><p>Nothing was rejected.</p>"
    examples = reject_examples(out)
    top = sorted(reasons, key=lambda r: (-r[2], -r[3], r[0], r[1]))[:TOP_ROWS]
    _bar(os.path.join(plots, "rejects.png"), [f"{s}: {r}" for s, r, _, _ in top], {"files": [n for _, _, n, _ in top]},
         "Rejected files by stage and reason", "files", horizontal=True)
    by_bytes = sorted(reasons, key=lambda r: (-r[3], -r[2], r[0], r[1]))[:TOP_ROWS]
    _bytes_bar(plots, "rejects_bytes", [f"{s}: {r}" for s, r, _, _ in by_bytes], {"bytes": [b for _, _, _, b in by_bytes]},
               "Rejected bytes by stage and reason", horizontal=True)
    rows = [(stage, reason, files, human_bytes(nbytes),
             "<br>".join(f"<code>{html.escape(e)}</code>" for e in examples.get((stage, reason), [])))
            for stage, reason, files, nbytes in reasons]
    return ("<h2 id=\"rejects\">Rejects by reason</h2><p>Every reason of every stage, in stage order, "
            f"with up to {EXAMPLES} example paths.</p>"
            + _table(["stage", "reason", "files", "bytes", "examples"], rows, raw=[4], numeric=[2, 3])
            + _img("rejects", "rejected files by reason") + _img("rejects_bytes", "rejected bytes by reason"))


def _languages_section(plots: str, ledger: dict) -> str:
    languages = ledger.get("breakdowns", {}).get("languages", {})
    crawled, final = languages.get("crawled", {}), languages.get("final", {})
    langs = sorted(set(crawled) | set(final), key=lambda k: (-crawled.get(k, {}).get("bytes", 0), k))
    if not langs:
        return ""
    shown = langs[:TOP_ROWS]
    _bytes_bar(plots, "languages", shown,
               {"crawled": [crawled.get(k, {}).get("bytes", 0) for k in shown],
                "final": [final.get(k, {}).get("bytes", 0) for k in shown]},
               "Languages before and after curation", horizontal=True)
    rows = [(k, crawled.get(k, {}).get("files", 0), final.get(k, {}).get("files", 0),
             human_bytes(crawled.get(k, {}).get("bytes", 0)), human_bytes(final.get(k, {}).get("bytes", 0)),
             _pct(final.get(k, {}).get("bytes", 0), crawled.get(k, {}).get("bytes", 0))) for k in langs]
    return ("<h2 id=\"languages\">Languages</h2>" + _table(
        ["language", "files crawled", "files final", "bytes crawled", "bytes final", "bytes kept %"],
        rows, numeric=range(1, 6)) + _img("languages", "bytes per language before and after"))


def _stage(stages: list[dict], name: str) -> Optional[dict]:
    return next((s for s in stages if s["stage"] == name), None)


def exact_duplicate_summary(out: str) -> dict[str, Any]:
    """Files and bytes removed as exact copies, split by whether the kept copy is in the same repository."""
    summary = {"files": 0, "bytes": 0, "same_repo": 0, "other_repo": 0, "examples": []}
    for row in iter_rows(out, "rejects", ["repo_name", "path", "reason", "detail", "size"]):
        if row["reason"] != "exact_duplicate":
            continue
        summary["files"] += 1
        summary["bytes"] += int(row["size"] or 0)
        survivor = (row["detail"] or "").removeprefix("survivor=")
        summary["same_repo" if survivor.startswith(row["repo_name"] + "/") else "other_repo"] += 1
        if len(summary["examples"]) < 5:
            summary["examples"].append((f"{row['repo_name']}/{row['path']}", survivor))
    return summary


def _exact_section(out: str, stages: list[dict]) -> str:
    stage = _stage(stages, "exact_dedup")
    if stage is None:
        return ""
    d = exact_duplicate_summary(out)
    text = (f"<p>{_n(d['files'], 'file')} ({human_bytes(d['bytes'])}) removed as exact copies of a kept file: "
            f"{d['same_repo']:,} copies of a file in the same repository, {d['other_repo']:,} of a file in "
            f"another repository; {_pct(d['files'], stage['files_in'])} of the files this stage took in.</p>")
    if d["examples"]:
        text += _table(["removed copy", "kept file"], [(f"<code>{html.escape(a)}</code>", f"<code>{html.escape(b)}</code>")
                                                       for a, b in d["examples"]], raw=[0, 1])
    return "<h2 id=\"exact\">Exact duplicates</h2>" + text


def cluster_summary(out: str, top: int = TOP_CLUSTERS) -> dict[str, Any]:
    """Clusters of the ``clusters`` table: counts, sizes and the ``top`` largest with their members.

    Memory: one entry per cluster (member names only for the clusters kept at the end, which
    are chosen by size after one pass, then filled by a second pass)."""
    columns = _columns(out, "clusters")
    if not columns:
        return {"clusters": 0, "repositories": 0, "sizes": {}, "top": [], "jaccard_column": None}
    jaccard = "jaccard" if "jaccard" in columns else "jaccard_estimate"
    sizes: Counter = Counter()
    for row in iter_rows(out, "clusters", ["cluster_id"]):
        sizes[row["cluster_id"]] += 1
    chosen = {cid for cid, _ in heapq.nsmallest(top, sizes.items(), key=lambda kv: (-kv[1], kv[0]))}
    members: dict[str, list] = {cid: [] for cid in chosen}
    survivors: dict[str, str] = {}
    wanted = ["cluster_id", "repo_name", "survivor_repo", jaccard] + (
        ["jaccard_estimate"] if jaccard == "jaccard" else [])
    for row in iter_rows(out, "clusters", wanted):
        if row["cluster_id"] in members:
            survivors[row["cluster_id"]] = row["survivor_repo"]
            if row["repo_name"] != row["survivor_repo"]:
                members[row["cluster_id"]].append((row["repo_name"], row.get(jaccard), row.get("jaccard_estimate")))
    listed = sorted(chosen, key=lambda cid: (-sizes[cid], cid))
    return {"clusters": len(sizes), "repositories": sum(sizes.values()),
            "sizes": dict(Counter(sizes.values())), "jaccard_column": jaccard,
            "top": [{"cluster_id": cid, "size": sizes[cid], "survivor": survivors.get(cid, ""),
                     "members": sorted(members[cid])} for cid in listed]}


def _near_section(out: str, plots: str, stages: list[dict]) -> str:
    stage = _stage(stages, "near_dedup")
    if stage is None:
        return ""
    c = cluster_summary(out)
    removed = stage["rejected_by_reason"].get("near_duplicate", {"files": 0, "bytes": 0})
    head = "<h2 id=\"near\">Near-duplicate clusters</h2>"
    if not c["clusters"]:
        return head + "<p>No near-duplicate repositories.</p>"
    labels = sorted(c["sizes"])
    _bar(os.path.join(plots, "clusters.png"), [str(k) for k in labels], {"clusters": [c["sizes"][k] for k in labels]},
         "Near-duplicate cluster sizes (repositories per cluster)", "clusters")
    verified = c["jaccard_column"] == "jaccard"
    text = (f"<p>{_n(c['repositories'], 'repository', 'repositories')} in {_n(c['clusters'], 'cluster')}; "
            f"{_n(c['repositories'] - c['clusters'], 'repository', 'repositories')} removed, "
            f"{_n(removed['files'], 'file')} ({human_bytes(removed['bytes'])}). Jaccard: "
            + ("the exact Jaccard similarity of each member's shingles to the survivor's (MinHash estimate beside it)."
               if verified else "the MinHash estimate of each member's similarity to the survivor.")
            + (f" The {len(c['top'])} largest clusters:" if c["clusters"] > len(c["top"]) else "") + "</p>")

    def member(name: str, j: Any, est: Any) -> str:
        score = "–" if j is None else f"{j:.3f}"
        if verified and est is not None:
            score += f", est. {est:.3f}"
        return f"<code>{html.escape(name)}</code> ({score})"

    rows = [(t["cluster_id"], t["size"], f"<code>{html.escape(t['survivor'])}</code>",
             "<br>".join(member(*m) for m in t["members"])) for t in c["top"]]
    return (head + text + _table(["cluster", "repositories", "survivor (kept)", "removed members (Jaccard)"],
                                 rows, raw=[2, 3], numeric=[1])
            + _img("clusters", "near-duplicate cluster sizes"))


def quality_summary(out: str) -> dict[str, Any]:
    """Decontamination hits per (benchmark, task) and samples with redactions."""
    hits: dict[tuple[str, str], dict[str, Any]] = {}
    for row in iter_rows(out, "rejects", ["repo_name", "path", "reason", "detail", "size"]):
        if not row["reason"].startswith("decontamination:"):
            continue
        benchmark = row["reason"].split(":", 1)[1]
        task, _, matched = (row["detail"] or "").partition(": ")
        hit = hits.setdefault((benchmark, task), {"files": 0, "bytes": 0, "example": f"{row['repo_name']}/{row['path']}",
                                                  "matched": matched})
        hit["files"] += 1
        hit["bytes"] += int(row["size"] or 0)
    redacted_samples = 0
    for row in iter_rows(out, "samples", ["redactions"]):
        counts = json.loads(row["redactions"] or "{}")
        redacted_samples += any(counts.values())
    return {"decontamination": dict(sorted(hits.items())), "redacted_samples": redacted_samples}


def _quality_section(out: str, ledger: dict, stages: list[dict]) -> str:
    if _stage(stages, "quality") is None:
        return ""
    q = quality_summary(out)
    kinds = ledger.get("breakdowns", {}).get("redactions", {}).get("kind", {})
    parts = ["<h2 id=\"redactions\">Redactions</h2>"]
    if kinds:
        parts.append(f"<p>Values replaced in kept files, by kind; {_n(q['redacted_samples'], 'final sample')} "
                     "with at least one.</p>")
        parts.append(_table(["kind", "values replaced"], [(k, v["files"]) for k, v in sorted(kinds.items())],
                            numeric=[1]))
    else:
        parts.append("<p>No value was redacted.</p>")
    parts.append("<h2 id=\"decontamination\">Decontamination</h2>")
    hits = q["decontamination"]
    if hits:
        files = sum(h["files"] for h in hits.values())
        parts.append(f"<p>{_n(files, 'file')} removed for overlapping {_n(len(hits), 'benchmark task')}.</p>")
        parts.append(_table(["benchmark", "task", "files", "bytes", "example", "matched text"],
                            [(b, t, h["files"], human_bytes(h["bytes"]), f"<code>{html.escape(h['example'])}</code>",
                              f"<code>{html.escape(h['matched'][:120])}</code>") for (b, t), h in hits.items()],
                            raw=[4, 5], numeric=[2, 3]))
    else:
        parts.append("<p>No file matched a benchmark task.</p>")
    return "".join(parts)


def import_summary(out: str, ledger: dict, top: int = 10) -> dict[str, Any]:
    """Import-graph totals (the ledger's sums of ``repo_metrics``), edges per language, the
    order satisfaction of samples, and the ``top`` repositories by imports found."""
    totals = dict(ledger.get("repositories") or {})
    if not totals:  # an older ledger: sum the table
        for row in iter_rows(out, "repo_metrics", [
                "files", "parsed_files", "imports_found", "imports_resolved", "imports_external",
                "imports_unresolved", "edges", "cycles", "files_in_cycles", "components", "order_violations"]):
            totals["repositories"] = totals.get("repositories", 0) + 1
            for k, v in row.items():
                totals[k] = totals.get(k, 0) + int(v)
    metric_columns = ["repo_name", "files", "parsed_files", "imports_found", "imports_resolved",
                      "imports_unresolved", "edges", "cycles", "order_violations"]
    # nlargest keeps ``top`` rows at a time; ties keep the tables' (deterministic) order
    heaviest = heapq.nlargest(top, iter_rows(out, "repo_metrics", metric_columns), key=lambda r: r["imports_found"])
    languages: Counter = Counter()
    for row in iter_rows(out, "edges", ["language"]):
        languages[row["language"]] += 1
    multi = satisfied_sum = fully = 0
    for row in iter_rows(out, "samples", ["n_files", "order_satisfied"]):
        if row["n_files"] > 1 and row["order_satisfied"] is not None and row["order_satisfied"] >= 0:
            multi += 1
            satisfied_sum += row["order_satisfied"]
            fully += row["order_satisfied"] >= 1.0
    return {"totals": totals, "edges_by_language": dict(languages.most_common()),
            "multi_file_samples": multi, "mean_order_satisfied": satisfied_sum / multi if multi else None,
            "fully_satisfied_samples": fully,
            "top": heaviest}


def _imports_section(out: str, ledger: dict) -> str:
    g = import_summary(out, ledger)
    t = g["totals"]
    if not t.get("repositories"):
        return ""
    internal = t.get("imports_resolved", 0) + t.get("imports_unresolved", 0)
    edges = t.get("edges", 0)
    rows = [
        ("repositories ordered", t.get("repositories", 0)),
        ("files / parsed by tree-sitter", f"{t.get('files', 0):,} / {t.get('parsed_files', 0):,}"),
        ("imports found", t.get("imports_found", 0)),
        ("resolved to a file of the repository", f"{t.get('imports_resolved', 0):,} "
         f"({_pct(t.get('imports_resolved', 0), internal)} of the imports that are not external)"),
        ("external (standard library, dependencies)", t.get("imports_external", 0)),
        ("unresolved", t.get("imports_unresolved", 0)),
        ("import edges (distinct file pairs)", edges),
        ("cycles / files in cycles", f"{t.get('cycles', 0):,} / {t.get('files_in_cycles', 0):,}"),
        ("connected components", t.get("components", 0)),
        ("edges against the order / satisfied", f"{t.get('order_violations', 0):,} / "
         f"{_pct(edges - t.get('order_violations', 0), edges)} of the edges"),
    ]
    if g["multi_file_samples"]:
        rows.append(("final samples of several files", f"{g['multi_file_samples']:,}; mean satisfied share "
                     f"{g['mean_order_satisfied']:.3f}, all edges satisfied in {g['fully_satisfied_samples']:,}"))
    parts = ["<h2 id=\"imports\">Import graph</h2>",
             _table(["import graph", "value"], rows)]
    if g["edges_by_language"]:
        parts.append(_table(["language", "import edges"], list(g["edges_by_language"].items()), numeric=[1]))
    if g["top"]:
        parts.append(f"<p>The {len(g['top'])} repositories with the most imports:</p>")
        parts.append(_table(["repository", "files", "parsed", "imports", "resolved", "unresolved", "edges", "cycles",
                             "edges against order"],
                            [(r["repo_name"], r["files"], r["parsed_files"], r["imports_found"], r["imports_resolved"],
                              r["imports_unresolved"], r["edges"], r["cycles"], r["order_violations"]) for r in g["top"]],
                            numeric=range(1, 9)))
    return "".join(parts)


def _shards_section(out: str, plots: str) -> str:
    manifest = _load_json(os.path.join(out, "shards", "manifest.json"))
    if manifest is None:
        return ""
    shards = manifest.get("shards", [])
    docs = sum(s["documents"] for s in shards)
    tokens = sum(s["tokens"] for s in shards)
    tok = manifest.get("tokenizer", {})
    fim = manifest.get("fim", {})
    fim_docs = fim.get("documents", {})
    configured_vocab = _configured(out, "shards", "vocab_size")
    rows = [
        ("documents", docs), ("tokens", tokens),
        ("tokens per document (mean)", f"{tokens / docs:,.0f}" if docs else "–"),
        ("shards", f"{len(shards):,} ({manifest.get('dtype', '?')}; "
                   f"{human_bytes(sum(s.get('bin_bytes', 0) + s.get('idx_bytes', 0) for s in shards))})"),
        ("vocabulary", f"{tok.get('vocab_size', 0):,} tokens: {tok.get('base_vocab_size', 0):,} byte-level BPE "
                       f"+ {len(tok.get('special_tokens', {})):,} special"
                       + (f" (configured {configured_vocab:,}; a small corpus learns fewer merges)"
                          if configured_vocab and configured_vocab != tok.get("base_vocab_size") else "")
                       + f"; tokenizer {tok.get('source', '?')}, sha256 {tok.get('sha256', '')[:12]}"),
        ("fill-in-the-middle", f"rate {fim.get('rate')}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(fim_docs.items()))),
    ]
    parts = ["<h2 id=\"shards\">Shards</h2>", _table(["shards", "value"], rows)]
    languages = manifest.get("languages") or {}
    if languages:
        ordered = sorted(languages.items(), key=lambda kv: (-kv[1]["tokens"], kv[0]))
        shown = ordered[:TOP_ROWS]
        _bar(os.path.join(plots, "tokens.png"), [k for k, _ in shown], {"tokens": [v["tokens"] for _, v in shown]},
             "Tokens per language", "tokens", horizontal=True)
        parts.append("<h3>Tokens per language</h3>" + _table(
            ["language", "tokens", "share"], [(k, v["tokens"], _pct(v["tokens"], tokens)) for k, v in ordered],
            numeric=[1, 2]) + _img("tokens", "tokens per language"))
    return "".join(parts)


def _orders_section(out: str) -> str:
    rows = _first_multi_file_samples(out, 10)
    if not rows:
        return ""
    return ("<h2 id=\"orders\">Sample file orders</h2><p>Files of a few repo-level samples, dependencies first.</p>"
            + _table(["repository", "satisfied edges", "files in order"],
                     [(r["repo_name"], f"{r['order_satisfied']:.2f}", " → ".join(r["paths"])) for r in rows],
                     numeric=[1]))


STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left;vertical-align:top}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}code{font-size:12px}"
    "img{max-width:100%;display:block;margin:0.5em 0}nav a{margin-right:1em}"
    "pre{background:#f6f6f6;padding:1em;font-size:12px;overflow-x:auto}"
)


def build_report(out: str) -> str:
    """Write ``OUT/report.html`` and its plots; returns the report's path."""
    ledger = _load_json(os.path.join(out, "ledger.json"))
    if ledger is None:
        raise FileNotFoundError(f"{out}: no ledger.json (not the output folder of a finished run)")
    plots = os.path.join(out, "report")
    os.makedirs(plots, exist_ok=True)
    stages = ledger["stages"]
    sections = [
        _run_section(out, ledger), _stages_section(plots, stages), _rejects_section(out, plots, stages),
        _languages_section(plots, ledger), _exact_section(out, stages), _near_section(out, plots, stages),
        _quality_section(out, ledger, stages), _imports_section(out, ledger), _shards_section(out, plots),
        _orders_section(out),
    ]
    t = ledger["totals"]
    first, last = (stages[0], stages[-1]) if stages else ({}, {})
    nav = "".join(f'<a href="#{a}">{n}</a>' for a, n in (
        ("run", "Run"), ("stages", "Stages"), ("rejects", "Rejects"), ("languages", "Languages"),
        ("exact", "Exact duplicates"), ("near", "Near duplicates"), ("redactions", "Redactions"),
        ("decontamination", "Decontamination"), ("imports", "Import graph"), ("shards", "Shards"))
        if f'id="{a}"' in "".join(sections))
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>repocurate report</title>"
        f"<style>{STYLE}</style></head><body><h1>repocurate report</h1>"
        f"<p>{t['files_in']:,} files in ({human_bytes(first.get('bytes_in', 0))}), {t['files_kept']:,} kept "
        f"({human_bytes(last.get('bytes_kept', 0))}), {t['files_rejected']:,} rejected; "
        f"ledger balanced: {ledger['balanced']}.</p><nav>{nav}</nav>" + "".join(sections) + "</body></html>\n"
    )
    from pipeline.tables import write_atomic

    return write_atomic(os.path.join(out, "report.html"), page.encode("utf-8"))
