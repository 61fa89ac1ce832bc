"""Turn the ``--input`` arguments into repository tasks (driver side, before the pipeline).

An input is one of: a folder of repositories or a single repository folder; an archive
(.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .zip); a git URL; a manifest (``.jsonl``/``.csv``)
listing repositories; or The Stack-style Parquet (a ``.parquet`` file or a glob of them).
Manifest rows name a repository by ``url`` or ``path`` (relative paths are relative to
the manifest), with optional ``name``, ``stars``, ``license``, ``ref``; every other column
is kept as repository metadata. A manifest row that cannot be used (no url or path, a
``stars`` value that is not a number) becomes a task whose crawl yields one reject
(``input:invalid``, path ``""``), so nothing is dropped silently.

Inputs that fail as a whole are found here, before the pipeline starts, where that is cheap
(issue 15, item 3): an empty folder, an archive that cannot be opened, a ``file://`` URL to
nothing, a refused git URL, an invalid manifest row, a Parquet file without ``repo_name``,
``path`` and ``content`` columns. Each is a :class:`FailedInput` in ``SourcePlan.failed``
(the CLI prints one warning line each and stops when no input is left). Failed repository
tasks stay in the plan, so their crawl still writes the reject row; a Parquet file with the
wrong columns is left out (its rows would each be a reject). A Parquet glob that matches
nothing is an :class:`InputError`, like a path that does not exist.
"""
from __future__ import annotations

import csv
import dataclasses
import glob
import json
import os
import re
import tarfile
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable

from pipeline.sources.archives import archive_repo_name, is_archive
from pipeline.sources.folder import find_repositories
from pipeline.sources.git import git_repo_name, validate_git_url

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
class FailedInput:
    """An input (or one repository of it) that cannot give a single file, and why."""

    input: str
    reason: str
    repo_name: str = ""  # the repository task's name, when the failure is one task's

    def line(self) -> str:
        """One line, however many lines the underlying error had (tarfile's have several)."""
        text = " ".join(f"{self.input}: {self.reason}".split())
        return text if len(text) <= 300 else text[:297] + "..."


@dataclass(frozen=True)
class SourcePlan:
    repos: tuple[RepoTask, ...]
    parquet: tuple[str, ...]
    failed: tuple[FailedInput, ...] = ()

    @property
    def nothing_to_read(self) -> bool:
        """Every repository task failed already and no Parquet input is left."""
        failed = {f.repo_name for f in self.failed if f.repo_name}
        return not self.parquet and all(t.name in failed for t in self.repos)


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


