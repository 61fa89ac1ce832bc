"""Crawl: one record per file of every repository (or a reject with the reason).

Plain functions (``crawl_task``, ``crawl_batches``, ``stack_row_to_record``), shared by
every engine; this module imports no Beam. The thin Beam wrappers of the earlier graph
(:class:`CrawlRepositories`, :class:`ReadStackParquet`, whose outputs are two tagged
PCollections: ``files``, one repository batch per repository, see :mod:`pipeline.batches`,
and ``rejects``, row batches) live in :mod:`pipeline.sources.crawl_beam` and are still
reachable here by name (imported on first use).
"""
from __future__ import annotations

from typing import Any, Collection, Iterator

from pipeline.batches import repo_batch
from contract.languages import canonical_language
from pipeline.config import CrawlConfig
from contract.records import RawEntry, reject_record
from pipeline.sources.archives import iter_archive
from pipeline.sources.decode import STAGE, RepoInfo, decode_entry
from pipeline.sources.folder import iter_folder
from pipeline.sources.git import iter_git
from pipeline.sources.plan import RepoTask
from parsers.aux_files import is_aux_file
from filters.licenses import is_license_source

FILES, REJECTS, AUX = "files", "rejects", "aux"


def _entries(task: RepoTask, config: CrawlConfig) -> Iterator[RawEntry]:
    if task.kind == "folder":
        return iter_folder(task.location, config.limits)
    if task.kind == "archive":
        return iter_archive(task.location, config.limits)
    if task.kind == "git":
        return iter_git(task.location, config.limits, task.ref or None)
    return iter([RawEntry("", None, "input:invalid", f"{task.location}: {task.error}")])


def aux_record(repo_name: str, entry: RawEntry) -> dict[str, Any] | None:
    """A configuration file that import resolution reads (go.mod, tsconfig.json, ...) or a
    license-bearing file the ``licenses`` stage reads (LICENSE, README, debian/copyright, ...),
    if ``entry`` is one; kept whether or not the file itself is curated as code."""
    if entry.data is None or not (is_aux_file(entry.path) or is_license_source(entry.path)):
        return None
    return {"repo_name": repo_name, "path": entry.path, "text": entry.data.decode("utf-8", "replace")}


def crawl_task(task: RepoTask, config: CrawlConfig) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(FILES, file_record)`` or ``(REJECTS, reject_record)`` for every entry, and
    ``(AUX, aux_record)`` for configuration files import resolution needs (outside the ledger)."""
    info = RepoInfo(task.name, f"{task.kind}:{task.location}", task.license, task.stars, task.meta)
    try:
        for entry in _entries(task, config):
            aux = aux_record(task.name, entry)
            if aux is not None:
                yield AUX, aux
            record, reject = decode_entry(info, entry, config.keep_unlisted_languages)
            yield (FILES, record) if record is not None else (REJECTS, reject)
    except Exception as exc:  # a bug in an enumerator must not fail the whole run
        yield REJECTS, reject_record(task.name, "", STAGE, "crawl:error", f"{type(exc).__name__}: {exc}")


def stack_row_to_record(
    row: dict[str, Any], config: CrawlConfig, source: str = "parquet"
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A The Stack-style Parquet row (repo_name, path, content, license?, stars?) as a crawl result."""
    repo = str(row.get("repo_name") or row.get("max_stars_repo_name") or "")
    path = str(row.get("path") or row.get("max_stars_repo_path") or "")
    content = row.get("content")
    license_ = row.get("license") or row.get("max_stars_repo_licenses") or ""
    if isinstance(license_, (list, tuple)):
        license_ = ",".join(str(x) for x in license_)
    stars = row.get("stars", row.get("max_stars_count")) or 0
    known = {"repo_name", "path", "content", "license", "stars", "size", "language", "lang"}
    meta = {k: v for k, v in row.items() if k not in known and isinstance(v, (str, int, float, bool))}
    info = RepoInfo(repo, source, str(license_), int(stars), meta)
    if content is None:
        entry = RawEntry(path, None, "parquet:no_content", "content column is null")
    else:
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else bytes(content)
        if len(data) > config.limits.max_file_bytes:
            entry = RawEntry(path, None, "oversize", f"{len(data)} bytes > {config.limits.max_file_bytes}", len(data))
        else:
            entry = RawEntry(path, data)
    aux = aux_record(repo, entry)
    if aux is not None:
        yield AUX, aux
    hint = canonical_language(str(row.get("language") or row.get("lang") or ""))
    record, reject = decode_entry(info, entry, config.keep_unlisted_languages, hint)
    yield (FILES, record) if record is not None else (REJECTS, reject)


def crawl_batches(task: RepoTask, config: CrawlConfig) -> Iterator[tuple[str, Any]]:
    """One repository crawled: its repository batch (``FILES``, when any file was kept) and
    its rejects (``REJECTS``, a row batch, when any); aux records travel in the batch."""
    files, rejects, aux = [], [], []
    for tag, record in crawl_task(task, config):
        (files if tag == FILES else rejects if tag == REJECTS else aux).append(record)
    if files or aux:
        yield FILES, repo_batch(task.name, files, aux)
    if rejects:
        yield REJECTS, rejects


def unused_name(name: str, taken: Collection[str]) -> str:
    """``name``, or ``name~k`` with the smallest ``k >= 2`` not in ``taken`` (as the plan names
    repeated repositories)."""
    if name not in taken:
        return name
    k = 2
    while f"{name}~{k}" in taken:
        k += 1
    return f"{name}~{k}"


_BEAM_WRAPPERS = ("_CrawlDoFn", "_stack_batches", "CrawlRepositories", "ReadStackParquet")


def __getattr__(name: str):
    """The Beam wrappers, imported (with Beam) only when asked for by name."""
    if name in _BEAM_WRAPPERS:
        from pipeline.sources import crawl_beam

        return getattr(crawl_beam, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
