"""The data report (issue 15, item 7): each section with the run's own numbers, valid and
self-contained HTML, memory-bounded reading, and a stage list taken from the ledger."""
from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.report import build_report, cluster_summary, human_bytes


@pytest.fixture(scope="module")
def page(sample_run) -> str:
    return (sample_run / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ledger(sample_run) -> dict:
    return json.loads((sample_run / "ledger.json").read_text())


def rows_of(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / table).to_pylist()


def cells(*values) -> str:
    """Consecutive table cells as the report writes them: counts and sizes right-aligned."""
    def cell(v) -> str:
        if isinstance(v, int):
            return f'<td class="n">{v:,}</td>'
        if re.fullmatch(r"[\d.,]+ k?[MG]?B", str(v)):
            return f'<td class="n">{v}</td>'
        return f"<td>{v}</td>"
    return "".join(map(cell, values))


def test_report_is_valid_html5(page):
    html5lib.HTMLParser(strict=True).parse(page)  # raises on the first parse error


def test_report_is_self_contained_and_every_image_exists(sample_run, page):
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page) and "url(" not in page
    images = re.findall(r'<img src="([^"]+)" alt="[^"]+">', page)
    assert {Path(src).stem for src in images} == {
        "stages_files", "stages_bytes", "rejects", "rejects_bytes", "languages", "clusters", "tokens"}
    for src in images:
        assert (sample_run / src).read_bytes().startswith(b"\x89PNG"), src


def test_run_section_names_inputs_date_version_configuration_and_stage_spans(sample_run, page, ledger):
    from importlib.metadata import version

    record = json.loads((sample_run / "_stats" / "run.json").read_text())
    assert record["inputs"][0].endswith("sample_corpus") and record["inputs"][0] in page
    assert f">{record['started_utc'][:10]}" in page and f"repocurate {version('repocurate')}" in page
    assert [s["stage"] for s in record["stage_active_s"]] == [s["stage"] for s in ledger["stages"]]
    assert all(s["active_s"] > 0 for s in record["stage_active_s"])
    for stage in record["stage_active_s"]:
        assert f"<tr><td>{stage['stage']}</td><td class=\"n\"><time" in page
    assert "<summary>Configuration (<code>config.yaml</code>)</summary><pre>crawl:" in page


def test_every_reject_reason_shows_files_bytes_and_example_paths(sample_run, page, ledger):
    for stage in ledger["stages"]:
        for reason, v in stage["rejected_by_reason"].items():
            assert cells(stage["stage"], reason, v["files"], human_bytes(v["bytes"])) in page, (stage["stage"], reason)
    row = page.split(cells("crawl", "binary:nul"))[1].split("</tr>")[0]
    assert "<code>weatherlib/docs/logo.png</code>" in row


def test_near_duplicate_clusters_show_members_survivor_and_jaccard(sample_run, page):
    clusters = rows_of(sample_run, "clusters")
    removed = [c for c in clusters if c["repo_name"] != c["survivor_repo"]]
    assert removed
    for c in removed:
        assert f"<code>{c['survivor_repo']}</code>" in page
        assert f"<code>{c['repo_name']}</code> ({c.get('jaccard', c['jaccard_estimate']):.3f}" in page


def test_exact_duplicates_are_counted_in_files_and_bytes(sample_run, page, ledger):
    (stage,) = [s for s in ledger["stages"] if s["stage"] == "exact_dedup"]
    dup = stage["rejected_by_reason"]["exact_duplicate"]
    files = f"{dup['files']:,} file" + ("" if dup["files"] == 1 else "s")
    assert f"<p>{files} ({human_bytes(dup['bytes'])}) removed as exact copies" in page


def test_redactions_are_listed_by_kind(page, ledger):
    kinds = ledger["breakdowns"]["redactions"]["kind"]
    assert {"email", "key"} <= set(kinds)
    for kind, v in kinds.items():
        assert cells(kind, v["files"]) in page


