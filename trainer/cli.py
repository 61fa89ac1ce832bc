"""``repocurate train`` and ``repocurate complete``: :func:`register` adds them to the CLI.

torch is imported only when one of these commands runs, so the rest of ``repocurate``
works without it. What can fail before any work (no such ``--data``, torch not installed,
``--device cuda`` without CUDA, ``--max-steps 0``) fails first, in one line with the fix, exit 2.
"""
from __future__ import annotations

import argparse
import os
import sys

from trainer.presets import PRESETS

INSTALL_TORCH = "pip install -e '.[train]' (pins the CPU build torch==2.13.0; never install an unpinned torch)"


def _int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is below {low}")
        return value

    parse.__name__ = f"whole number >= {low}"
    return parse


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not above 0")
    return value


POSITIVE, COUNT = _int_at_least(1), _int_at_least(0)


class CommandError(Exception):
    """A problem found before any work; the message names it and the fix (exit 2)."""


def _error(exc: BaseException) -> int:
    print(f"repocurate: {exc}", file=sys.stderr)
    return 2


def _import_torch(command: str):
    try:
        import torch
    except ImportError:
        raise CommandError(f"`repocurate {command}` needs PyTorch, which is not installed: {INSTALL_TORCH}") from None
    return torch


def _check_device(torch, device) -> None:
    if device == "cuda" and not torch.cuda.is_available():
        build = torch.version.cuda or "none (a CPU build)"
        raise CommandError(f"--device cuda, but no CUDA device is available (torch {torch.__version__}, CUDA build: "
                           f"{build}): use --device cpu, or leave --device out to pick what is there")


def check_train(args: argparse.Namespace):
    """Everything ``train`` can check before it starts; returns the torch module."""
    data = args.data
    if not os.path.isdir(data):
        raise CommandError(f"--data {data}: no such folder; give the shards folder of a finished run "
                           "(`repocurate run --output OUT` writes OUT/shards)")
    if not os.path.isfile(os.path.join(data, "manifest.json")):
        raise CommandError(f"--data {data}: no manifest.json, so not a shard set; give OUT/shards of a finished "
                           "`repocurate run` (a run that kept nothing writes no shards)")
    if args.stop_at is not None and args.stop_at > args.max_steps:
        raise CommandError(f"--stop-at {args.stop_at} is beyond --max-steps {args.max_steps}")
    _check_run_folder(args.out, args.resume)
    torch = _import_torch("train")
    _check_device(torch, args.device)
    return torch


RUN_FILES = ("checkpoint.pt", "config.json", "tokenizer.json", "metrics.jsonl")


def _check_run_folder(out: str, resume: bool) -> None:
    """``--out`` is new, empty, or a train run (resumed, or restarted after dying before its
    first checkpoint): a run overwrites its four file names, so a user's ``config.json`` in a
    folder of their own must never be one of them."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise CommandError(f"--out {out} is a file, not a folder: give a new or empty folder")
    if resume or not os.path.isdir(out) or not os.listdir(out):
        return
    names = set(os.listdir(out))
    if "checkpoint.pt" in names:
        return  # train refuses it and names --resume
    ours = {f"{prefix}{name}{suffix}" for name in RUN_FILES for prefix, suffix in (("", ""), (".", ".tmp"))}
    try:
        import json

        with open(os.path.join(out, "config.json"), encoding="utf-8") as fh:
            is_run = {"train", "model"} <= set(json.load(fh))
    except (OSError, ValueError, TypeError):
        is_run = False
    if not (names <= ours and is_run):
        raise CommandError(f"--out {out} is not empty and holds no `repocurate train` run: choose a new or empty "
                           "folder (a run writes checkpoint.pt, config.json, tokenizer.json and metrics.jsonl there)")


def check_complete(args: argparse.Namespace):
    run = args.checkpoint
    if not os.path.isfile(os.path.join(run, "checkpoint.pt")):
        what = "no such folder" if not os.path.isdir(run) else "no checkpoint.pt in it"
        raise CommandError(f"--checkpoint {run}: {what}; give the --out folder of `repocurate train`")
    torch = _import_torch("complete")
    _check_device(torch, args.device)
    return torch


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``train`` and ``complete`` subcommands; each sets ``func`` (args -> exit code)."""
    _add_train(subparsers)
    _add_complete(subparsers)


