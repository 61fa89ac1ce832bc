"""Operator errors: one line naming the problem and the fix, exit 2 for usage errors, 1 when
nothing is curated, 130 for Ctrl-C, checked before the pipeline starts (issue 15, items 2, 3, 8)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline.run
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return err


def never_run(*args, **kwargs):
    raise AssertionError("the pipeline must not start")


@pytest.fixture
def no_pipeline(monkeypatch):
    monkeypatch.setattr(pipeline.run, "build_pipeline", never_run)


@pytest.mark.parametrize("command", [["config", "--config"], ["run", "--output", "OUT", "--config"]])
def test_missing_config_file_is_one_line_and_exit_2(command, tmp_path, capsys, no_pipeline):
    command = [str(tmp_path / "o") if c == "OUT" else c for c in command]
    assert main([*command, str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml: no such file" in one_line_error(capsys)


def test_output_that_is_a_file_fails_before_the_pipeline(tmp_path, capsys, no_pipeline):
    (tmp_path / "out.txt").write_text("x")
    assert main(["run", "--output", str(tmp_path / "out.txt")]) == 2
    assert "is a file, not a folder" in one_line_error(capsys)


def test_parquet_glob_matching_nothing_fails_before_the_pipeline(tmp_path, capsys, no_pipeline):
    assert main(["run", "--input", str(tmp_path / "*.parquet"), "--output", str(tmp_path / "o")]) == 2
    assert "no Parquet file matches" in one_line_error(capsys)


def test_config_value_out_of_range_fails_the_run_before_the_pipeline(tmp_path, capsys, no_pipeline):
    config = tmp_path / "c.yaml"
    config.write_text("ordering:\n  ordering: foo\n")
    assert main(["run", "--output", str(tmp_path / "o"), "--config", str(config)]) == 2
    assert "ordering.ordering: foo is not allowed (allowed: one of max_satisfied, paper)" in one_line_error(capsys)


def test_decontaminate_with_a_missing_file_fails_before_the_pipeline(tmp_path, capsys, no_pipeline):
    assert main(["run", "--output", str(tmp_path / "o"), "--decontaminate-with", str(tmp_path / "none.jsonl")]) == 2
    assert f"--decontaminate-with {tmp_path / 'none.jsonl'}: no such file" in one_line_error(capsys)


def test_tokenizer_that_does_not_exist_fails_before_the_pipeline(tmp_path, capsys, no_pipeline):
    assert main(["run", "--output", str(tmp_path / "o"), "--tokenizer", str(tmp_path / "tok.json")]) == 2
    assert "--tokenizer" in one_line_error(capsys) and not (tmp_path / "o").exists()


def test_report_on_a_folder_without_a_run_is_exit_2(tmp_path, capsys):
    assert main(["report", "--output", str(tmp_path / "nope")]) == 2
    assert "no such folder" in one_line_error(capsys)


def test_train_on_missing_data_is_exit_2(tmp_path, capsys):
    assert main(["train", "--data", str(tmp_path / "nope"), "--preset", "tiny", "--max-steps", "3",
                 "--out", str(tmp_path / "run")]) == 2
    assert "no such folder" in one_line_error(capsys)


@pytest.fixture
def shards(tmp_path) -> Path:
    folder = tmp_path / "shards"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}")
    return folder


def test_train_without_torch_names_the_install_command(shards, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch raises ImportError
    assert main(["train", "--data", str(shards), "--preset", "tiny", "--max-steps", "3", "--out", str(tmp_path / "r")]) == 2
    assert "pip install -e '.[train]'" in one_line_error(capsys)


def test_train_on_cuda_without_cuda_is_exit_2(shards, tmp_path, capsys):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert main(["train", "--data", str(shards), "--preset", "tiny", "--max-steps", "3", "--out", str(tmp_path / "r"),
                 "--device", "cuda"]) == 2
    assert "no CUDA device is available" in one_line_error(capsys)


def test_train_max_steps_0_is_a_usage_error(shards, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--data", str(shards), "--preset", "tiny", "--max-steps", "0", "--out", str(tmp_path / "r")])
    assert exit_info.value.code == 2 and "--max-steps: 0 is below 1" in capsys.readouterr().err


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.startswith("repocurate ")


def test_complete_that_generates_only_whitespace_prints_a_hint(tmp_path, capsys, monkeypatch):
    import trainer.cli
    import trainer.generate

    monkeypatch.setattr(trainer.cli, "check_complete", lambda args: None)
    monkeypatch.setattr(trainer.generate, "run_completion", lambda *args, **kwargs: "\n\n\n")
    (tmp_path / "metrics.jsonl").write_text(json.dumps({"step": 30, "loss": 7.1}) + "\n")
    assert main(["complete", "--checkpoint", str(tmp_path), "--prompt", "def add(a, b):"]) == 0
    err = capsys.readouterr().err
    assert "only whitespace after 30 training steps" in err and "--max-steps" in err


def test_ctrl_c_during_a_run_exits_130_in_one_line(tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--output", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    import time

    deadline = time.monotonic() + 60
    while not (out / ".repocurate-run.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the pipeline is running
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130 and err.strip() == "repocurate: interrupted"


# Inputs that fail as a whole (item 3)

def test_no_readable_input_exits_1_before_the_pipeline_with_a_warning_per_input(tmp_path, capsys, no_pipeline):
    (tmp_path / "empty").mkdir()
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"garbage")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"name": "x"}) + "\n")
    inputs = [str(tmp_path / "empty"), str(broken), "file:///nonexistent", str(manifest)]
    assert main(["run", "--input", *inputs, "--output", str(tmp_path / "o")]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len([line for line in lines if "warning: input failed as a whole" in line]) == 4
    assert "no input could be read" in lines[-1]
    assert not (tmp_path / "o").exists()


def test_a_run_that_keeps_nothing_exits_1_and_leaves_no_tokenizer(tmp_path, make_repo, capsys):
    repo = make_repo("blobs", {"a.bin.c": b"\x00\x01\x02", "b.c": b"int x;\x00"})
    out = tmp_path / "out"
    assert main(["run", "--input", str(repo), "--output", str(out), "--quiet"]) == 1
    assert "nothing was kept, all 2 files were rejected" in one_line_error(capsys)
    assert not (out / "shards").exists() and not (out / "_SUCCESS").exists()
    assert json.loads((out / "ledger.json").read_text())["totals"]["files_rejected"] == 2
    assert main(["run", "--input", str(repo), "--output", str(out), "--quiet", "--overwrite", "--allow-empty"]) == 0
    assert (out / "_SUCCESS").exists() and not (out / "shards").exists()


def test_a_failed_repository_is_warned_and_not_counted_as_a_file(tmp_path, make_repo, capsys):
    good = make_repo("good", {"a.py": "def area(w, h):\n    return w * h\n"})
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK not really")
    out = tmp_path / "out"
    assert main(["run", "--input", str(good), str(broken), "--output", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "warning: input failed as a whole: " + str(broken) in captured.err
    assert "(1 could not be read); 1 files in, 1 kept, 0 rejected" in captured.out
    ledger = json.loads((out / "ledger.json").read_text())
    assert ledger["stages"][0]["files_in"] == 1 and len(ledger["inputs_failed"]) == 1
