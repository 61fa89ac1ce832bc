"""Enumerate the files of a repository archive (.tar[.gz|.bz2|.xz], .zip) without extracting.

Members are read in-stream and never written to disk; links are never followed. Entries
come out sorted by repo-relative path, after a single common top-level directory (GitHub
downloads, PyPI sdists) is stripped. Reasons:

* ``archive:bad_name`` (control character or undecodable name), ``archive:absolute_path``
  (``/x``, ``C:\\x``, ``\\\\x``), ``archive:path_traversal`` (a ``..`` component) — the
  path shown is the member name as stored (control characters escaped);
* ``archive:link_escapes`` / ``archive:link_internal`` — a symlink or hardlink member
  whose target leaves / stays inside the archive root (detail: target);
* ``archive:not_regular_file`` (device, FIFO), ``archive:duplicate_member`` (a later member
  of a name already seen: the first one wins), ``archive:unreadable_member`` (a zip member
  that fails to decompress or is encrypted), ``archive:compression_ratio`` (zip member over
  ``archive_max_ratio`` and over 1 MiB), ``oversize`` (over ``max_file_bytes``, not read);
* path ``""``: ``archive:too_many_members`` (members past ``archive_max_members`` are
  skipped), ``archive:total_size_cap`` (reading stopped past ``archive_max_total_bytes``),
  ``archive:corrupt`` (the archive cannot be opened or read on; entries before stay).

Directories and anything under a ``.git`` component are skipped. At most
``max_file_bytes + 1`` bytes are read from any member whatever its header says.

Memory: a zip is read member by member in path order (random access). A tar is read in one
sequential pass (random access into a compressed stream is slow) that buffers accepted
members, so its bound is one archive's accepted bytes, at most ``archive_max_total_bytes``.
Since that pass stops at the member cap, the count of skipped tar members is not known.
"""
from __future__ import annotations

import lzma
import os
import re
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import NamedTuple, Optional

from pipeline.limits import CrawlLimits
from contract.records import RawEntry

ARCHIVE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz2", ".txz", ".tar", ".zip")
RATIO_MIN_BYTES = 1 << 20   # zip members at most this big are never flagged by their ratio
GIT_DIR_NAME = ".git"