def test_decontamination_hits_are_listed_by_benchmark_task(sample_run, page):
    hits = [r for r in rows_of(sample_run, "rejects") if r["reason"].startswith("decontamination:")]
    assert hits
    for r in hits:
        task = r["detail"].split(": ")[0]
        assert cells(r["reason"].split(":")[1], task, 1, human_bytes(r["size"])) in page
        assert f"<code>{r['repo_name']}/{r['path']}</code>" in page


def test_import_graph_statistics_match_the_ledger_and_the_samples(sample_run, page, ledger):
    t = ledger["repositories"]
    assert f"<td>imports found</td><td>{t['imports_found']:,}</td>" in page
    internal = t["imports_resolved"] + t["imports_unresolved"]
    assert f"{t['imports_resolved']:,} ({100 * t['imports_resolved'] / internal:.3g} % of the imports" in page
    satisfied = 100 * (t["edges"] - t["order_violations"]) / t["edges"]
    assert f"{t['order_violations']:,} / {satisfied:.3g} % of the edges" in page
    assert f"{t['cycles']:,} / {t['files_in_cycles']:,}" in page
    multi = [s for s in rows_of(sample_run, "samples") if s["n_files"] > 1]
    assert f"final samples of several files</td><td>{len(multi):,};" in page
    edges = rows_of(sample_run, "edges")
    python = sum(e["language"] == "python" for e in edges)
    assert cells("python", python) in page


def test_shard_totals_tokens_per_language_and_vocabulary_match_the_manifest(sample_run, page):
    manifest = json.loads((sample_run / "shards" / "manifest.json").read_text())
    tok = manifest["tokenizer"]
    assert f"<td>documents</td><td>{manifest['documents']:,}</td>" in page
    assert f"<td>tokens</td><td>{manifest['tokens']:,}</td>" in page
    assert f"<td>vocabulary</td><td>{tok['vocab_size']:,} tokens: {tok['base_vocab_size']:,} byte-level BPE" in page
    for language, v in manifest["languages"].items():
        assert f"<tr><td>{language}</td><td class=\"n\">{v['tokens']:,}</td>" in page


def test_small_runs_keep_their_units_instead_of_rounding_to_zero(page):
    assert "0.000" not in page and "0.00 MB" not in page
    assert re.search(r">\d+ B<", page)  # a reject reason of a few bytes, in bytes


def test_sections_follow_the_ledgers_stages_and_read_the_verified_jaccard(tmp_path):
    """A run with the stages in another order and a clusters table with exact Jaccard values."""
    stages = ["crawl", "file_filters", "near_dedup", "exact_dedup", "ordering", "quality"]

    def stage(name, files_in, kept, reasons=None):
        reasons = reasons or {}
        return {"stage": name, "files_in": files_in, "bytes_in": files_in * 100, "files_kept": kept,
                "bytes_kept": kept * 100, "files_rejected": files_in - kept, "rejected_by_reason": reasons}

    ledger = {"stages": [stage("crawl", 10, 10), stage("file_filters", 10, 10),
                         stage("near_dedup", 10, 6, {"near_duplicate": {"files": 4, "bytes": 400}}),
                         stage("exact_dedup", 6, 6), stage("ordering", 6, 6), stage("quality", 6, 6)],
              "totals": {"files_in": 10, "files_kept": 6, "files_rejected": 4}, "balanced": True, "breakdowns": {}}
    (tmp_path / "ledger.json").write_text(json.dumps(ledger))
    (tmp_path / "clusters").mkdir()
    pq.write_table(pa.Table.from_pylist([
        {"cluster_id": "c1", "repo_name": "a", "survivor_repo": "a", "jaccard_estimate": 1.0, "jaccard": 1.0},
        {"cluster_id": "c1", "repo_name": "b", "survivor_repo": "a", "jaccard_estimate": 0.81, "jaccard": 0.7954},
    ]), tmp_path / "clusters" / "part-00000-of-00001.parquet", row_group_size=1)
    page = Path(build_report(str(tmp_path))).read_text()
    order = [m for m in re.findall(r"<tr><td>(\w+)</td><td class=\"n\">", page) if m in stages]
    assert order[:6] == stages
    assert "<code>b</code> (0.795, est. 0.810)" in page
    assert cluster_summary(str(tmp_path))["jaccard_column"] == "jaccard"
    assert "No run record" in page
