"""A run killed midway and started again on the same output folder ends like a clean run."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

from conftest import output_bytes  # noqa: E402
from pipeline.cli import main




def test_killed_run_then_rerun_equals_a_clean_run(tmp_path):
    clean, resumed = tmp_path / "clean", tmp_path / "resumed"
    assert main(["run", "--output", str(clean), "--quiet"]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--output", str(resumed), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert main(["run", "--output", str(resumed), "--quiet", "--overwrite"]) == 0
    assert output_bytes(resumed) == output_bytes(clean)


def test_partial_outputs_of_an_earlier_run_are_never_kept(tmp_path):
    out = tmp_path / "out"
    assert main(["run", "--output", str(out), "--quiet"]) == 0
    expected = output_bytes(out)
    (out / "_SUCCESS").unlink()
    part = next((out / "files").glob("part-*.parquet"))
    part.write_bytes(part.read_bytes()[:100])
    (out / "files" / ".tmp-part-00000-of-00001.parquet").write_bytes(b"partial")
    (out / "samples" / "part-00009-of-00010.parquet").write_bytes(b"stale")
    assert main(["run", "--output", str(out), "--quiet", "--overwrite"]) == 0
    assert output_bytes(out) == expected


def test_success_marker_is_written_last(tmp_path):
    out = tmp_path / "out"
    assert main(["run", "--output", str(out), "--quiet"]) == 0
    marker = (out / "_SUCCESS").stat().st_mtime_ns
    assert all(p.stat().st_mtime_ns <= marker for p in out.rglob("*") if p.is_file())
