"""Shared fixtures: small repositories written in the test's tmp_path."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Mapping, Union

import pytest


def write_tree(root: Path, files: Mapping[str, Union[str, bytes]]) -> Path:
    """Create ``files`` (repo-relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def parsed_edges(language: str, sources: Mapping[str, str]) -> set[tuple[str, str]]:
    """(importer, imported) paths of ``sources`` (path -> text) parsed and resolved for real."""
    from parsers.imports import parse_file
    from parsers.resolve import RepoFile, resolve_repository

    files = [RepoFile(p, language, parse_file(language, s, p)) for p, s in sources.items()]
    edges, _, _ = resolve_repository(files, {})
    return {(e.importer, e.imported) for e in edges}


@pytest.fixture
def make_repo(tmp_path):
    def make(name: str, files: Mapping[str, Union[str, bytes]], parent: Union[Path, None] = None) -> Path:
        return write_tree((parent or tmp_path) / name, files)
    return make


@pytest.fixture(autouse=True)
def _offline_git(monkeypatch):
    # Tests never touch the user's git configuration.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> Path:
    """One default `repocurate run` on the bundled sample corpus, shared by tests that only read it."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("sample-run") / "out"
    assert main(["run", "--output", str(out), "--quiet"]) == 0
    return out


RUN_RECORD = "_stats/run.json"


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every file of a run's output, except what describes the run itself rather than the
    data (``_stats/run.json``: date, durations, runner, output folder; the report's run section)."""
    files = {}
    for path in sorted(out.rglob("*")):
        rel = str(path.relative_to(out))
        if not path.is_file() or rel == RUN_RECORD:
            continue
        data = path.read_bytes()
        if rel == "report.html":
            data = re.sub(rb'<section id="run">.*?</section>', b'<section id="run"></section>', data, flags=re.S)
        files[rel] = data
    return files
