"""``repocurate run --engine spark`` (issue 17): the flow on PySpark RDDs in local mode writes
byte-identical outputs to the Beam in-process run, whatever the master's worker count and the
partitions per step; a Spark run imports no Beam and a Beam run no PySpark."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pyspark")

from conftest import output_bytes  # noqa: E402
from pipeline.cli import main  # noqa: E402
from test_run_end_to_end import corpus  # noqa: E402,F401  (the fixture: one input of every kind)

ROOT = Path(__file__).resolve().parents[1]

# A sitecustomize (on PYTHONPATH, so Spark's Python workers load it too) that refuses to import
# one framework and records every attempt.
BLOCKER = '''
import os, sys

class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == os.environ["REPOCURATE_BLOCKED"]:
            with open(os.environ["REPOCURATE_BLOCKED_LOG"], "a") as fh:
                fh.write(f"{os.getpid()} {name}\\n")
            raise ImportError(f"{name} is blocked in this test")
        return None

sys.meta_path.insert(0, _Block())
'''


def run_blocking(tmp_path: Path, blocked: str, args: list[str]) -> tuple[str, str]:
    """``repocurate run ARGS`` in a fresh interpreter where ``blocked`` cannot be imported;
    returns the attempts to import it (none expected) and the run's stderr."""
    site = tmp_path / f"no-{blocked}"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER)
    log = tmp_path / f"{blocked}-imports.log"
    log.write_text("")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "REPOCURATE_BLOCKED": blocked, "REPOCURATE_BLOCKED_LOG": str(log)}
    code = textwrap.dedent(f"""
        import sys
        from pipeline.cli import main
        code = main({args!r})
        assert "{blocked}" not in sys.modules
        sys.exit(code)
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return log.read_text(), proc.stderr


@pytest.fixture(scope="module")
def beam_run(tmp_path_factory):
    """The Beam in-process run of the bundled corpus, with PySpark impossible to import."""
    tmp = tmp_path_factory.mktemp("beam")
    out = tmp / "out"
    assert run_blocking(tmp, "pyspark", ["run", "--output", str(out), "--quiet"])[0] == ""
    return output_bytes(out)


def spark_run(out: Path, *args: str, inputs=()) -> dict:
    argv = ["run", "--output", str(out), "--quiet", "--engine", "spark", *args]
    assert main([*argv, "--input", *inputs] if inputs else argv) == 0
    return output_bytes(out)


def test_spark_run_imports_no_beam_and_equals_the_beam_run(beam_run, tmp_path):
    out = tmp_path / "out"
    attempts, stderr = run_blocking(tmp_path, "apache_beam",
                                    ["run", "--output", str(out), "--engine", "spark", "--spark-master", "local[2]"])
    assert attempts == ""
    # nothing from the JVM, Spark's logs or its Python workers reaches the terminal
    assert all(line.startswith("repocurate") for line in stderr.splitlines() if line.strip()), stderr
    assert output_bytes(out) == beam_run
    ledger = json.loads((out / "ledger.json").read_text())
    assert ledger["balanced"]
    t = ledger["totals"]
    assert t["files_in"] == t["files_kept"] + t["files_rejected"] > 0
    record = json.loads((out / "_stats" / "run.json").read_text())
    assert (record["engine"], record["spark_master"], record["spark_conf"]["spark.ui.enabled"]) == \
        ("spark", "local[2]", "false")
    assert "beam" not in record and "beam_args" not in record


def test_one_worker_thread_gives_the_same_outputs(beam_run, tmp_path):
    out = tmp_path / "out"
    assert spark_run(out, "--spark-master", "local[1]") == beam_run  # one partition per step
    record = json.loads((out / "_stats" / "run.json").read_text())
    assert (record["spark_master"], record["runner"]) == ("local[1]", "Spark, master local[1], 1 partition(s)")
    assert json.loads((out / "ledger.json").read_text())["balanced"]


def test_every_source_kind_on_spark_equals_beam(corpus, tmp_path):  # noqa: F811
    beam_out, spark_out = tmp_path / "beam", tmp_path / "spark"
    assert main(["run", "--input", *corpus, "--output", str(beam_out), "--quiet"]) == 0
    # more partitions (work units, shuffle partitions) than worker threads
    spark = spark_run(spark_out, "--spark-master", "local[2]", "--spark-conf", "spark.default.parallelism=3",
                      inputs=corpus)
    beam = output_bytes(beam_out)
    assert sorted(spark) == sorted(beam)
    for name in beam:
        assert spark[name] == beam[name], name
    ledger = json.loads((spark_out / "ledger.json").read_text())
    assert ledger["balanced"] and len(ledger["inputs_failed"]) == 2
    record = json.loads((spark_out / "_stats" / "run.json").read_text())
    assert record["runner"] == "Spark, master local[2], 3 partition(s)"
    assert record["spark_conf"]["spark.default.parallelism"] == "3"


def test_engine_operations_on_small_collections():
    from pipeline.engines.spark import SparkEngine, SparkRun
    from pipeline.flow import lpt_units

    run = SparkRun("local[2]", [])
    run.start()
    try:
        e = SparkEngine(run.session.sparkContext)
        empty = e.create("Empty", [])
        assert e.combine("Sum", empty, int, lambda a, x: a + x, lambda a, b: a + b).collect() == [0]
        assert e.side(e.combine("List", empty, list, lambda a, x: a + [x], lambda a, b: a + b, sorted)).value == []
        pairs = e.create("Pairs", [("a", 1), ("b", 2), ("a", 3)])
        assert sorted((k, sorted(v)) for k, v in e.group_by_key("G", pairs).collect()) == [("a", [1, 3]), ("b", [2])]
        joined = e.co_group("J", {"x": pairs, "y": e.create("Y", [("c", 9)])})
        assert sorted((k, sorted(d["x"]), d["y"]) for k, d in joined.collect()) == \
            [("a", [1, 3], []), ("b", [2], []), ("c", [], [9])]
        big = e.side(e.create("Big", ["x" * 100_000]))  # travels as a broadcast variable
        assert big.broadcast is not None
        assert e.flat_map("Len", pairs, lambda kv, s: [len(s)], big).collect() == [100_000] * 3
        weighted = [(w, f"r{w}", f"item{w}") for w in (5, 1, 4, 2, 3)]
        units = e.balance("B", e.create("W", weighted), 2).collect()
        assert sorted(units) == sorted(items for _, items in lpt_units(weighted, 2))
        assert sorted(e.balance("B0", e.create("W0", weighted), 0).collect()) == sorted([w[2]] for w in weighted)
        e.run([pairs])
    finally:
        run.stop()


@pytest.mark.parametrize("args, message", [
    (["--engine", "flink"], "invalid choice: 'flink'"),
    (["--engine", "spark", "--spark-master", "local[0]"], "'local[0]' is not a Spark master URL"),
    (["--engine", "spark", "--spark-master", "sc://host:15002"], "a Spark Connect URL"),
    (["--engine", "spark", "--spark-conf", "spark.driver.memory"], "is not KEY=VALUE"),
    (["--spark-master", "local[2]"], "--spark-master applies to --engine spark only"),
    (["--spark-conf", "a=b"], "--spark-conf applies to --engine spark only"),
    (["--engine", "spark", "--runner", "DataflowRunner"], "Beam pipeline options apply to --engine beam only"),
])
def test_bad_engine_options_are_one_line_usage_errors(args, message, tmp_path, capsys):
    try:
        code = main(["run", "--output", str(tmp_path / "out"), *args])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and message in err, err
    assert not (tmp_path / "out").exists()


def test_run_help_names_the_engine_options(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for word in ("--engine {beam,spark}", "--spark-master MASTER", "--spark-conf KEY=VALUE", "local[N]"):
        assert word in text, word
