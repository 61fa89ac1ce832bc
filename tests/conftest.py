"""Shared fixtures: small repositories written in the test's tmp_path."""
from __future__ import annotations

import os
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
