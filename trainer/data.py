"""Training windows from a shard directory, in an order fixed by (seed, step).

The ``tokenize_shards`` reader cuts the concatenated token stream into windows of
``seq_len + 1`` tokens (inputs and next-token targets overlap by one). ``eval_windows``
windows (at most a tenth of them), spread over the whole stream by a fixed permutation (the
same for every training seed), are held out for the evaluation loss; the rest are the training set, visited epoch
by epoch in a permutation seeded by ``(seed, epoch)``.

Sample ``g`` of the global stream is training window ``train[perm(seed, g // n)[g % n]]``
(``n`` training windows). An optimizer step consumes ``world_size * grad_accum *
micro_batch`` consecutive samples; rank ``r`` takes micro-batch ``m`` of step ``t`` from
``g = ((t * grad_accum + m) * world_size + r) * micro_batch + b``. Which window a rank sees
is thus a function of the step alone, so a run resumed at step ``t`` reads exactly the data
that an uninterrupted run would.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from tokenize_shards import Windows


HELD_OUT_SEED = 0


def split_windows(n_windows: int, eval_windows: int) -> tuple[np.ndarray, np.ndarray]:
    """(training window indices, held-out window indices), both sorted.

    At most a tenth of the windows (but at least one) is held out, so small shard sets
    still train.
    """
    if n_windows < 2:
        raise ValueError(f"{n_windows} windows are too few to train and evaluate on; "
                         "use a shorter --seq-len or more data")
    held = min(eval_windows, max(1, n_windows // 10))
    order = np.random.Generator(np.random.PCG64(HELD_OUT_SEED)).permutation(n_windows)
    return np.sort(order[held:]), np.sort(order[:held])


def epoch_permutation(seed: int, epoch: int, n: int) -> np.ndarray:
    """The order of ``n`` training windows in one epoch."""
    return np.random.Generator(np.random.PCG64([seed, epoch])).permutation(n)


class WindowDataset(Dataset):
    """Window ``i`` as (inputs, targets, position ids), each int64 of length ``seq_len``.

    Position ids count from 0 at the window start and, when the windows were made with
    document masking, again from 0 at each document start (the model then also cuts
    attention there).
    """

    def __init__(self, windows: Windows) -> None:
        self.windows = windows

    def __len__(self) -> int:
        return len(self.windows)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        window = self.windows[index]
        tokens = torch.from_numpy(window.tokens)
        return tokens[:-1], tokens[1:], torch.from_numpy(window.positions[:-1])


class StepOrderSampler(Sampler[int]):
    """The training window indices one rank reads from ``start_step`` on (endless)."""

    def __init__(self, train_windows: np.ndarray, seed: int, start_step: int, micro_batch: int,
                 grad_accum: int, rank: int = 0, world_size: int = 1) -> None:
        self.train_windows, self.seed, self.start_step = train_windows, seed, start_step
        self.micro_batch, self.grad_accum = micro_batch, grad_accum
        self.rank, self.world_size = rank, world_size

    def sample_offsets(self, step: int) -> Iterator[int]:
        """Global stream offsets of this rank's samples in ``step``, micro-batch by micro-batch."""
        for micro in range(self.grad_accum):
            first = ((step * self.grad_accum + micro) * self.world_size + self.rank) * self.micro_batch
            yield from range(first, first + self.micro_batch)

    def __iter__(self) -> Iterator[int]:
        n = len(self.train_windows)
        epoch, perm = -1, np.empty(0, dtype=np.int64)
        step = self.start_step
        while True:
            for offset in self.sample_offsets(step):
                if offset // n != epoch:
                    epoch = offset // n
                    perm = epoch_permutation(self.seed, epoch, n)
                yield int(self.train_windows[perm[offset % n]])
            step += 1


def train_loader(dataset: WindowDataset, sampler: StepOrderSampler, device: torch.device,
                 num_workers: int) -> DataLoader:
    """Micro-batches in sampler order; pinned memory and worker processes on CUDA."""
    return DataLoader(
        dataset, batch_size=sampler.micro_batch, sampler=sampler, num_workers=num_workers,
        pin_memory=device.type == "cuda", persistent_workers=num_workers > 0,
        prefetch_factor=4 if num_workers > 0 else None,
    )


def default_num_workers(device: torch.device) -> int:
    """0 on CPU (workers only compete with the model for cores; measured 7x slower with 2), 4 on CUDA."""
    return 4 if device.type == "cuda" else 0


def eval_batches(dataset: WindowDataset, held_out: np.ndarray, micro_batch: int, rank: int = 0,
                 world_size: int = 1) -> Iterator[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """This rank's share (rank-strided) of the held-out windows, in fixed order."""
    mine = [int(i) for i in held_out[rank::world_size]]
    for start in range(0, len(mine), micro_batch):
        items = [dataset[i] for i in mine[start:start + micro_batch]]
        yield tuple(torch.stack(column) for column in zip(*items))
