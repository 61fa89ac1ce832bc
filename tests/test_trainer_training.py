"""Training end to end on shards of the bundled sample corpus: learning, exact resume,
checkpoints and metrics, completion from the trained run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from pipeline.cli import main
from tokenize_shards import open_shards
from trainer.data import split_windows
from trainer.generate import (Sampling, completion_prompt_ids, fill_in_middle, generate_ids, load_run,
                              stop_ids)
from trainer.train import CHECKPOINT, METRICS, RunError, config_from_preset, load_checkpoint, train


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One torch thread: the CPUs are shared, and oversubscribed BLAS threads crawl."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def repocurate(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> str:
    """The shards of `repocurate run` on the bundled sample corpus."""
    out = tmp_path_factory.mktemp("curated")
    assert repocurate("run", "--output", str(out), "--quiet") == 0
    return str(out / "shards")


@pytest.fixture(scope="module")
def trained(shards, tmp_path_factory) -> Path:
    """The tiny preset trained 200 steps through `repocurate train`."""
    run = tmp_path_factory.mktemp("run")
    assert repocurate("train", "--data", shards, "--preset", "tiny", "--max-steps", "200",
                      "--out", str(run), "--eval-interval", "100", "--log-interval", "10") == 0
    return run


def metrics(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / METRICS).read_text(encoding="utf-8").splitlines()]


def unigram_loss(shards: str, seq_len: int, eval_windows: int) -> float:
    """Held-out loss of token frequencies counted on the training windows."""
    windows = open_shards(shards).windows(seq_len)
    train_ids, held_out = split_windows(len(windows), eval_windows)
    counts = np.bincount(np.concatenate([windows[int(i)].tokens[1:] for i in train_ids]),
                         minlength=open_shards(shards).vocab_size) + 0.5
    targets = np.concatenate([windows[int(i)].tokens[1:] for i in held_out])
    return float(-np.log(counts[targets] / counts.sum()).mean())


def test_training_lowers_held_out_loss_by_a_quarter_and_beats_token_frequencies(trained, shards):
    evaluated = [m["eval_loss"] for m in metrics(trained) if "eval_loss" in m]
    assert evaluated[-1] < 0.75 * evaluated[0]
    assert evaluated[-1] < unigram_loss(shards, seq_len=128, eval_windows=16) - 0.3


def test_metrics_log_step_loss_and_throughput_with_eval_at_first_interval_and_last_step(trained):
    logged = metrics(trained)
    assert [m["step"] for m in logged] == [1] + list(range(10, 201, 10))
    assert all(m["loss"] > 0 and m["tokens_per_s"] > 0 for m in logged)
    assert [m["step"] for m in logged if "eval_loss" in m] == [1, 100, 200]


def test_run_folder_is_self_contained(trained, shards):
    assert (trained / "tokenizer.json").read_bytes() == Path(open_shards(shards).tokenizer_path).read_bytes()
    state = load_checkpoint(trained)
    assert state["step"] == 200 and state["data_position"]["samples_consumed"] == 200 * 8
    assert {"model", "optimizer", "scheduler", "rng", "train_config", "model_config"} <= set(state)
    assert sorted(p.name for p in trained.iterdir()) == [CHECKPOINT, "config.json", METRICS, "tokenizer.json"]


def test_complete_prints_the_greedy_continuation(trained, capsys):
    assert repocurate("complete", "--checkpoint", str(trained), "--prompt", "def ", "--max-new-tokens", "8") == 0
    run = load_run(str(trained))
    expected = generate_ids(run.model, completion_prompt_ids(run.tokenizer, "def "), 8, stop_ids(run.tokenizer))
    assert expected and capsys.readouterr().out == run.tokenizer.decode(expected) + "\n"


def test_complete_with_suffix_prints_the_sampled_middle_repeatably(trained, capsys):
    prefix, suffix = "def add(a, b):\n    return ", "\n"
    argv = ("complete", "--checkpoint", str(trained), "--prompt", prefix, "--suffix", suffix,
            "--max-new-tokens", "8", "--temperature", "0.8", "--seed", "3")
    repocurate(*argv)
    first = capsys.readouterr().out
    repocurate(*argv)
    assert capsys.readouterr().out == first
    assert first == fill_in_middle(load_run(str(trained)), prefix, suffix, 8, Sampling(0.8, 0, 3)) + "\n"


def comparable(run: Path) -> list[dict]:
    return [{k: v for k, v in m.items() if k != "tokens_per_s"} for m in metrics(run)]


def test_interrupted_and_resumed_run_matches_the_uninterrupted_one_bitwise(shards, tmp_path):
    config = config_from_preset("tiny", 12, grad_accum=2, warmup_steps=3, eval_interval=4)
    train(shards, tmp_path / "whole", config, deterministic=True)
    train(shards, tmp_path / "split", config, deterministic=True, stop_at=5)
    assert load_checkpoint(tmp_path / "split")["step"] == 5
    train(shards, tmp_path / "split", config, deterministic=True, resume=True)
    assert comparable(tmp_path / "split") == comparable(tmp_path / "whole")
    whole, split = load_checkpoint(tmp_path / "whole"), load_checkpoint(tmp_path / "split")
    assert all(torch.equal(whole["model"][k], split["model"][k]) for k in whole["model"])


def test_two_ranks_under_torchrun_match_one_rank_with_the_same_global_batch(shards, tmp_path):
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "OMP_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
                    "-m", "pipeline.cli", "train", "--data", shards, "--preset", "tiny", "--max-steps", "3",
                    "--micro-batch", "4", "--eval-interval", "0", "--device", "cpu", "--out", str(tmp_path / "ddp")],
                   cwd=root, env=env, check=True, capture_output=True, timeout=300)
    single = train(shards, tmp_path / "single", config_from_preset("tiny", 3, micro_batch=8, eval_interval=0))
    two = metrics(tmp_path / "ddp")
    assert [m["step"] for m in two] == [1, 2, 3]
    assert [m["loss"] for m in two] == pytest.approx([m["loss"] for m in single], rel=1e-5)
    assert load_checkpoint(tmp_path / "ddp")["world_size"] == 2


def test_resume_replaces_metrics_logged_after_the_checkpoint(shards, tmp_path):
    config = config_from_preset("tiny", 5, eval_interval=0)
    train(shards, tmp_path, config, stop_at=3)
    with open(tmp_path / METRICS, "a", encoding="utf-8") as out:  # died after logging step 4
        out.write(json.dumps({"step": 4, "loss": 99.0, "tokens_per_s": 1.0}) + "\n")
    train(shards, tmp_path, config, resume=True)
    logged = metrics(tmp_path)
    assert [m["step"] for m in logged] == [1, 2, 3, 4, 5] and logged[3]["loss"] != 99.0


def test_resume_with_a_different_learning_rate_is_refused(shards, tmp_path):
    train(shards, tmp_path, config_from_preset("tiny", 4), stop_at=1)
    with pytest.raises(RunError, match="lr"):
        train(shards, tmp_path, config_from_preset("tiny", 4, lr=1e-4), resume=True)


def test_a_fresh_run_refuses_a_folder_that_holds_a_checkpoint(shards, tmp_path):
    train(shards, tmp_path, config_from_preset("tiny", 1))
    with pytest.raises(RunError, match="resume"):
        train(shards, tmp_path, config_from_preset("tiny", 1))


def test_train_command_reports_a_run_that_cannot_start(shards, tmp_path, capsys):
    assert repocurate("train", "--data", shards, "--preset", "tiny", "--max-steps", "2", "--out", str(tmp_path),
                      "--resume") == 2
    assert "no checkpoint.pt" in capsys.readouterr().err


def test_document_masking_changes_what_the_model_computes(shards, tmp_path):
    plain = train(shards, tmp_path / "plain", config_from_preset("tiny", 1))
    masked = train(shards, tmp_path / "masked", config_from_preset("tiny", 1, document_masking=True))
    assert masked[0]["loss"] != plain[0]["loss"]


def test_train_command_prints_step_loss_rate_and_eta_every_log_interval(shards, tmp_path, capsys):
    assert repocurate("train", "--data", shards, "--preset", "tiny", "--max-steps", "6", "--out", str(tmp_path),
                      "--log-interval", "2", "--eval-interval", "100") == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("step ")]
    # steps 1 and 6 are evaluation steps, so they are logged too
    assert [line.split(":")[0] for line in lines] == ["step 1/6", "step 2/6", "step 4/6", "step 6/6"]
    assert all(" tokens/s, " in line and " elapsed, ETA " in line for line in lines)
    assert "(eval " in lines[0] and lines[-1].endswith("ETA 0 s")
    loss = float(lines[1].split("loss ")[1].split(",")[0])
    assert loss == pytest.approx(metrics(tmp_path)[1]["loss"], abs=1e-4)
