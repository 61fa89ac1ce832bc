"""Training data: held-out split, an order fixed by (seed, step), windows from real shards."""
from __future__ import annotations

from itertools import islice

import numpy as np
import pytest
import torch

from tokenize_shards import open_shards
from tokenize_shards.config import ShardsConfig
from tokenize_shards.shard_writer import write_shard_set
from trainer.data import StepOrderSampler, WindowDataset, eval_batches, split_windows, train_loader

TEXTS = [
    "def add(a, b):\n    return a + b\n",
    "class Stack:\n    def __init__(self):\n        self.items = []\n",
    "import os\n\nprint(os.getcwd())\n",
    "fn main() {\n    println!(\"hi\");\n}\n",
]


@pytest.fixture
def shards(tmp_path):
    samples = [{"sample_id": f"s{i}", "text": text * 3, "languages": ["python"]} for i, text in enumerate(TEXTS)]
    write_shard_set(str(tmp_path), samples, ShardsConfig(vocab_size=300, fim_rate=0.0))
    return open_shards(str(tmp_path))


def take(sampler: StepOrderSampler, steps: int) -> list[int]:
    per_step = sampler.micro_batch * sampler.grad_accum
    return list(islice(iter(sampler), steps * per_step))


def test_held_out_and_training_windows_split_all_windows_disjointly():
    train, held_out = split_windows(100, 10)
    assert len(held_out) == 10 and set(train).isdisjoint(held_out)
    assert sorted([*train, *held_out]) == list(range(100))


def test_held_out_windows_spread_over_the_stream_and_do_not_depend_on_the_seed():
    _, held_out = split_windows(1000, 20)
    assert held_out.min() < 250 and held_out.max() > 750
    assert np.array_equal(held_out, split_windows(1000, 20)[1])


def test_at_most_a_tenth_of_the_windows_is_held_out():
    assert [len(split_windows(n, 16)[1]) for n in (300, 50, 5)] == [16, 5, 1]


def test_a_single_window_is_refused():
    with pytest.raises(ValueError, match="too few"):
        split_windows(1, 16)


def test_an_epoch_visits_every_training_window_once():
    windows = np.arange(0, 40, 2)
    order = take(StepOrderSampler(windows, seed=3, start_step=0, micro_batch=4, grad_accum=1), 5)
    assert sorted(order) == list(windows)


def test_order_after_step_k_is_the_same_whether_started_at_zero_or_at_k():
    windows = np.arange(30)
    whole = take(StepOrderSampler(windows, seed=1, start_step=0, micro_batch=4, grad_accum=2), 20)
    resumed = take(StepOrderSampler(windows, seed=1, start_step=7, micro_batch=4, grad_accum=2), 13)
    assert resumed == whole[7 * 8:]


def test_the_seed_changes_the_order():
    windows = np.arange(30)
    assert take(StepOrderSampler(windows, 1, 0, 4, 1), 5) != take(StepOrderSampler(windows, 2, 0, 4, 1), 5)


def test_ranks_split_each_step_into_disjoint_rank_strided_shares():
    windows = np.arange(64)
    single = take(StepOrderSampler(windows, seed=5, start_step=0, micro_batch=4, grad_accum=2), 3)
    ranks = [take(StepOrderSampler(windows, 5, 0, 2, 2, rank=r, world_size=2), 3) for r in range(2)]
    for step in range(3):
        step_samples = single[step * 8:(step + 1) * 8]
        shares = [r[step * 4:(step + 1) * 4] for r in ranks]
        assert sorted(shares[0] + shares[1]) == sorted(step_samples)
        assert shares[0][:2] == step_samples[:2] and shares[1][:2] == step_samples[2:4]


def test_a_window_gives_inputs_and_targets_shifted_by_one(shards):
    inputs, targets, positions = WindowDataset(shards.windows(16))[1]
    stream = np.concatenate(list(shards))
    assert inputs.tolist() == stream[16:32].tolist() and targets.tolist() == stream[17:33].tolist()
    assert positions.tolist() == list(range(16))


def test_with_document_masking_positions_restart_at_each_document(shards):
    seq_len = len(shards.document(0)) + 4
    _, _, positions = WindowDataset(shards.windows(seq_len, document_masking=True))[0]
    first = len(shards.document(0))
    assert positions[:first].tolist() == list(range(first))
    assert positions[first:].tolist() == [0, 1, 2, 3]


def test_loader_yields_micro_batches_in_sampler_order(shards):
    dataset = WindowDataset(shards.windows(8))
    sampler = StepOrderSampler(np.arange(len(dataset)), seed=0, start_step=0, micro_batch=3, grad_accum=1)
    inputs, _, _ = next(iter(train_loader(dataset, sampler, torch.device("cpu"), num_workers=0)))
    expected = [dataset[i][0] for i in take(sampler, 1)]
    assert torch.equal(inputs, torch.stack(expected))


def test_eval_batches_cover_the_held_out_windows_once_across_ranks(shards):
    dataset = WindowDataset(shards.windows(8))
    held_out = np.array([1, 4, 5, 7, 9])
    seen = [tuple(row.tolist()) for rank in range(2)
            for inputs, _, _ in eval_batches(dataset, held_out, 2, rank, 2) for row in inputs]
    assert sorted(seen) == sorted(tuple(dataset[i][0].tolist()) for i in held_out)


def test_worker_processes_yield_the_same_batches_as_the_main_process(shards):
    dataset = WindowDataset(shards.windows(8))
    sampler = StepOrderSampler(np.arange(len(dataset)), seed=0, start_step=2, micro_batch=2, grad_accum=1)

    def first_batches(workers: int) -> list[torch.Tensor]:
        return [inputs for inputs, _, _ in islice(train_loader(dataset, sampler, torch.device("cpu"), workers), 3)]
    assert all(torch.equal(a, b) for a, b in zip(first_batches(0), first_batches(2), strict=True))
