"""Plain records that flow between stages.

Elements are plain ``dict``s (cheap for Beam to encode, identical on every runner).
Two shapes matter everywhere:

* a **file record**, see :func:`file_record` (the columns of ``OUT/files``);
* a **reject record**, see :func:`reject_record` (the columns of ``OUT/rejects``).

Crawl enumerators yield :class:`RawEntry` tuples (a path and its bytes, or a reason why
there are no bytes); :mod:`pipeline.sources.decode` turns them into file or reject records.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple, Optional, Sequence

FILE_COLUMNS = (
    "repo_name", "path", "language", "content", "size", "sha256",
    "license", "stars", "source", "repo_meta", "license_detected", "license_files",
)
REJECT_COLUMNS = ("repo_name", "path", "stage", "reason", "detail", "size")


class RawEntry(NamedTuple):
    """One entry found while enumerating a repository.

    ``data`` is the file's bytes, or ``None`` when the entry could not be read; then
    ``reason`` says why (e.g. ``"symlink:escapes_repo"``, ``"archive:path_traversal"``,
    ``"git:clone_failed"``) and ``detail`` gives specifics. ``path`` is repo-relative with
    ``/`` separators; it is ``""`` for a failure of the whole repository.
    """

    path: str
    data: Optional[bytes]
    reason: Optional[str] = None
    detail: str = ""
    size: int = 0


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_record(
    repo_name: str,
    path: str,
    language: str,
    content: str,
    size: int,
    sha256: str,
    license: str = "",
    stars: int = 0,
    source: str = "",
    repo_meta: Optional[dict[str, Any]] = None,
    license_detected: str = "",
    license_files: Sequence[str] = (),
) -> dict[str, Any]:
    """A curated file: The Stack-like columns plus the repository's extra metadata (JSON).

    ``license`` is the license the survivor rank and the license filter use (the declared
    one, else the detected one); ``license_detected`` is the SPDX expression the ``licenses``
    stage detected and ``license_files`` the paths it read it from (see ``filters.licenses``)."""
    return {
        "repo_name": repo_name,
        "path": path,
        "language": language,
        "content": content,
        "size": int(size),
        "sha256": sha256,
        "license": license or "",
        "stars": int(stars or 0),
        "source": source,
        "repo_meta": json.dumps(repo_meta or {}, sort_keys=True, ensure_ascii=False),
        "license_detected": license_detected or "",
        "license_files": list(license_files),
    }


def reject_record(
    repo_name: str, path: str, stage: str, reason: str, detail: str = "", size: int = 0
) -> dict[str, Any]:
    """A dropped file (or sample): which stage dropped it and why."""
    return {
        "repo_name": repo_name,
        "path": path,
        "stage": stage,
        "reason": reason,
        "detail": detail[:2000],
        "size": int(size),
    }