def _add_train(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser(
        "train", help="train a DeepSeek-Coder-style model on token shards",
        description=(
            "Train a decoder-only transformer (RMSNorm, rotary embeddings, SwiGLU, optional "
            "grouped-query attention) on the shards of `repocurate run` (OUT/shards). Writes "
            "RUN_DIR/checkpoint.pt (atomically, every --ckpt-interval steps and at the end), "
            "RUN_DIR/metrics.jsonl (one JSON object per logged step: step, loss, lr, grad_norm, "
            "tokens_per_s, mfu on CUDA, eval_loss at evaluation steps), config.json and a copy "
            "of the shards' tokenizer.json. Uses CUDA with bf16 autocast and fused AdamW when "
            "available, else fp32 on CPU. For several GPUs launch with torchrun, e.g. "
            "`torchrun --nproc-per-node 8 -m pipeline.cli train ...`. Needs PyTorch: " + INSTALL_TORCH + "."),
        epilog=("Presets: " + "; ".join(
            f"{name} (dim {p.dim}, {p.n_layers} layers, {p.n_heads} heads, seq {p.seq_len})"
            for name, p in PRESETS.items()) + ". Unset options take the preset's value."),
    )
    train.add_argument("--data", required=True, metavar="SHARDS_DIR", help="folder with *.bin/*.idx, manifest.json, tokenizer.json")
    train.add_argument("--preset", required=True, choices=list(PRESETS), help="model size and training defaults")
    train.add_argument("--max-steps", required=True, type=POSITIVE, metavar="N", help="optimizer steps (at least 1); the LR schedule spans them")
    train.add_argument("--out", required=True, metavar="RUN_DIR", help="run folder for checkpoints and metrics")
    train.add_argument("--resume", action="store_true",
                       help="continue the run in RUN_DIR from its checkpoint, exactly as if never interrupted "
                            "(the other options must match the run's)")
    train.add_argument("--stop-at", type=POSITIVE, metavar="STEP",
                       help="checkpoint and exit after this step (the schedule still spans --max-steps)")
    shape = train.add_argument_group("run shape (default: the preset's)")
    shape.add_argument("--seq-len", type=POSITIVE, metavar="N", help="tokens per training window")
    shape.add_argument("--micro-batch", type=POSITIVE, metavar="N", help="windows per forward pass and rank")
    shape.add_argument("--grad-accum", type=POSITIVE, metavar="N", help="micro-batches per optimizer step (default 1)")
    shape.add_argument("--lr", type=_positive_float, metavar="LR", help="peak learning rate")
    shape.add_argument("--warmup-steps", type=COUNT, metavar="N", help="linear warmup steps before the cosine decay")
    shape.add_argument("--min-lr-ratio", type=float, metavar="R", help="final LR as a fraction of the peak (default 0.1)")
    shape.add_argument("--weight-decay", type=float, metavar="WD", help="AdamW weight decay on weight matrices (default 0.1)")
    shape.add_argument("--grad-clip", type=float, metavar="NORM", help="clip the gradient norm to this (default 1.0)")
    shape.add_argument("--seed", type=COUNT, metavar="N", help="seed of the initialisation and the data order (default 0)")
    shape.add_argument("--document-masking", action="store_true", default=None,
                       help="restart positions and attention at document boundaries inside a window")
    shape.add_argument("--rope-base", type=float, metavar="BASE", help="rotary base frequency (default 10000; DeepSeek-Coder long context: 100000)")
    shape.add_argument("--rope-scaling", type=float, metavar="FACTOR", help="linear rotary position scaling factor (default 1; DeepSeek-Coder long context: 4)")
    shape.add_argument("--eval-windows", type=POSITIVE, metavar="N", help="windows held out for the evaluation loss (at most a tenth of all)")
    logging = train.add_argument_group("logging and checkpoints (default: the preset's; free to change on --resume)")
    logging.add_argument("--eval-interval", type=COUNT, metavar="N", help="evaluate every N steps (and at steps 1 and --max-steps)")
    logging.add_argument("--log-interval", type=POSITIVE, metavar="N",
                         help="every N steps, print step, loss, lr, tokens/s, elapsed time and ETA to stderr "
                              "and append them to metrics.jsonl (default 1)")
    logging.add_argument("--ckpt-interval", type=COUNT, metavar="N", help="checkpoint every N steps (and at the last step)")
    runtime = train.add_argument_group("runtime (free to change on --resume)")
    runtime.add_argument("--device", choices=["cpu", "cuda"], help="default: cuda when available")
    runtime.add_argument("--compile", action="store_true", help="torch.compile the model")
    runtime.add_argument("--num-workers", type=COUNT, metavar="N", help="DataLoader workers (default: 0 on CPU, 4 on CUDA)")
    runtime.add_argument("--deterministic", action="store_true", help="use deterministic algorithms only")
    train.set_defaults(func=run_train)


def _add_complete(subparsers: argparse._SubParsersAction) -> None:
    complete = subparsers.add_parser(
        "complete", help="complete a prompt, or fill a hole, with a trained model",
        description=(
            "Load RUN_DIR's checkpoint and tokenizer and print the model's continuation of "
            "--prompt. With --suffix, print the middle between --prompt (the prefix) and "
            "--suffix, prompting in DeepSeek-Coder's fill-in-the-middle layout "
            "<｜fim▁begin｜>prefix<｜fim▁hole｜>suffix<｜fim▁end｜> and generating until "
            "<｜end▁of▁sentence｜>."),
    )
    complete.add_argument("--checkpoint", required=True, metavar="RUN_DIR", help="a `repocurate train` run folder")
    complete.add_argument("--prompt", required=True, metavar="TEXT", help="text to continue (the prefix with --suffix)")
    complete.add_argument("--suffix", metavar="TEXT", help="text after the hole: fill in the middle")
    complete.add_argument("--max-new-tokens", type=POSITIVE, default=64, metavar="N", help="stop after N tokens (default 64)")
    complete.add_argument("--temperature", type=float, default=0.0, metavar="T", help="0 (default): greedy; above 0: sample at this temperature")
    complete.add_argument("--top-k", type=COUNT, default=0, metavar="K", help="sample among the K most likely tokens (default 0: all)")
    complete.add_argument("--seed", type=COUNT, default=0, metavar="N", help="seed of the sampling (default 0)")
    complete.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where to run the model (default cpu)")
    complete.set_defaults(func=run_complete)


def run_train(args: argparse.Namespace) -> int:
    try:
        check_train(args)
    except CommandError as exc:
        return _error(exc)
    from trainer.train import RunError, config_from_preset, train

    config = config_from_preset(
        args.preset, args.max_steps, seq_len=args.seq_len, micro_batch=args.micro_batch,
        grad_accum=args.grad_accum, lr=args.lr, warmup_steps=args.warmup_steps,
        min_lr_ratio=args.min_lr_ratio, weight_decay=args.weight_decay, grad_clip=args.grad_clip,
        seed=args.seed, document_masking=args.document_masking, rope_base=args.rope_base,
        rope_scaling=args.rope_scaling, eval_windows=args.eval_windows,
        eval_interval=args.eval_interval, log_interval=args.log_interval,
        ckpt_interval=args.ckpt_interval,
    )
    try:
        metrics = train(args.data, args.out, config, resume=args.resume, device=args.device,
                        compile=args.compile, num_workers=args.num_workers,
                        deterministic=args.deterministic, stop_at=args.stop_at,
                        log=lambda line: print(line, file=sys.stderr, flush=True))
    except RunError as exc:
        print(f"repocurate: {exc}", file=sys.stderr)
        return 2
    if metrics and int(os.environ.get("RANK", "0")) == 0:
        last = metrics[-1]
        evaluated = [m["eval_loss"] for m in metrics if "eval_loss" in m]
        print(f"step {last['step']}: loss {last['loss']:.4f}"
              + (f", eval loss {evaluated[-1]:.4f}" if evaluated else "")
              + f", {last['tokens_per_s']:.0f} tokens/s -> {args.out}")
    return 0


def run_complete(args: argparse.Namespace) -> int:
    try:
        check_complete(args)
    except CommandError as exc:
        return _error(exc)
    from trainer.generate import Sampling, run_completion
    from trainer.train import RunError

    try:
        text = run_completion(args.checkpoint, args.prompt, args.suffix, args.max_new_tokens,
                              Sampling(args.temperature, args.top_k, args.seed), args.device)
    except RunError as exc:
        print(f"repocurate: {exc}", file=sys.stderr)
        return 2
    print(text)
    if not text.strip():
        print(f"repocurate: the model generated only whitespace{_trained_for(args.checkpoint)}: it is undertrained; "
              "train longer (more --max-steps) on more data, or raise --temperature to sample", file=sys.stderr)
    return 0


def _trained_for(run_dir: str) -> str:
    """`` after N training steps`` from the run's metrics.jsonl, or ``""``."""
    try:
        with open(os.path.join(run_dir, "metrics.jsonl"), encoding="utf-8") as fh:
            lines = [line for line in fh if line.strip()]
        import json

        return f" after {json.loads(lines[-1])['step']} training steps" if lines else ""
    except (OSError, ValueError, KeyError):
        return ""
