"""`repocurate train` and `repocurate complete` as registered by trainer.cli."""
from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from trainer.cli import register, run_complete, run_train


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="repocurate")
    register(root.add_subparsers(dest="command", required=True))
    return root


def help_text(command: str, capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        parser().parse_args([command, "--help"])
    assert exit_info.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_train_help_documents_the_interface_and_presets(capsys):
    text = help_text("train", capsys)
    for option in ("--data", "--preset", "--max-steps", "--out", "--resume", "--document-masking",
                   "--rope-scaling", "--compile", "metrics.jsonl", "torchrun"):
        assert option in text
    assert "tiny (dim 64" in text and "1b (dim 2048" in text


def test_complete_help_documents_infilling(capsys):
    text = help_text("complete", capsys)
    for option in ("--checkpoint", "--prompt", "--suffix", "--max-new-tokens", "<｜fim▁hole｜>"):
        assert option in text


def test_train_requires_data_preset_steps_and_out(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["train", "--preset", "tiny", "--max-steps", "1", "--out", "run"])
    assert "--data" in capsys.readouterr().err


def test_unknown_preset_is_rejected(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["train", "--data", "d", "--preset", "huge", "--max-steps", "1", "--out", "r"])
    assert "invalid choice" in capsys.readouterr().err


def test_subcommands_dispatch_through_func():
    args = parser().parse_args(["complete", "--checkpoint", "run", "--prompt", "x"])
    assert args.func is run_complete and args.max_new_tokens == 64 and args.suffix is None
    args = parser().parse_args(["train", "--data", "d", "--preset", "tiny", "--max-steps", "5", "--out", "r"])
    assert args.func is run_train and args.resume is False and args.document_masking is None


def test_registering_the_commands_does_not_import_torch():
    code = "import sys, argparse; from trainer.cli import register; " \
           "register(argparse.ArgumentParser().add_subparsers()); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
