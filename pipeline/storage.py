"""File access for every engine: local paths through ``os``, URLs (``gs://``, ``s3://``,
``hdfs://``, ...) through fsspec and the backend installed for them (gcsfs, s3fs, ...).

The few calls the pipeline needs, under the names of Beam's ``FileSystems`` it used before
(``join``, ``create``, ``open``, ``exists``, ``delete``, ``rename``, ``match``, ``mkdirs``),
so the Beam and Spark engines share one implementation and the Spark path imports no
Beam. ``create`` makes missing parent folders, as Beam's local filesystem did.
"""
from __future__ import annotations

import glob
import os
import shutil
from dataclasses import dataclass
from typing import IO, Sequence


def is_url(path: str) -> bool:
    return "://" in path


def _fs(path: str):
    import fsspec

    return fsspec.core.url_to_fs(path)[0]


@dataclass(frozen=True)
class Metadata:
    path: str
    size_in_bytes: int


@dataclass(frozen=True)
class MatchResult:
    pattern: str
    metadata_list: list


class FileSystems:
    """Beam-``FileSystems``-shaped static helpers (see module doc)."""

    @staticmethod
    def join(base: str, *parts: str) -> str:
        if is_url(base):
            return "/".join([base.rstrip("/"), *(p.strip("/") for p in parts)])
        return os.path.join(base, *parts)

    @staticmethod
    def create(path: str, **_ignored) -> IO[bytes]:
        if is_url(path):
            return _fs(path).open(path, "wb")
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        return open(path, "wb")

    @staticmethod
    def open(path: str, **_ignored) -> IO[bytes]:
        return _fs(path).open(path, "rb") if is_url(path) else open(path, "rb")

    @staticmethod
    def exists(path: str) -> bool:
        return _fs(path).exists(path) if is_url(path) else os.path.lexists(path)

    @staticmethod
    def delete(paths: Sequence[str]) -> None:
        for path in paths:
            if is_url(path):
                _fs(path).rm(path, recursive=True)
            elif os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)

    @staticmethod
    def rename(sources: Sequence[str], destinations: Sequence[str]) -> None:
        for src, dst in zip(sources, destinations):
            if is_url(src):
                _fs(src).mv(src, dst)
            else:
                os.replace(src, dst)

    @staticmethod
    def mkdirs(path: str) -> None:
        if is_url(path):
            _fs(path).makedirs(path, exist_ok=True)
        else:
            os.makedirs(path)

    @staticmethod
    def match(patterns: Sequence[str]) -> list[MatchResult]:
        results = []
        for pattern in patterns:
            if is_url(pattern):
                fs = _fs(pattern)
                protocol = pattern.split("://", 1)[0]
                found = [(p if "://" in p else f"{protocol}://{p}") for p in fs.glob(pattern)]
                metas = [Metadata(p, int(fs.size(p) or 0)) for p in sorted(found)]
            else:
                metas = [Metadata(p, os.path.getsize(p)) for p in sorted(glob.glob(pattern))
                         if os.path.isfile(p)]
            results.append(MatchResult(pattern, metas))
        return results
