"""Repository batches: the elements that flow between stages.

Every stage works on one repository at a time, so the graph carries one element per
repository (and stage output), not one per file: Beam's per-element costs (data-plane
coding, DoFn invocation, grouping buffers) are paid ~100-1000x less often, and no step
has to group files by repository again after the crawl.

* a **repository batch** (:func:`repo_batch`): ``{"repo_name", "files", "aux"}``, the file
  records of one repository and the configuration files its import resolution reads;
* a **row batch**: a non-empty ``list`` of rows of one repository (rejects, edges, samples,
  metrics), or of one near-dedup cluster.

:func:`batch_rows` gives the rows (file records, for a repository batch) of either.
"""
from __future__ import annotations

from typing import Any, Iterable, Union

Batch = Union[dict, list]


def repo_batch(repo_name: str, files: list[dict[str, Any]], aux: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """One repository's file records (sorted by path) and auxiliary configuration files."""
    return {"repo_name": repo_name, "files": sorted(files, key=lambda r: r["path"]),
            "aux": sorted(aux, key=lambda a: a["path"])}


def batch_rows(batch: Batch) -> list[dict[str, Any]]:
    """The rows of a row batch, or the file records of a repository batch."""
    return batch["files"] if isinstance(batch, dict) else batch