_ARCHIVE_ERRORS = (
    tarfile.TarError, zipfile.BadZipFile, OSError, EOFError, zlib.error, lzma.LZMAError,
    ValueError, RuntimeError, NotImplementedError,
)
_SEPARATORS = re.compile(r"[/\\]")
_DRIVE = re.compile(r"[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _Member(NamedTuple):
    """One archive member as listed by its header.

    ``kind`` is ``file``, ``dir``, ``symlink``, ``hardlink``, ``special`` (device, FIFO;
    ``info`` says which) or ``unreadable`` (``info`` says why). ``info`` is the target for
    links. ``compressed`` is the zip compressed size, ``None`` for tar members.
    """

    name: str
    kind: str
    size: int
    info: str = ""
    compressed: Optional[int] = None


def is_archive(path: str) -> bool:
    """Whether ``path`` has one of the supported archive extensions (case-insensitive)."""
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def archive_repo_name(path: str) -> str:
    """The archive's file name without its archive extension: ``requests-2.31.0``."""
    name = os.path.basename(path)
    suffix = next((s for s in ARCHIVE_SUFFIXES if name.lower().endswith(s)), "")
    return name[: len(name) - len(suffix)]


def iter_archive(path: str, limits: CrawlLimits) -> Iterator[RawEntry]:
    """Yield one :class:`RawEntry` per member of the archive at ``path``, sorted by path."""
    if path.lower().endswith(".zip"):
        yield from _iter_zip(path, limits)
    else:
        yield from _iter_tar(path, limits)


def _iter_zip(path: str, limits: CrawlLimits) -> Iterator[RawEntry]:
    try:
        archive = zipfile.ZipFile(path)
    except _ARCHIVE_ERRORS as err:
        yield _corrupt(err)
        return
    with archive:
        infos = archive.infolist()
        kept = infos[: limits.archive_max_members]
        members = [_zip_member(archive, info) for info in kept]
        total = 0
        for entry_path, index, reject in _plan_members(members, limits):
            if reject is not None:
                yield reject
                continue
            try:
                with archive.open(kept[index]) as handle:
                    data = handle.read(limits.max_file_bytes + 1)
            except _ARCHIVE_ERRORS as err:
                yield RawEntry(entry_path, None, "archive:unreadable_member", _error_text(err))
                continue
            total += len(data)
            if total > limits.archive_max_total_bytes:
                yield _total_size_cap(limits, entry_path)
                break
            yield _data_entry(entry_path, data, limits)
        if len(infos) > len(kept):
            yield RawEntry(
                "", None, "archive:too_many_members",
                f"{len(infos) - len(kept)} members after the first {len(kept)} skipped",
            )


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Member:
    if info.is_dir():
        return _Member(info.filename, "dir", 0)
    if info.flag_bits & 0x1:
        return _Member(info.filename, "unreadable", info.file_size, "encrypted")
    mode = info.external_attr >> 16 if info.create_system == 3 else 0
    if stat.S_ISLNK(mode):
        try:
            with archive.open(info) as handle:
                target = handle.read(4096).decode("utf-8", "surrogateescape")
        except _ARCHIVE_ERRORS as err:
            return _Member(info.filename, "unreadable", info.file_size, _error_text(err))
        return _Member(info.filename, "symlink", info.file_size, target)
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        return _Member(info.filename, "special", info.file_size, stat.filemode(mode))
    return _Member(info.filename, "file", info.file_size, compressed=info.compress_size)


def _iter_tar(path: str, limits: CrawlLimits) -> Iterator[RawEntry]:
    members, data, tail = _read_tar(path, limits)
    for entry_path, index, reject in _plan_members(members, limits):
        yield reject if reject is not None else _data_entry(entry_path, data[index], limits)
    yield from tail


def _read_tar(
    path: str, limits: CrawlLimits
) -> tuple[list[_Member], dict[int, bytes], list[RawEntry]]:
    """One sequential pass: the member table, the bytes of members worth reading (by
    index), and the whole-archive entries (caps, corruption) to yield last."""
    members: list[_Member] = []
    data: dict[int, bytes] = {}
    total = 0
    try:
        with tarfile.open(path, "r:*") as archive:
            while (info := archive.next()) is not None:
                if len(members) == limits.archive_max_members:
                    return members, data, [RawEntry(
                        "", None, "archive:too_many_members",
                        f"members after the first {len(members)} skipped"
                        " (archive not read further)",
                    )]
                member = _tar_member(info)
                if _wants_data(member, limits):
                    handle = archive.extractfile(info)
                    blob = handle.read(limits.max_file_bytes + 1) if handle else b""
                    total += len(blob)
                    if total > limits.archive_max_total_bytes:
                        return members, data, [_total_size_cap(limits, member.name)]
                    data[len(members)] = blob
                members.append(member)
    except _ARCHIVE_ERRORS as err:
        return members, data, [_corrupt(err)]
    return members, data, []


def _tar_member(info: tarfile.TarInfo) -> _Member:
    if info.isdir():
        return _Member(info.name, "dir", 0)
    if info.issym():
        return _Member(info.name, "symlink", 0, info.linkname)
    if info.islnk():
        return _Member(info.name, "hardlink", 0, info.linkname)
    if info.isreg():
        return _Member(info.name, "file", info.size)
    kinds = {tarfile.CHRTYPE: "char_device", tarfile.BLKTYPE: "block_device",
             tarfile.FIFOTYPE: "fifo"}
    return _Member(info.name, "special", info.size, kinds.get(info.type, f"type {info.type!r}"))


def _plan_members(
    members: list[_Member], limits: CrawlLimits
) -> list[tuple[str, int, Optional[RawEntry]]]:
    """``(path, index, reject)`` for each member worth an entry, sorted by path then by
    archive order; ``reject`` is ``None`` for a member whose bytes are to be read."""
    strip = _common_top_depth(members)
    seen: set[str] = set()
    plan: list[tuple[str, int, Optional[RawEntry]]] = []
    for index, member in enumerate(members):
        problem = _name_problem(member.name)
        if problem is not None:
            shown = _escaped(member.name)
            plan.append((shown, index, RawEntry(shown, None, problem[0], problem[1])))
            continue
        parts = _parts(member.name)
        if member.kind == "dir" or GIT_DIR_NAME in parts or len(parts) <= strip:
            continue
        path = "/".join(parts[strip:])
        if path in seen:
            plan.append((path, index, RawEntry(path, None, "archive:duplicate_member",
                                               f"member #{index}", member.size)))
            continue
        seen.add(path)
        plan.append((path, index, _member_reject(member, path, limits)))
    plan.sort(key=lambda item: (item[0], item[1]))
    return plan


def _wants_data(member: _Member, limits: CrawlLimits) -> bool:
    """Whether the member's bytes are worth reading (a regular file passing every check)."""
    return (
        member.kind == "file"
        and _name_problem(member.name) is None
        and GIT_DIR_NAME not in _parts(member.name)
        and _member_reject(member, member.name, limits) is None
    )


def _name_problem(name: str) -> Optional[tuple[str, str]]:
    """``(reason, detail)`` when a member name is unsafe to use as a path, else ``None``."""
    if _CONTROL.search(name):
        return "archive:bad_name", "control character in name"
    if not _is_utf8(name):
        return "archive:bad_name", "name is not valid UTF-8"
    if _is_absolute(name):
        return "archive:absolute_path", ""
    if ".." in _SEPARATORS.split(name):
        return "archive:path_traversal", ""
    return None


def _member_reject(member: _Member, path: str, limits: CrawlLimits) -> Optional[RawEntry]:
    """The reject entry for a member that must not be read, else ``None``."""
    if member.kind == "symlink":
        escapes = _is_absolute(member.info) or _leaves_root(_parts(path)[:-1], member.info)
        return _link_entry(path, member.info, escapes)
    if member.kind == "hardlink":
        escapes = _is_absolute(member.info) or _leaves_root([], member.info)
        return _link_entry(path, member.info, escapes)
    if member.kind == "special":
        return RawEntry(path, None, "archive:not_regular_file", member.info, member.size)
    if member.kind == "unreadable":
        return RawEntry(path, None, "archive:unreadable_member", member.info, member.size)
    if member.compressed is not None and member.size > RATIO_MIN_BYTES and (
        member.size > limits.archive_max_ratio * member.compressed
    ):
        ratio = member.size / max(member.compressed, 1)
        return RawEntry(path, None, "archive:compression_ratio",
                        f"{member.size} bytes from {member.compressed} (x{ratio:.0f})",
                        member.size)
    if member.size > limits.max_file_bytes:
        return RawEntry(path, None, "oversize", f"{member.size} bytes", member.size)
    return None


def _common_top_depth(members: list[_Member]) -> int:
    """1 when every well-named member lies under one top-level directory, else 0."""
    tops: set[str] = set()
    for member in members:
        if _name_problem(member.name) is not None:
            continue
        parts = _parts(member.name)
        if not parts:
            continue
        if len(parts) == 1 and member.kind != "dir":
            return 0
        tops.add(parts[0])
        if len(tops) > 1:
            return 0
    return len(tops)


def _link_entry(path: str, target: str, escapes: bool) -> RawEntry:
    reason = "archive:link_escapes" if escapes else "archive:link_internal"
    return RawEntry(path, None, reason, _escaped(target))


def _leaves_root(base: list[str], target: str) -> bool:
    """Whether ``target``, taken relative to the directory ``base``, climbs above the root."""
    depth = len(base)
    for part in _SEPARATORS.split(target):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


def _data_entry(path: str, data: bytes, limits: CrawlLimits) -> RawEntry:
    if len(data) > limits.max_file_bytes:
        return RawEntry(path, None, "oversize", "more bytes than its header said", len(data))
    return RawEntry(path, data, size=len(data))


def _total_size_cap(limits: CrawlLimits, at: str) -> RawEntry:
    return RawEntry("", None, "archive:total_size_cap",
                    f"over {limits.archive_max_total_bytes} bytes read; stopped at"
                    f" {_escaped(at)}")


def _corrupt(err: BaseException) -> RawEntry:
    return RawEntry("", None, "archive:corrupt", _error_text(err))


def _parts(name: str) -> list[str]:
    return [part for part in name.split("/") if part not in ("", ".")]


def _is_absolute(name: str) -> bool:
    return name.startswith(("/", "\\")) or _DRIVE.match(name) is not None


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escaped(text: str) -> str:
    """``text`` made safe to store: control characters and undecodable bytes escaped."""
    escaped = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return escaped.encode("utf-8", "backslashreplace").decode("utf-8")


def _error_text(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"
