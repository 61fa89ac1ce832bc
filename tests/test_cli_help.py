from __future__ import annotations

import pytest

from pipeline.cli import main


@pytest.mark.parametrize("command, expected", [
    ([], ["run", "config", "report", "train", "complete"]),
    (["run"], ["--input", "--output", "--config", "--tokenizer", "--decontaminate-with", "Beam pipeline option",
               "DataflowRunner", "manifest"]),
    (["config"], ["--show", "--config"]),
    (["report"], ["--output"]),
    (["train"], ["--data", "--preset", "--max-steps", "--out", "--resume"]),
    (["complete"], ["--checkpoint", "--prompt", "--suffix", "--max-new-tokens"]),
])
def test_every_command_has_complete_help(command, expected, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for word in expected:
        assert word in text, word


def test_run_without_output_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run"])
    assert exit_info.value.code == 2 and "--output" in capsys.readouterr().err
