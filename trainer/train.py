"""The training loop: AdamW, warmup + cosine, accumulation, clipping, eval, exact resume.

A run lives in one folder: ``checkpoint.pt`` (model, optimizer, scheduler, RNG states, data
position, configuration; written atomically), ``metrics.jsonl`` (one JSON object per logged
step: ``step``, ``loss``, ``lr``, ``grad_norm``, ``tokens_per_s``, ``mfu`` on CUDA, and
``eval_loss`` at evaluation steps), ``config.json`` and a copy of the shards'
``tokenizer.json`` so the run is self-contained for :mod:`trainer.generate`.

Precision: bf16 autocast on CUDA, fp32 on CPU. Several GPUs: launch with ``torchrun``; the
process group is initialised from its environment variables and each rank reads the
rank-strided share of every step's samples (see :mod:`trainer.data`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import random
import shutil
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from tokenize_shards import open_shards
from trainer.data import (StepOrderSampler, WindowDataset, default_num_workers, eval_batches,
                          split_windows, train_loader)
from trainer.model import ModelConfig, Transformer, flops_per_token
from trainer.presets import get_preset, padded_vocab

CHECKPOINT = "checkpoint.pt"
METRICS = "metrics.jsonl"
TOKENIZER = "tokenizer.json"
CONFIG = "config.json"

class RunError(Exception):
    """A run that cannot start as asked; the message says why."""


# Dense bf16 peak per GPU, by a substring of torch.cuda.get_device_name().
PEAK_BF16_FLOPS = {"H100": 989e12, "H200": 989e12, "A100": 312e12}


@dataclass(frozen=True)
class TrainConfig:
    """A run's settings; on resume all must match but ``RESUMABLE_CHANGES``."""

    preset: str
    max_steps: int
    seq_len: int
    micro_batch: int
    grad_accum: int
    lr: float
    warmup_steps: int
    eval_interval: int
    eval_windows: int
    ckpt_interval: int
    min_lr_ratio: float = 0.1
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0
    seed: int = 0
    document_masking: bool = False
    rope_base: float = 10_000.0
    rope_scaling: float = 1.0
    log_interval: int = 1


# Fields that may change between an interrupted run and its resumption.
RESUMABLE_CHANGES = {"log_interval", "eval_interval", "ckpt_interval"}


def config_from_preset(preset: str, max_steps: int, **overrides: Any) -> TrainConfig:
    """The preset's defaults (warmup at most a tenth of the run), with non-None overrides."""
    p = get_preset(preset)
    values = dict(preset=preset, max_steps=max_steps, seq_len=p.seq_len, micro_batch=p.micro_batch,
                  grad_accum=1, lr=p.lr, warmup_steps=min(p.warmup_steps, max(1, max_steps // 10)),
                  eval_interval=p.eval_interval, eval_windows=p.eval_windows,
                  ckpt_interval=p.ckpt_interval)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return TrainConfig(**values)


def model_config_for(config: TrainConfig, vocab_size: int) -> ModelConfig:
    """The preset's shape for the shards' vocabulary (padded) and the run's context settings."""
    p = get_preset(config.preset)
    return ModelConfig(
        vocab_size=padded_vocab(vocab_size), dim=p.dim, n_layers=p.n_layers, n_heads=p.n_heads,
        n_kv_heads=p.n_kv_heads, max_seq_len=config.seq_len, rope_base=config.rope_base,
        rope_scaling=config.rope_scaling, tie_embeddings=p.tie_embeddings)


def warmup_cosine(step: int, warmup_steps: int, max_steps: int, min_ratio: float) -> float:
    """LR multiplier for the step about to run: linear warmup, then cosine down to ``min_ratio``."""
    if step < warmup_steps:
        return (step + 1) / (warmup_steps + 1)
    progress = min(1.0, (step - warmup_steps) / max(1, max_steps - warmup_steps))
    return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))


def make_optimizer(model: torch.nn.Module, config: TrainConfig, device: torch.device) -> torch.optim.AdamW:
    """AdamW with weight decay on matrices only (not norms); fused on CUDA."""
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": config.weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=config.lr, betas=(config.beta1, config.beta2),
                             fused=device.type == "cuda")


def make_scheduler(optimizer: torch.optim.Optimizer, config: TrainConfig) -> torch.optim.lr_scheduler.LambdaLR:
    return torch.optim.lr_scheduler.LambdaLR(optimizer, partial(
        warmup_cosine, warmup_steps=config.warmup_steps, max_steps=config.max_steps,
        min_ratio=config.min_lr_ratio))


