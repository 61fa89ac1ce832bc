"""The output folder: never delete what the run did not write.

Before the pipeline starts, :func:`prepare_output` decides whether ``--output`` may be used:

* a folder that does not exist or is empty is created and marked as this tool's
  (``OUT/.repocurate-run.json``, written before anything else, so even a run killed in its
  first second leaves a folder the next run recognises);
* a folder that holds an earlier run (that marker, or the ``_SUCCESS`` / ``config.yaml`` +
  ``ledger.json`` of a run by an earlier version) is reused only with ``--overwrite``, and
  then only the files this tool writes are removed (:data:`OWNED`: table parts, shards,
  plots, ledger, ...); a file of any other name inside one of the tool's sub-folders stops
  the run before anything is removed, since readers of those folders would read it as
  output; files elsewhere in the folder are left alone;
* any other non-empty folder, a file, and a folder that is, contains or lies inside an input
  are refused with a one-line :class:`OutputError` (a usage error, exit 2).

The issue behind this (issue 15, item 1): an earlier version emptied every sub-folder with an
output name, so a user's ``OUT/files/mydata.csv`` was deleted, and ``--output`` equal to
``--input`` deleted the input's own ``report/gen.py``.
"""
from __future__ import annotations

import fnmatch
import json
import os
from typing import Iterable, Sequence

from pipeline.storage import FileSystems

MARKER = ".repocurate-run.json"
MARKER_BYTES = (json.dumps({"tool": "repocurate", "what": "output folder of `repocurate run`",
                            "format": 1}, sort_keys=True) + "\n").encode("utf-8")
TABLES = ("files", "edges", "samples", "repo_metrics", "clusters", "rejects")
_TOP_FILES = ("_SUCCESS", "ledger.json", "config.yaml", "report.html", MARKER)

# folder ("" = the output folder itself) -> name patterns of the files a run writes there.
# Every file is written under ``.tmp-<name>`` first and renamed (pipeline.tables.write_atomic,
# tokenize_shards.atomic_files), so those temporary names are the tool's too.
OWNED: dict[str, tuple[str, ...]] = {
    "": _TOP_FILES + tuple(f".tmp-{name}" for name in _TOP_FILES),
    **{table: ("part-*-of-*.parquet", ".tmp-part-*-of-*.parquet") for table in TABLES},
    "_stats": ("counts.json", ".tmp-counts.json", "run.json", ".tmp-run.json"),
    "shards": ("shard-*.bin", "shard-*.idx", "tokenizer.json", "manifest.json",
               ".tmp-shard-*.bin", ".tmp-shard-*.idx", ".tmp-tokenizer.json", ".tmp-manifest.json"),
    "report": ("*.png", "*.svg", ".tmp-*.png", ".tmp-*.svg"),
    # the run's spills and fragments (pipeline.repo_steps.WorkFolder), removed when it ends
    "_work": ("spill-*.pkl.zst", "shingles-*.u32", "*-scan-*.frag", "*-finish-*.frag", "tokens-*.bin"),
}


class OutputError(ValueError):
    """``--output`` cannot be used as it is; the message says why and what to do."""


def is_remote(path: str) -> bool:
    return "://" in path


def _owned(folder: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in OWNED.get(folder, ()))


def _local_entries(out: str) -> list[str]:
    """Every file, link and folder under ``out``, relative, with ``/`` separators."""
    found = []
    for root, dirs, files in os.walk(out):
        rel = os.path.relpath(root, out)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found += [prefix + d + "/" for d in dirs if not os.path.islink(os.path.join(root, d))]
        found += [prefix + f for f in files]
        found += [prefix + d for d in dirs if os.path.islink(os.path.join(root, d))]
    return sorted(found)


def _remote_entries(out: str) -> list[str]:
    base = out.rstrip("/") + "/"
    matched = FileSystems.match([base + "**"])[0].metadata_list
    return sorted(m.path[len(base):] for m in matched if m.path.startswith(base))


def list_entries(out: str) -> list[str]:
    return _remote_entries(out) if is_remote(out) else _local_entries(out)


def is_earlier_run(entries: Iterable[str]) -> bool:
    """A folder this tool wrote: its marker, or (earlier versions) ``_SUCCESS`` or
    ``config.yaml`` with ``ledger.json``."""
    names = set(entries)
    return MARKER in names or "_SUCCESS" in names or {"config.yaml", "ledger.json"} <= names


