"""The README's set-up commands and statements match the package (issue 15, items 6 and 8)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def extras() -> dict[str, list[str]]:
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "setup")
    (value,) = [k.value for k in call.keywords if k.arg == "extras_require"]
    return ast.literal_eval(value)


def test_the_first_readme_command_installs_what_the_quick_start_needs():
    first = bash_blocks()[0].strip()
    assert first.startswith("pip install -e '.[train]' && repocurate run --output out")
    assert extras()["train"] == ["torch==2.13.0"]


def test_the_second_readme_command_is_exactly_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert bash_blocks()[1].strip() == ci


def test_torch_is_pinned_in_every_extra_that_names_it():
    for name, requirements in extras().items():
        assert all(r == "torch==2.13.0" for r in requirements if r.split("=")[0].split("[")[0].strip() == "torch"), name


def test_help_names_the_install_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "pip install -e '.[train]'" in " ".join(capsys.readouterr().out.split())


def test_readme_documents_the_operator_options_and_outputs():
    for text in ("--overwrite", "--allow-empty", "--version", "`bad_name`", "OUT/_stats/counts.json",
                 ".repocurate-run.json", "130: interrupted", "up to 32,000 base tokens"):
        assert text in README, text
