"""Training throughput of a trainer preset on a shard set: tokens/s and, on CUDA, MFU.

    python benchmarks/bench_trainer.py --data OUT/shards --preset small --steps 20 \\
        [--device cuda] [--compile] [--micro-batch N] [--seq-len N] [--threads N] [--json out.json]

Runs ``--warmup`` untimed optimizer steps (allocator, autotuning, compilation), then
``--steps`` timed ones with the training loop's own step function (AdamW, fused on CUDA;
bf16 autocast on CUDA, fp32 on CPU; gradient clipping), data from the shards through the
trainer's DataLoader. MFU = model FLOPs per token (PaLM's 6N + 12 L d T, see
:func:`trainer.model.flops_per_token`) x tokens/s / dense bf16 peak of the GPU (H100 and
H200: 989 TFLOP/s). Prints one line per run and writes JSON to ``--json`` or stdout.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from tokenize_shards import open_shards  # noqa: E402
from trainer.data import StepOrderSampler, WindowDataset, default_num_workers, train_loader  # noqa: E402
from trainer.model import Transformer, count_parameters, flops_per_token  # noqa: E402
from trainer.train import (Distributed, config_from_preset, make_optimizer, make_scheduler,  # noqa: E402
                           model_config_for, peak_flops, resolve_device, train_step)


def bench(data: str, preset: str, steps: int, warmup: int, device_name: str, compile: bool,
          micro_batch: int | None, seq_len: int | None) -> dict:
    device = resolve_device(device_name)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
    config = config_from_preset(preset, warmup + steps, micro_batch=micro_batch, seq_len=seq_len,
                                warmup_steps=1)
    shards = open_shards(data)
    windows = shards.windows(config.seq_len)
    model_config = model_config_for(config, shards.vocab_size)
    torch.manual_seed(config.seed)
    model = Transformer(model_config).to(device)
    optimizer = make_optimizer(model, config, device)
    scheduler = make_scheduler(optimizer, config)
    step_model = torch.compile(model) if compile else model
    sampler = StepOrderSampler(np.arange(len(windows)), config.seed, 0, config.micro_batch, config.grad_accum)
    batches = iter(train_loader(WindowDataset(windows), sampler, device, default_num_workers(device)))
    ddp = Distributed()
    for _ in range(warmup):
        train_step(step_model, optimizer, scheduler, batches, config, device, ddp)
    if device.type == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for _ in range(steps):
        loss, _ = train_step(step_model, optimizer, scheduler, batches, config, device, ddp)
    elapsed = time.perf_counter() - start  # train_step's float(loss) synchronizes
    tokens_per_s = steps * config.micro_batch * config.seq_len / elapsed
    peak = peak_flops(device)
    result = {
        "preset": preset, "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "threads": torch.get_num_threads(), "compile": compile, "parameters": count_parameters(model),
        "vocab_size": model_config.vocab_size, "seq_len": config.seq_len, "micro_batch": config.micro_batch,
        "steps": steps, "ms_per_step": 1000 * elapsed / steps, "tokens_per_s": tokens_per_s,
        "flops_per_token": flops_per_token(model_config, config.seq_len), "last_loss": loss,
    }
    if peak:
        result["mfu"] = result["flops_per_token"] * tokens_per_s / peak
    if device.type == "cuda":
        result["peak_memory_gib"] = torch.cuda.max_memory_allocated(device) / 2**30
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, metavar="SHARDS_DIR", help="a shard set (OUT/shards of `repocurate run`)")
    parser.add_argument("--preset", nargs="+", default=["tiny"], help="one or more presets, run in turn")
    parser.add_argument("--steps", type=int, default=20, help="timed optimizer steps")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--device", choices=["cpu", "cuda"], default=None, help="default: cuda when available")
    parser.add_argument("--compile", action="store_true", help="torch.compile the model")
    parser.add_argument("--micro-batch", type=int, default=None, help="default: the preset's")
    parser.add_argument("--seq-len", type=int, default=None, help="default: the preset's")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--json", default=None, help="write results here instead of stdout")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    results = []
    for preset in args.preset:
        result = bench(args.data, preset, args.steps, args.warmup, args.device, args.compile,
                       args.micro_batch, args.seq_len)
        mfu = f", MFU {100 * result['mfu']:.1f}%" if "mfu" in result else ""
        print(f"{preset}: {result['parameters'] / 1e6:.1f}M params on {result['device']}, "
              f"{result['tokens_per_s']:,.0f} tokens/s, {result['ms_per_step']:.0f} ms/step{mfu}",
              file=sys.stderr)
        results.append(result)
        del result
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    text = json.dumps(results, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
