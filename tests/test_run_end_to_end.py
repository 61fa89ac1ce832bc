"""End-to-end runs of ``repocurate run`` (in-process DirectRunner) over every source kind."""
from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import output_bytes  # noqa: E402
from pipeline.cli import main

PY_MODULE = '"""Unit conversions."""\n\n\ndef celsius_to_kelvin(value: float) -> float:\n    return value + 273.15\n'


def read_table(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / name).to_pylist()


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def corpus(tmp_path, make_repo):
    """One input of every kind, with planted bad files."""
    folders = tmp_path / "folders"
    make_repo("alpha", {
        "alpha/__init__.py": PY_MODULE, "alpha/units.py": PY_MODULE.replace("Unit", "More unit"),
        "data.json": '{"a": 1}', "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "copy_of_beta.py": "def beta():\n    return 'beta is the second letter'\n",
        **{f"alpha/m{i}.py": PY_MODULE.replace("Unit", f"Module {i} unit") for i in range(3)},
    }, parent=folders)
    make_repo("beta", {"beta.py": "def beta():\n    return 'beta is the second letter'\n"}, parent=folders)

    sdist = make_repo("tool-1.0", {"tool/cli.py": "import sys\n\nprint(sys.argv[1:])\n"})
    archive = tmp_path / "tool-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(sdist, arcname="tool-1.0")
        evil = tarfile.TarInfo("tool-1.0/../../evil.py")
        data = b"print('escaped')\n"
        evil.size = len(data)
        import io
        tar.addfile(evil, io.BytesIO(data))

    origin = make_repo("gitrepo", {"main.go": "package main\n\nfunc main() {\n\tprintln(\"hello\")\n}\n"})
    git("init", "-q", cwd=origin)
    git("add", ".", cwd=origin)
    git("commit", "-q", "-m", "init", cwd=origin)

    stack = tmp_path / "stack.parquet"
    pq.write_table(pa.Table.from_pylist([
        {"repo_name": "org/stackrepo", "path": "src/lib.rs", "content": "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
         "license": "MIT", "stars": 7},
        {"repo_name": "org/stackrepo", "path": "bin/blob.c", "content": "int x;\x00", "license": "MIT", "stars": 7},
    ]), stack)

    manifest = tmp_path / "repos.jsonl"
    manifest.write_text(
        json.dumps({"url": f"file://{origin}", "name": "acme/gitrepo", "stars": 3, "license": "Apache-2.0"}) + "\n"
        + json.dumps({"path": "does/not/exist", "name": "ghost"}) + "\n"
    )
    return [str(folders), str(archive), str(manifest), str(stack), "ext::sh -c touch% /tmp/pwned"]


def run(inputs, out: Path, *extra: str) -> None:
    assert main(["run", "--input", *inputs, "--output", str(out), *extra]) == 0