@dataclass(frozen=True)
class Distributed:
    rank: int = 0
    local_rank: int = 0
    world_size: int = 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def init_distributed(device_type: str) -> Distributed:
    """Join the process group that ``torchrun`` describes in the environment; else one process."""
    if "RANK" not in os.environ:
        return Distributed()
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device_type == "cuda" else "gloo")
    return Distributed(dist.get_rank(), int(os.environ["LOCAL_RANK"]), dist.get_world_size())


def resolve_device(name: Optional[str], local_rank: int = 0) -> torch.device:
    """``cuda`` (this rank's GPU) when available and not overridden, else ``cpu``."""
    name = name or ("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda":
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    return torch.device(name)


def peak_flops(device: torch.device) -> Optional[float]:
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    return next((peak for key, peak in PEAK_BF16_FLOPS.items() if key in name), None)


def autocast(device: torch.device) -> contextlib.AbstractContextManager:
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def rng_states() -> dict[str, Any]:
    states = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    return states


def restore_rng_states(states: dict[str, Any]) -> None:
    random.setstate(states["python"])
    np.random.set_state(states["numpy"])
    torch.set_rng_state(states["torch"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)``, then rename over ``path``: readers see the old or the new file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save_checkpoint(run_dir: Path, state: dict[str, Any]) -> None:
    atomic_write(run_dir / CHECKPOINT, lambda tmp: torch.save(state, tmp))


def load_checkpoint(run_dir: Path, map_location: Any = "cpu") -> dict[str, Any]:
    path = Path(run_dir) / CHECKPOINT
    if not path.exists():
        raise RunError(f"no {CHECKPOINT} in {run_dir}")
    return torch.load(path, map_location=map_location, weights_only=False)


def check_resumable(stored: dict[str, Any], config: TrainConfig) -> None:
    """Refuse to resume with settings that would change the run's arithmetic."""
    ours = dataclasses.asdict(config)
    diffs = [f"{k}: checkpoint {stored.get(k)!r}, now {ours[k]!r}"
             for k in sorted(ours) if k not in RESUMABLE_CHANGES and stored.get(k) != ours[k]]
    if diffs:
        raise RunError("cannot resume with a different configuration: " + "; ".join(diffs))


def keep_metrics_through(path: Path, last_step: int) -> None:
    """Drop metrics logged after the checkpoint, which the resumed run logs again."""
    if not path.exists():
        return
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and json.loads(line)["step"] <= last_step]
    atomic_write(path, lambda tmp: tmp.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8"))


@torch.no_grad()
def evaluate(model: torch.nn.Module, dataset: WindowDataset, held_out: np.ndarray, config: TrainConfig,
             device: torch.device, ddp: Distributed) -> float:
    """Mean next-token loss over the held-out windows (all ranks together)."""
    model.eval()
    total = torch.zeros(2, dtype=torch.float64, device=device)
    for inputs, targets, positions in eval_batches(dataset, held_out, config.micro_batch,
                                                   ddp.rank, ddp.world_size):
        inputs, targets, positions = (t.to(device) for t in (inputs, targets, positions))
        with autocast(device):
            _, loss = model(inputs, positions, targets, config.document_masking)
        total += torch.tensor([loss.item() * len(inputs), len(inputs)], dtype=torch.float64, device=device)
    if ddp.world_size > 1:
        dist.all_reduce(total)
    model.train()
    return float(total[0] / total[1])


def train_step(model: torch.nn.Module, optimizer: torch.optim.Optimizer,
               scheduler: torch.optim.lr_scheduler.LRScheduler, batches: Iterator,
               config: TrainConfig, device: torch.device, ddp: Distributed) -> tuple[float, float]:
    """One optimizer step over ``grad_accum`` micro-batches; returns (mean loss, grad norm)."""
    total = torch.zeros((), device=device)
    for micro in range(config.grad_accum):
        inputs, targets, positions = (t.to(device, non_blocking=True) for t in next(batches))
        last = micro == config.grad_accum - 1
        sync = model.no_sync() if ddp.world_size > 1 and not last else contextlib.nullcontext()
        with sync:
            with autocast(device):
                _, loss = model(inputs, positions, targets, config.document_masking)
            (loss / config.grad_accum).backward()
        total += loss.detach()
    grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    if ddp.world_size > 1:
        dist.all_reduce(total)  # SUM: gloo has no AVG
    return float(total) / (config.grad_accum * ddp.world_size), float(grad_norm)


def prepare_run_dir(run_dir: Path, tokenizer_path: str, config: TrainConfig, model_config: ModelConfig) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(run_dir / TOKENIZER, lambda tmp: shutil.copyfile(tokenizer_path, tmp))
    text = json.dumps({"train": dataclasses.asdict(config), "model": model_config.to_dict()}, indent=2)
    atomic_write(run_dir / CONFIG, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


class Throughput:
    """Tokens/s (and MFU on a known GPU) over the steps since the last report, pauses excluded."""

    def __init__(self, tokens_per_step: int, flops_per_token: float, peak_flops: Optional[float]) -> None:
        self.tokens_per_step, self.flops_per_token, self.peak = tokens_per_step, flops_per_token, peak_flops
        self.start, self.steps = time.perf_counter(), 0

    def count_step(self) -> None:
        self.steps += 1

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        began = time.perf_counter()
        yield
        self.start += time.perf_counter() - began

    def report(self) -> dict[str, float]:
        tokens_per_s = self.steps * self.tokens_per_step / (time.perf_counter() - self.start)
        self.start, self.steps = time.perf_counter(), 0
        if self.peak is None:
            return {"tokens_per_s": tokens_per_s}
        return {"tokens_per_s": tokens_per_s, "mfu": tokens_per_s * self.flops_per_token / self.peak}


def checkpoint_state(model: Transformer, optimizer: torch.optim.Optimizer,
                     scheduler: torch.optim.lr_scheduler.LRScheduler, step: int, config: TrainConfig,
                     n_train_windows: int, world_size: int) -> dict[str, Any]:
    samples = step * config.micro_batch * config.grad_accum * world_size
    return {
        "model": model.state_dict(), "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(), "rng": rng_states(), "step": step,
        "data_position": {"samples_consumed": samples, "seed": config.seed, "train_windows": n_train_windows},
        "train_config": dataclasses.asdict(config), "model_config": model.config.to_dict(),
        "world_size": world_size,
    }


def restore(state: dict[str, Any], model: Transformer, optimizer: torch.optim.Optimizer,
            scheduler: torch.optim.lr_scheduler.LRScheduler, config: TrainConfig, n_train_windows: int,
            world_size: int) -> int:
    """Load a checkpoint written by the same run shape; returns its step."""
    check_resumable(state["train_config"], config)
    if state["world_size"] != world_size:
        raise RunError(f"checkpoint was written by {state['world_size']} ranks, now {world_size}")
    if state["data_position"]["train_windows"] != n_train_windows:
        raise RunError(f"checkpoint trained on {state['data_position']['train_windows']} windows, "
                         f"these shards give {n_train_windows}: not the same data")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    restore_rng_states(state["rng"])
    return state["step"]


def progress_line(record: dict[str, Any], last_step: int, steps_done: int, elapsed_s: float) -> str:
    """``step 20/300: loss 4.1234 (eval 4.5678), lr 3.0e-04, 12,345 tokens/s, 8 s elapsed, ETA 1 min 52 s``.

    The estimate is this call's wall time per step so far (evaluations and checkpoints
    included) times the steps left."""
    step = record["step"]
    eta = elapsed_s / steps_done * (last_step - step) if steps_done else 0.0
    line = f"step {step}/{last_step}: loss {record['loss']:.4f}"
    if "eval_loss" in record:
        line += f" (eval {record['eval_loss']:.4f})"
    line += f", lr {record['lr']:.1e}, {record['tokens_per_s']:,.0f} tokens/s"
    if "mfu" in record:
        line += f", MFU {100 * record['mfu']:.0f} %"
    return line + f", {_duration(elapsed_s)} elapsed, ETA {_duration(eta)}"


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def setup_runtime(device: Optional[str], deterministic: bool) -> tuple[Distributed, torch.device]:
    """Process group (under torchrun), this rank's device, TF32 on CUDA, determinism if asked."""
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    device_type = device or ("cuda" if torch.cuda.is_available() else "cpu")
    ddp = init_distributed(device_type)
    dev = resolve_device(device_type, ddp.local_rank)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    return ddp, dev


def train(data_dir: str, run_dir: str, config: TrainConfig, *, resume: bool = False,
          device: Optional[str] = None, compile: bool = False, num_workers: Optional[int] = None,
          deterministic: bool = False, stop_at: Optional[int] = None,
          log: Optional[Callable[[str], None]] = None) -> list[dict[str, Any]]:
    """Train (or with ``resume`` continue) the run in ``run_dir``; returns this call's metrics.

    ``log``: called on the main rank with one line per logged step (see :func:`progress_line`).

    Evaluates at step 1 (the baseline), every ``eval_interval`` steps and at ``max_steps``.
    ``stop_at`` ends this call after that step with a checkpoint, while the schedule still
    spans ``config.max_steps`` (for jobs split across time-limited allocations).
    """
    run_dir = Path(run_dir)
    ddp, dev = setup_runtime(device, deterministic)
    shards = open_shards(data_dir)
    windows = shards.windows(config.seq_len, document_masking=config.document_masking)
    try:
        train_windows, held_out = split_windows(len(windows), config.eval_windows)
    except ValueError as exc:
        raise RunError(f"{data_dir}: {exc}") from exc
    dataset = WindowDataset(windows)

    torch.manual_seed(config.seed)
    random.seed(config.seed)
    np.random.seed(config.seed)
    model = Transformer(model_config_for(config, shards.vocab_size)).to(dev)
    optimizer = make_optimizer(model, config, dev)
    scheduler = make_scheduler(optimizer, config)
    start_step = 0
    if not resume and (run_dir / CHECKPOINT).exists():
        raise RunError(f"{run_dir} already holds a run's {CHECKPOINT}: resume it or choose another folder")
    if resume:
        start_step = restore(load_checkpoint(run_dir), model, optimizer, scheduler, config,
                             len(train_windows), ddp.world_size)
        if ddp.is_main:
            keep_metrics_through(run_dir / METRICS, start_step)
    elif ddp.is_main:
        prepare_run_dir(run_dir, shards.tokenizer_path, config, model.config)
        (run_dir / METRICS).unlink(missing_ok=True)

    step_model: torch.nn.Module = torch.compile(model) if compile else model
    if ddp.world_size > 1:
        step_model = DistributedDataParallel(step_model, device_ids=[ddp.local_rank] if dev.type == "cuda" else None,
                                             broadcast_buffers=False)  # the only buffers are rotary tables
    sampler = StepOrderSampler(train_windows, config.seed, start_step, config.micro_batch, config.grad_accum,
                               ddp.rank, ddp.world_size)
    workers = default_num_workers(dev) if num_workers is None else num_workers
    batches = iter(train_loader(dataset, sampler, dev, workers))
    peak = peak_flops(dev)
    meter = Throughput(config.seq_len * config.micro_batch * config.grad_accum * ddp.world_size,
                       flops_per_token(model.config, config.seq_len), peak * ddp.world_size if peak else None)
    last_step = config.max_steps if stop_at is None else min(config.max_steps, stop_at)
    metrics: list[dict[str, Any]] = []
    step_model.train()
    loop_started = time.perf_counter()
    for step in range(start_step + 1, last_step + 1):
        lr = scheduler.get_last_lr()[0]
        loss, grad_norm = train_step(step_model, optimizer, scheduler, batches, config, dev, ddp)
        meter.count_step()
        evaluate_now = step in (1, config.max_steps) or (config.eval_interval and step % config.eval_interval == 0)
        if evaluate_now or step % config.log_interval == 0:
            record: dict[str, Any] = {"step": step, "loss": loss, "lr": lr, "grad_norm": grad_norm, **meter.report()}
            with meter.paused():
                if evaluate_now:
                    record["eval_loss"] = evaluate(model, dataset, held_out, config, dev, ddp)
                if ddp.is_main:
                    with open(run_dir / METRICS, "a", encoding="utf-8") as out:
                        out.write(json.dumps(record) + "\n")
                    if log is not None:
                        log(progress_line(record, last_step, step - start_step, time.perf_counter() - loop_started))
            metrics.append(record)
        if ddp.is_main and (step == last_step or (config.ckpt_interval and step % config.ckpt_interval == 0)):
            with meter.paused():
                save_checkpoint(run_dir, checkpoint_state(model, optimizer, scheduler, step, config,
                                                          len(train_windows), ddp.world_size))
    if ddp.world_size > 1:
        dist.barrier()
    return metrics
