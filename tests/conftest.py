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