def test_every_source_kind_reaches_files_or_rejects(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    files = {(r["repo_name"], r["path"]) for r in read_table(out, "files")}
    assert {("alpha", "alpha/units.py"), ("tool-1.0", "tool/cli.py"), ("acme/gitrepo", "main.go"),
            ("org/stackrepo", "src/lib.rs")} <= files
    reasons = {(r["repo_name"], r["path"]): r["reason"] for r in read_table(out, "rejects")}
    assert reasons[("alpha", "logo.png")] == "binary:nul"
    assert reasons[("alpha", "data.json")] == "data_size:too_small"
    assert reasons[("tool-1.0", "tool-1.0/../../evil.py")] == "archive:path_traversal"
    assert reasons[("org/stackrepo", "bin/blob.c")] == "binary:nul"
    assert reasons[("ghost", "")] == "input:invalid"
    assert "git:url_refused" in {reason for (_, path), reason in reasons.items() if path == ""}


def test_exact_duplicate_keeps_one_copy_and_names_the_survivor(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    dup = [r for r in read_table(out, "rejects") if r["reason"] == "exact_duplicate"]
    assert len(dup) == 1 and dup[0]["stage"] == "exact_dedup"
    kept = [r for r in read_table(out, "files") if r["path"] in ("beta.py", "copy_of_beta.py")]
    assert len(kept) == 1 and dup[0]["detail"] == f"survivor={kept[0]['repo_name']}/{kept[0]['path']}"
    # the copy stays in the repository it is the larger share of (beta's only file)
    assert (kept[0]["repo_name"], dup[0]["repo_name"]) == ("beta", "alpha")


def test_ledger_balances_and_counts_every_input_file(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    ledger = json.loads((out / "ledger.json").read_text())
    totals = ledger["totals"]
    assert ledger["balanced"] and totals["files_in"] == totals["files_kept"] + totals["files_rejected"]
    assert totals["files_kept"] == len(read_table(out, "files"))
    rejects = read_table(out, "rejects")
    # a repository that could not be read (ghost, ext::) is a reject row but no file
    assert totals["files_rejected"] == len([r for r in rejects if r["path"]])
    failed = [r["repo_name"] for r in rejects if not r["path"]]
    assert len(failed) == 2 and "ghost" in failed
    assert len(ledger["inputs_failed"]) == 2
    assert [s["stage"] for s in ledger["stages"]] == [
        "crawl", "licenses", "file_filters", "near_dedup", "exact_dedup", "ordering", "quality"]


def test_same_input_gives_byte_identical_outputs(corpus, tmp_path):
    run(corpus, tmp_path / "a")
    run(corpus, tmp_path / "b")
    a, b = output_bytes(tmp_path / "a"), output_bytes(tmp_path / "b")
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


def test_a_stage_that_drops_a_file_silently_fails_the_run(corpus, tmp_path, monkeypatch, capsys):
    import pipeline.repo_steps as steps

    def drop_copies_silently(files, copies, max_repo_share):
        return [r for r in files if steps.file_id(r) not in copies], []

    monkeypatch.setattr(steps, "drop_copies", drop_copies_silently)
    # in-process, so that the patched function is the one the workers call
    assert main(["run", "--input", *corpus, "--output", str(tmp_path / "out"),
                 "--direct_running_mode", "in_memory"]) == 2
    assert "'exact_dedup' does not balance" in capsys.readouterr().err


def test_sample_corpus_runs_with_no_input(sample_run):
    out = sample_run
    ledger = json.loads((out / "ledger.json").read_text())
    reasons = {reason for stage in ledger["stages"] for reason in stage["rejected_by_reason"]}
    assert {"binary:nul", "xml", "html:visible_text", "data_size:too_small", "data_size:too_large",
            "generated:header", "vendored:path"} <= reasons
    # the README quotes the vocabulary this run trains (fewer than the 32,000 ceiling)
    vocab = json.loads((out / "shards" / "manifest.json").read_text())["tokenizer"]["vocab_size"]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert vocab < 32_000 and f"= {vocab:,} (`OUT/shards/manifest.json`" in readme


def test_every_curated_file_is_in_exactly_one_sample(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    files = sorted((r["repo_name"], r["path"]) for r in read_table(out, "files"))
    in_samples = sorted((s["repo_name"], p) for s in read_table(out, "samples") for p in s["paths"])
    assert in_samples == files


def test_sample_corpus_gives_import_edges_in_several_languages(sample_run):
    out = sample_run
    languages = {e["language"] for e in read_table(out, "edges")}
    assert {"python", "javascript", "typescript", "java", "c", "go", "rust"} <= languages
    ledger = json.loads((out / "ledger.json").read_text())
    assert ledger["repositories"]["edges"] == len(read_table(out, "edges"))
    samples = read_table(out, "samples")
    forecast = next(s for s in samples if "src/weatherlib/forecast.py" in s["paths"])
    assert forecast["paths"].index("src/weatherlib/units.py") < forecast["paths"].index("src/weatherlib/forecast.py")


def test_quality_stage_decontaminates_redacts_and_tokenizes_the_sample_corpus(sample_run):
    out = sample_run
    rejects = {(r["path"], r["reason"]) for r in read_table(out, "rejects") if r["stage"] == "quality"}
    assert ("src/weatherlib/mathutil.py", "decontamination:HumanEval") in rejects
    text = "\n".join(s["text"] for s in read_table(out, "samples"))
    assert "AKIA" not in text and "<KEY>" in text
    ledger = json.loads((out / "ledger.json").read_text())
    assert ledger["shards"]["documents"] == len(read_table(out, "samples"))
    from tokenize_shards import open_shards

    assert open_shards(str(out / "shards")).num_documents == ledger["shards"]["documents"]


def test_decontaminate_with_an_extra_benchmark_file(tmp_path, make_repo):
    repo = make_repo("leaky", {"solve.py": "def secret_task(values):\n    return sorted(set(values), reverse=True)[:3]\n"})
    bench = tmp_path / "bench.jsonl"
    bench.write_text(json.dumps({"task_id": "Mine/7", "benchmark": "MyBench",
                                 "canonical_solution": "return sorted(set(values), reverse=True)[:3]"}) + "\n")
    out = tmp_path / "out"
    assert main(["run", "--input", str(repo), "--output", str(out), "--quiet", "--allow-empty",
                 "--decontaminate-with", str(bench)]) == 0  # its only file is the contaminated one
    (reject,) = [r for r in read_table(out, "rejects") if r["stage"] == "quality"]
    assert reject["reason"] == "decontamination:MyBench" and "Mine/7" in reject["detail"]


def test_a_rule_that_raises_rejects_its_files_instead_of_failing_the_run(tmp_path, make_repo, monkeypatch):
    import filters.quality_stage as quality_stage

    def explode(*args, **kwargs):
        raise RuntimeError("rule bug")

    monkeypatch.setattr(quality_stage, "split_sample", explode)
    repo = make_repo("solo", {"a.py": "def area(w, h):\n    return w * h\n" * 5})
    out = tmp_path / "out"
    assert main(["run", "--input", str(repo), "--output", str(out), "--quiet", "--allow-empty",
                 "--direct_running_mode", "in_memory"]) == 0  # in-process: the workers see the patch
    (reject,) = [r for r in read_table(out, "rejects") if r["stage"] == "quality"]
    assert (reject["path"], reject["reason"]) == ("a.py", "quality:error") and "rule bug" in reject["detail"]


def test_small_parts_give_every_table_all_its_parts_with_every_row_once(tmp_path):
    config = tmp_path / "small_parts.yaml"
    config.write_text("output:\n  target_part_bytes: 3000\n")
    out, reference = tmp_path / "out", tmp_path / "reference"
    assert main(["run", "--output", str(reference), "--quiet"]) == 0
    assert main(["run", "--output", str(out), "--quiet", "--config", str(config)]) == 0
    for table in ("files", "samples", "rejects", "edges"):
        parts = sorted(p.name for p in (out / table).glob("part-*.parquet"))
        count = int(parts[0].split("-of-")[1].split(".")[0])
        assert count > 1 and parts == [f"part-{i:05d}-of-{count:05d}.parquet" for i in range(count)], table
        key = lambda r: json.dumps(r, sort_keys=True, default=str)  # noqa: E731
        assert sorted(map(key, read_table(out, table))) == sorted(map(key, read_table(reference, table))), table
    # a repository's rows share a part, so with more parts than repositories some are empty
    samples = list((out / "samples").glob("part-*.parquet"))
    assert len(samples) > len({r["repo_name"] for r in read_table(out, "samples")})
    assert any(pq.read_metadata(p).num_rows == 0 for p in samples)


def test_parquet_repository_named_like_a_folder_repository_stays_separate(tmp_path, make_repo):
    folder = make_repo("same", {"a.py": "def a():\n    return 'from the folder input'\n"})
    manifest = tmp_path / "repos.jsonl"
    manifest.write_text(json.dumps({"path": str(folder), "name": "org/same"}) + "\n")
    stack = tmp_path / "stack.parquet"
    pq.write_table(pa.Table.from_pylist([
        {"repo_name": "org/same", "path": "b.py", "content": "def b():\n    return 'from the parquet input'\n"},
    ]), stack)
    out = tmp_path / "out"
    run([str(manifest), str(stack)], out)
    assert sorted((r["repo_name"], r["path"]) for r in read_table(out, "files")) == [
        ("org/same", "a.py"), ("org/same~2", "b.py")]
    assert sorted((r["repo_name"], r["paths"]) for r in read_table(out, "samples")) == [
        ("org/same", ["a.py"]), ("org/same~2", ["b.py"])]
