"""Pieces of the training loop: schedule, optimizer groups, atomic files, resume checks."""
from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from trainer.model import ModelConfig, Transformer
from trainer.train import (RunError, atomic_write, check_resumable, config_from_preset, keep_metrics_through,
                           make_optimizer, warmup_cosine)


def test_learning_rate_warms_up_linearly_then_decays_by_cosine_to_the_floor():
    multipliers = [warmup_cosine(step, warmup_steps=4, max_steps=14, min_ratio=0.1) for step in range(15)]
    assert multipliers[:4] == pytest.approx([0.2, 0.4, 0.6, 0.8])
    assert multipliers[4] == pytest.approx(1.0) and multipliers[9] == pytest.approx(0.55)
    assert multipliers[14] == pytest.approx(0.1)
    assert all(a >= b for a, b in zip(multipliers[4:], multipliers[5:]))


def test_weight_decay_applies_to_matrices_not_norm_gains():
    model = Transformer(ModelConfig(vocab_size=64, dim=16, n_layers=1, n_heads=2))
    decayed, plain = make_optimizer(model, config_from_preset("tiny", 10), torch.device("cpu")).param_groups
    assert decayed["weight_decay"] == 0.1 and plain["weight_decay"] == 0.0
    assert all(p.dim() == 2 for p in decayed["params"]) and all(p.dim() == 1 for p in plain["params"])


def test_preset_warmup_is_capped_at_a_tenth_of_a_short_run():
    assert config_from_preset("small", 50).warmup_steps == 5
    assert config_from_preset("small", 100_000).warmup_steps == 1000


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "checkpoint.pt"
    target.write_text("old")

    def failing(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(target, failing)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["checkpoint.pt"]


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "checkpoint.pt"
    target.write_text("old")
    atomic_write(target, lambda tmp: tmp.write_text("new"))
    assert target.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["checkpoint.pt"]


def test_metrics_after_the_checkpoint_step_are_dropped(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text("".join(json.dumps({"step": s, "loss": 1.0}) + "\n" for s in (1, 2, 3, 4)))
    keep_metrics_through(path, 2)
    assert [json.loads(line)["step"] for line in path.read_text().splitlines()] == [1, 2]


def test_changing_only_logging_intervals_is_resumable():
    stored = dataclasses.asdict(config_from_preset("tiny", 10))
    check_resumable(stored, config_from_preset("tiny", 10, eval_interval=3, log_interval=5, ckpt_interval=2))
    with pytest.raises(RunError, match="max_steps"):
        check_resumable(stored, config_from_preset("tiny", 20))
