"""Enumerate the files of a repository folder, safely (no symlink is ever followed).

Entries come out sorted by repo-relative path (``/`` separators); each is either a
regular file's bytes or a reason why it was not read:

* ``symlink:escapes_repo`` — the link resolves outside the repository (detail: target);
* ``symlink:internal`` — the link resolves inside it; the target is read on its own;
* ``symlink:broken`` — the link resolves to nothing (or loops);
* ``oversize`` — larger than ``CrawlLimits.max_file_bytes`` (not read; ``size`` set);
* ``not_regular_file`` — FIFO, socket or device (detail: which);
* ``bad_name`` — the file name is not valid UTF-8 (the path shows it escaped);
* ``unreadable`` — an ``OSError`` while listing or reading (detail: the error);
  with path ``""`` when the repository folder itself cannot be listed.

Entries named ``.git`` (the repository's metadata, a directory or a submodule's gitdir
file) are skipped at any depth: git cannot track such a path, so it is never content.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator

from pipeline.limits import CrawlLimits
from contract.records import RawEntry

GIT_DIR_NAME = ".git"

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "char_device"),
    (stat.S_ISBLK, "block_device"),
)


def find_repositories(root: str) -> list[tuple[str, str]]:
    """``(repo_name, path)`` for each repository under ``root``.

    Rule: ``root`` is itself one repository (named by its folder name) when it contains
    ``.git`` or any regular file directly inside it; otherwise it is a container and each
    immediate sub-folder is a repository, sorted by name, hidden ones (``.x``) and
    symlinks skipped. Raises ``OSError`` when ``root`` is not a readable folder.
    """
    with os.scandir(root) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    is_repository = any(
        entry.name == GIT_DIR_NAME or entry.is_file(follow_symlinks=False) for entry in entries
    )
    if is_repository:
        return [(os.path.basename(os.path.normpath(os.path.abspath(root))), root)]
    return [
        (entry.name, entry.path)
        for entry in entries
        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
    ]


def iter_folder(root: str, limits: CrawlLimits) -> Iterator[RawEntry]:
    """Yield one :class:`RawEntry` per non-directory entry under ``root``, sorted by path.

    Paths are listed first (memory: one string per file), then read one file at a time.
    """
    real_root = os.path.realpath(root)
    paths, listing_errors = _list_tree(root)
    for rel_path, abs_path in sorted(paths + listing_errors, key=lambda item: item[0]):
        if isinstance(abs_path, OSError):
            yield RawEntry(rel_path, None, "unreadable", _describe(abs_path))
        else:
            yield _read_entry(rel_path, abs_path, real_root, limits)


def _list_tree(root: str) -> tuple[list[tuple[str, str]], list[tuple[str, OSError]]]:
    """(relative path, absolute path) of every non-directory entry, and listing errors."""
    files: list[tuple[str, str]] = []
    errors: list[tuple[str, OSError]] = []
    pending = [("", root)]
    while pending:
        rel_dir, abs_dir = pending.pop()
        try:
            with os.scandir(abs_dir) as listing:
                entries = list(listing)
        except OSError as err:
            errors.append((rel_dir, err))
            continue
        for entry in entries:
            if entry.name == GIT_DIR_NAME:
                continue
            rel_path = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as err:
                errors.append((rel_path, err))
                continue
            if is_dir:
                pending.append((rel_path, entry.path))
            else:
                files.append((rel_path, entry.path))
    return files, errors


def _read_entry(rel_path: str, abs_path: str, real_root: str, limits: CrawlLimits) -> RawEntry:
    """Classify one listed entry and read it when it is a regular file within the caps."""
    if not _is_utf8(rel_path):
        return RawEntry(_escaped(rel_path), None, "bad_name", "file name is not valid UTF-8")
    try:
        info = os.lstat(abs_path)
    except OSError as err:
        return RawEntry(rel_path, None, "unreadable", _describe(err))
    if stat.S_ISLNK(info.st_mode):
        return _symlink_entry(rel_path, abs_path, real_root)
    if not stat.S_ISREG(info.st_mode):
        return RawEntry(rel_path, None, "not_regular_file", _special_kind(info.st_mode))
    if info.st_size > limits.max_file_bytes:
        return RawEntry(rel_path, None, "oversize", f"{info.st_size} bytes", info.st_size)
    try:
        data = _read_regular_file(abs_path, limits.max_file_bytes + 1)
    except OSError as err:
        return RawEntry(rel_path, None, "unreadable", _describe(err), info.st_size)
    if len(data) > limits.max_file_bytes:
        return RawEntry(rel_path, None, "oversize", "grew while read", len(data))
    return RawEntry(rel_path, data, size=len(data))


def _read_regular_file(abs_path: str, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of a file, refusing (``OSError``) anything but a regular file."""
    fd = os.open(abs_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("changed into a non-regular file while read")
        return handle.read(max_bytes)


def _symlink_entry(rel_path: str, abs_path: str, real_root: str) -> RawEntry:
    try:
        target = os.readlink(abs_path)
    except OSError as err:
        return RawEntry(rel_path, None, "unreadable", _describe(err))
    resolved = os.path.realpath(abs_path)
    if resolved != real_root and not resolved.startswith(real_root + os.sep):
        return RawEntry(rel_path, None, "symlink:escapes_repo", _escaped(target))
    if not os.path.exists(abs_path):
        return RawEntry(rel_path, None, "symlink:broken", _escaped(target))
    return RawEntry(rel_path, None, "symlink:internal", _escaped(target))


def _special_kind(mode: int) -> str:
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), "unknown")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escaped(text: str) -> str:
    """``text`` made safe to store: undecodable bytes shown as ``\\udcXX`` escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _describe(err: OSError) -> str:
    return f"{type(err).__name__}: {err.strerror or err}"
