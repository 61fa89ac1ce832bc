"""CUDA check of the training loop: a straight run vs. the same run stopped and resumed.

    python benchmarks/gpu_train_check.py --data SHARDS --preset small --steps 60 --json out.json

Runs ``trainer.train.train`` on the GPU (bf16 autocast, fused AdamW, DataLoader workers,
evaluation, checkpoints) for ``--steps`` steps in one call, then again in a second run
folder stopped at half way and resumed. Reports both runs' losses, the largest difference
between them, tokens/s and MFU from the metrics, and whether the final parameters are
bitwise equal (with ``--deterministic``, cuBLAS/cuDNN deterministic algorithms).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from trainer.train import config_from_preset, load_checkpoint, train  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--preset", default="small")
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--deterministic", action="store_true")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    config = config_from_preset(args.preset, args.steps, eval_interval=args.steps // 2, ckpt_interval=0)
    work = Path(tempfile.mkdtemp(prefix="gpu_train_check_"))
    start = time.perf_counter()
    straight = train(args.data, str(work / "straight"), config, deterministic=args.deterministic)
    straight_s = time.perf_counter() - start
    half = args.steps // 2
    first = train(args.data, str(work / "resumed"), config, deterministic=args.deterministic, stop_at=half)
    second = train(args.data, str(work / "resumed"), config, deterministic=args.deterministic, resume=True)
    resumed = first + second
    a = load_checkpoint(work / "straight")["model"]
    b = load_checkpoint(work / "resumed")["model"]
    bitwise = all(torch.equal(a[k], b[k]) for k in a)
    max_param_diff = max(float((a[k].float() - b[k].float()).abs().max()) for k in a)
    losses = {r["step"]: r["loss"] for r in straight}
    resumed_losses = {r["step"]: r["loss"] for r in resumed}
    steady = [r for r in straight if r["step"] > 5 and "tokens_per_s" in r]
    result = {
        "preset": args.preset, "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
        "torch": torch.__version__, "steps": args.steps, "deterministic": args.deterministic,
        "straight_wall_s": straight_s,
        "loss_first": losses[1], "loss_last": losses[args.steps],
        "eval_losses": {r["step"]: r["eval_loss"] for r in straight if "eval_loss" in r},
        "max_loss_diff_resumed": max(abs(losses[s] - resumed_losses[s]) for s in losses),
        "final_params_bitwise_equal": bitwise, "max_param_diff": max_param_diff,
        "tokens_per_s_last": steady[-1]["tokens_per_s"] if steady else None,
        "mfu_last": steady[-1].get("mfu") if steady else None,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