def classify(entries: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(owned, foreign)``: the files a run writes, and the files inside the tool's own
    sub-folders that it did not write. Folders and files outside those sub-folders are in neither."""
    owned, foreign = [], []
    for entry in entries:
        if entry.endswith("/"):
            continue
        folder, _, name = entry.rpartition("/")
        if _owned(folder, name):
            owned.append(entry)
        elif folder.split("/")[0] in OWNED and folder:
            foreign.append(entry)
    return owned, foreign


def wrong_kind(entries: Sequence[str]) -> list[str]:
    """Top-level entries with an output's name but the wrong kind (a folder ``ledger.json/``,
    a file ``files``): not the tool's, and the run could not write its own there."""
    names = set(entries)
    wrong = [f"{name}/" for name in OWNED[""] if f"{name}/" in names]
    wrong += [name for name in OWNED if name and name in names]
    return sorted(wrong)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_not_an_input(out: str, inputs: Iterable[str]) -> None:
    """Refuse an output that is, contains or lies inside a local input (folder, archive,
    manifest, Parquet file or ``file://`` repository)."""
    if is_remote(out):
        return
    target = os.path.realpath(out)
    for item in inputs:
        if not item or (is_remote(item) and not item.startswith("file://")):
            continue
        path = os.path.realpath(item[len("file://"):] if item.startswith("file://") else item)
        if _inside(target, path) or _inside(path, target):
            how = "is" if target == path else "lies inside" if _inside(target, path) else "contains"
            raise OutputError(f"--output {out} {how} the input {item}: choose an output folder outside every input")


def remove_owned(out: str, owned: Sequence[str]) -> None:
    """Remove the files of an earlier run (only ``owned`` ones that match :data:`OWNED`),
    then its emptied sub-folders. Locally a file is unlinked, never a tree removed."""
    files = [e for e in owned if not e.endswith("/") and _owned(*((e.rpartition("/")[0], e.rpartition("/")[2])))]
    if is_remote(out):
        if files:
            FileSystems.delete([FileSystems.join(out, *entry.split("/")) for entry in files])
        return
    for entry in files:
        path = os.path.join(out, *entry.split("/"))
        if os.path.lexists(path) and (os.path.islink(path) or not os.path.isdir(path)):
            os.remove(path)
    for folder in OWNED:
        path = os.path.join(out, folder)
        if folder and os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path):
            os.rmdir(path)


def remove_work(out: str) -> None:
    """Remove the run's work folder (only the files :data:`OWNED` names there)."""
    exists = FileSystems.exists(out) if is_remote(out) else os.path.isdir(os.path.join(out, "_work"))
    if exists:
        remove_owned(out, [e for e in list_entries(out) if e.startswith("_work/")])


def prepare_output(out: str, inputs: Iterable[str] = (), overwrite: bool = False) -> None:
    """Check ``out`` (see the module docstring), clear an earlier run's files when
    ``overwrite``, and mark the folder as this tool's. Raises :class:`OutputError`."""
    if not is_remote(out):
        if os.path.lexists(out) and not os.path.isdir(out):
            raise OutputError(f"--output {out} is a file, not a folder: give a new or empty folder")
        check_not_an_input(out, inputs)
    exists = FileSystems.exists(out) if is_remote(out) else os.path.isdir(out)
    entries = list_entries(out) if exists else []
    if entries:
        if not is_earlier_run(entries):
            raise OutputError(
                f"--output {out} is not empty and holds no earlier repocurate run (no {MARKER}): "
                "choose a new or empty folder (nothing was deleted)")
        if not overwrite:
            raise OutputError(
                f"--output {out} holds an earlier run: pass --overwrite to replace its outputs, "
                "or choose another folder")
        owned, foreign = classify(entries)
        foreign += wrong_kind(entries)
        if foreign:
            more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
            raise OutputError(
                f"--output {out}: {foreign[0]}{more} was not written by repocurate but lies in one of "
                "its output folders: move it out of the folder or choose another output (nothing was deleted)")
        remove_owned(out, owned)
    elif not exists:
        FileSystems.mkdirs(out)
    with FileSystems.create(FileSystems.join(out, MARKER)) as fh:
        fh.write(MARKER_BYTES)
