"""Turn the ``--input`` arguments into repository tasks (driver side, before the pipeline).

An input is one of: a folder of repositories or a single repository folder; an archive
(.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .zip); a git URL; a manifest (``.jsonl``/``.csv``)
listing repositories; or The Stack-style Parquet (a ``.parquet`` file or a glob of them).
Manifest rows name a repository by ``url`` or ``path`` (relative paths are relative to
the manifest), with optional ``name``, ``stars``, ``license``, ``ref``; every other column
is kept as repository metadata. A manifest row that cannot be used becomes a task whose
crawl yields one reject (``manifest:bad_row``), so nothing is dropped silently.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from pipeline.sources.archives import archive_repo_name, is_archive
from pipeline.sources.folder import find_repositories
from pipeline.sources.git import git_repo_name

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:")


class InputError(ValueError):
    """An ``--input`` argument that names nothing usable."""


@dataclass(frozen=True)
class RepoTask:
    """One repository to crawl: ``kind`` is folder, archive, git or invalid."""

    kind: str
    location: str
    name: str
    license: str = ""
    stars: int = 0
    ref: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "location": self.location, "name": self.name,
            "license": self.license, "stars": self.stars, "ref": self.ref,
            "meta": self.meta, "error": self.error,
        }


@dataclass(frozen=True)
class SourcePlan:
    repos: tuple[RepoTask, ...]
    parquet: tuple[str, ...]


def looks_like_git_url(text: str) -> bool:
    """URL forms git accepts (``scheme://``, ``transport::``, scp-like) or a ``.git`` path."""
    return bool(
        _URL_SCHEME.match(text) or "::" in text or _SCP_LIKE.match(text)
    ) or (text.endswith(".git") and not os.path.isdir(text))


def is_parquet(text: str) -> bool:
    return text.endswith(".parquet")


def is_manifest(text: str) -> bool:
    return text.endswith((".jsonl", ".csv")) and os.path.isfile(text)


def _task_for_location(location: str, name: str = "", **kw: Any) -> RepoTask:
    if is_archive(location) and os.path.isfile(location):
        return RepoTask("archive", location, name or archive_repo_name(location), **kw)
    if os.path.isdir(location):
        return RepoTask("folder", location, name or os.path.basename(os.path.normpath(location)), **kw)
    if looks_like_git_url(location):
        return RepoTask("git", location, name or git_repo_name(location), **kw)
    return RepoTask("invalid", location, name or os.path.basename(location) or location,
                    error="no such folder or archive, and not a git URL", **kw)


def _int(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def read_manifest(path: str) -> list[RepoTask]:
    """Tasks for each row of a JSONL or CSV manifest, in file order."""
    base = os.path.dirname(os.path.abspath(path))
    rows: list[tuple[int, Any]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        if path.endswith(".csv"):
            rows = list(enumerate(csv.DictReader(fh), start=2))
        else:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append((lineno, json.loads(line)))
                except json.JSONDecodeError as exc:
                    rows.append((lineno, f"invalid JSON: {exc}"))
    tasks = []
    for lineno, row in rows:
        where = f"{os.path.basename(path)}:{lineno}"
        if not isinstance(row, dict):
            tasks.append(RepoTask("invalid", where, where, error=str(row)))
            continue
        location = str(row.get("url") or row.get("path") or "").strip()
        name = str(row.get("name") or "").strip()
        if not location:
            tasks.append(RepoTask("invalid", where, name or where, error="row has no url or path"))
            continue
        if not looks_like_git_url(location) and not os.path.isabs(location):
            location = os.path.join(base, location)
        meta = {k: v for k, v in row.items() if k not in ("url", "path", "name", "stars", "license", "ref")}
        tasks.append(_task_for_location(
            location, name, license=str(row.get("license") or ""), stars=_int(row.get("stars")),
            ref=str(row.get("ref") or ""), meta=meta,
        ))
    return tasks


def plan_sources(inputs: Iterable[str]) -> SourcePlan:
    """Classify every input; repository names are made unique (``name~2``) in input order."""
    repos: list[RepoTask] = []
    parquet: list[str] = []
    for raw in inputs:
        item = raw.strip()
        if is_parquet(item):
            parquet.append(item)
        elif is_manifest(item):
            repos.extend(read_manifest(item))
        elif os.path.isdir(item):
            repos.extend(RepoTask("folder", path, name) for name, path in find_repositories(item))
        elif (is_archive(item) and os.path.isfile(item)) or looks_like_git_url(item):
            repos.append(_task_for_location(item))
        else:
            raise InputError(f"--input {raw!r}: no such file or folder, and not a git URL")
    return SourcePlan(tuple(_unique_names(repos)), tuple(parquet))


def _unique_names(tasks: list[RepoTask]) -> list[RepoTask]:
    seen: dict[str, int] = {}
    out = []
    for task in tasks:
        n = seen.get(task.name, 0) + 1
        seen[task.name] = n
        if n > 1:
            task = dataclasses.replace(task, name=f"{task.name}~{n}")
        out.append(task)
    return out


def task_from_dict(d: dict[str, Any]) -> RepoTask:
    return RepoTask(**d)