def manifest_stars(value: Any) -> int:
    """A manifest's ``stars`` cell as a whole number (empty: 0). Raises ``ValueError`` for
    anything else (``lots``, ``1.5``, ``-3``): such a row is refused, never read as 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise ValueError(f"stars {value!r} is not a whole number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"stars {value!r} is not a whole number") from None
    if number != int(number) or number < 0:
        raise ValueError(f"stars {value!r} is not a whole number >= 0")
    return int(number)


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
        try:
            stars = manifest_stars(row.get("stars"))
        except ValueError as exc:
            tasks.append(RepoTask("invalid", where, name or where, error=str(exc)))
            continue
        if not looks_like_git_url(location) and not os.path.isabs(location):
            location = os.path.join(base, location)
        meta = {k: v for k, v in row.items() if k not in ("url", "path", "name", "stars", "license", "ref")}
        tasks.append(_task_for_location(
            location, name, license=str(row.get("license") or ""), stars=stars,
            ref=str(row.get("ref") or ""), meta=meta,
        ))
    return tasks


def plan_sources(inputs: Iterable[str]) -> SourcePlan:
    """Classify every input; repository names are made unique (``name~2``) in input order.

    Raises :class:`InputError` for an input that names nothing (no such path, a Parquet glob
    without a match); inputs that exist but cannot give a file are ``SourcePlan.failed``."""
    repos: list[RepoTask] = []
    parquet: list[str] = []
    failed: list[FailedInput] = []
    for raw in inputs:
        item = raw.strip()
        if is_parquet(item):
            paths = parquet_paths(item)
            problems = [p for p in map(parquet_problem, paths) if p]
            if problems and len(problems) == len(paths):
                failed.append(FailedInput(item, problems[0]))
            elif problems:
                raise InputError(f"--input {raw!r}: {problems[0]}; give a glob of Parquet files with the same columns")
            else:
                parquet.append(item)
        elif is_manifest(item):
            tasks = read_manifest(item)
            if not tasks:
                failed.append(FailedInput(item, "the manifest has no rows"))
            repos.extend(tasks)
        elif os.path.isdir(item):
            found = [RepoTask("folder", path, name) for name, path in find_repositories(item)]
            if not found:
                failed.append(FailedInput(item, "empty folder: no files and no repository folders inside"))
            repos.extend(found)
        elif (is_archive(item) and os.path.isfile(item)) or looks_like_git_url(item):
            repos.append(_task_for_location(item))
        else:
            raise InputError(f"--input {raw!r}: no such file or folder, and not a git URL")
    repos = _unique_names(repos)
    failed += [FailedInput(task.location, problem, task.name) for task in repos if (problem := task_problem(task))]
    return SourcePlan(tuple(repos), tuple(parquet), tuple(failed))


def task_problem(task: RepoTask) -> str:
    """Why ``task`` cannot give a single file, when that is cheap to tell before crawling
    (the crawl then rejects it with the exact reason); ``""`` when it may."""
    if task.kind == "invalid":
        return task.error
    if task.kind == "folder":
        try:
            with os.scandir(task.location) as listing:
                if next(listing, None) is None:
                    return "empty folder"
        except OSError as exc:
            return f"cannot read the folder: {exc.strerror or exc}"
    if task.kind == "archive":
        return archive_problem(task.location)
    if task.kind == "git":
        refused = validate_git_url(task.location)
        if refused:
            return f"git URL refused ({refused})"
        if task.location.startswith("file://"):
            path = task.location[len("file://"):]
            if not os.path.isdir(path):
                return "no such local repository"
    return ""


def archive_problem(path: str) -> str:
    """Why the archive cannot be opened (its first member read), or ``""``: a garbage or
    truncated-at-the-start file is found here; damage further in is found by the crawl."""
    try:
        if path.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        else:
            with tarfile.open(path) as archive:
                archive.next()
    except Exception as exc:  # tarfile, zipfile, zlib, lzma and OSError all mean the same here
        return f"corrupt archive, cannot be opened ({type(exc).__name__}: {exc})"
    return ""


REQUIRED_PARQUET = (("repo_name", "max_stars_repo_name"), ("path", "max_stars_repo_path"), ("content",))


def parquet_paths(pattern: str) -> list[str]:
    """The files a Parquet path or glob names (any Beam filesystem); raises :class:`InputError`
    when there are none."""
    if "://" in pattern:
        from pipeline.storage import FileSystems

        paths = sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)
    else:
        paths = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else ([pattern] if os.path.isfile(pattern) else [])
    if not paths:
        raise InputError(f"--input {pattern!r}: no Parquet file matches; check the path or glob")
    return paths


def parquet_problem(path: str) -> str:
    """Why a Parquet file cannot be The Stack-style input (read from its footer only), or ``""``."""
    import pyarrow.parquet as pq
    import pyarrow.types as pat

    try:
        if "://" in path:
            from pipeline.storage import FileSystems

            with FileSystems.open(path) as fh:
                schema = pq.read_schema(fh)
        else:
            schema = pq.read_schema(path)
    except Exception as exc:
        return f"not a readable Parquet file ({type(exc).__name__}: {exc})"
    names = set(schema.names)
    missing = [" or ".join(options) for options in REQUIRED_PARQUET if not names & set(options)]
    if missing:
        return (f"Parquet without the column(s) {', '.join(missing)} (it has: {', '.join(schema.names)}); "
                "The Stack-style rows need repo_name, path and content")
    for name in ("stars", "max_stars_count"):
        if name in names and not (pat.is_integer(schema.field(name).type) or pat.is_floating(schema.field(name).type)
                                  or pat.is_null(schema.field(name).type)):
            return f"Parquet column {name} is {schema.field(name).type}, not a number"
    return ""


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
