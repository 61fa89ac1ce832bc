"""Beam wiring of repository-level near-dedup (plain functions in :mod:`dedup.near`).

Input: the repository batches the file filters kept (whole repositories, before any
file-level dedup). Global questions are decided on small records, then the decisions are
brought to the contents:

1. one signature record per repository (MinHash, rank fields; with ``verify="exact"`` its
   shingle set) -> LSH bands -> ``GroupByKey`` on ``(band index, band key)`` -> candidate
   pairs -> distinct -> joined with both records and verified -> edges
   ``(name, name, jaccard)``;
2. connected components of the edges: one gather of the edge names (memory: duplicate
   pairs only, about 100 bytes each, not the corpus), then every member record and edge
   keyed by its component;
3. survivors per component (``GroupByKey`` on the component: no step sees more than one
   component's records);
4. the removed repositories (side input keyed by repository) turn a batch into one
   ``near_duplicate`` reject per file; the other batches pass unchanged.

With ``verify="exact"`` both pair joins shuffle every repository's shingle set once (4
bytes per distinct shingle: 0.2 to 0.4 times the repository's bytes on real code), and
each candidate pair holds one copy between them; edges drop the sets.
"""
from __future__ import annotations

from typing import Any

import apache_beam as beam

from contract.records import reject_record
from dedup.near import (
    STAGE, NearDedupConfig, band_items, bucket_pairs, component_ids, decide_component, member_record,
    repo_signature_record, verified_edge,
)

REJECTS, CLUSTERS = "rejects", "clusters"


def _signatures(batch: dict[str, Any], config: NearDedupConfig):
    if batch["files"]:
        yield repo_signature_record(batch["repo_name"], batch["files"], config)


def _split(batch: dict[str, Any], removed: dict[str, dict[str, Any]]):
    """A repository batch, kept whole, or one ``near_duplicate`` reject per file."""
    row = removed.get(batch["repo_name"])
    if row is None:
        yield batch
        return
    detail = (f"cluster={row['cluster_id']} survivor={row['survivor_repo']} "
              f"jaccard={row['jaccard']:.3f} estimate={row['jaccard_estimate']:.3f}")
    yield beam.pvalue.TaggedOutput(REJECTS, [
        reject_record(batch["repo_name"], r["path"], STAGE, "near_duplicate", detail, r["size"])
        for r in batch["files"]])


def _keyed_by_component(edges: list[tuple[str, str, float]]):
    """``(name, component)`` for every repository with an edge, ``(component, edge)`` for every edge."""
    components = component_ids((a, b) for a, b, _ in edges)
    for name, comp in sorted(components.items()):
        yield beam.pvalue.TaggedOutput("members", (name, comp))
    for edge in sorted(edges):
        yield components[edge[0]], edge


class NearDedup(beam.PTransform):
    """Repository batches in -> kept batches (main), ``rejects`` (row batches, one per
    removed repository) and ``clusters`` (row batches, one per component)."""

    def __init__(self, config: NearDedupConfig):
        super().__init__()
        self.config = config

    def expand(self, batches):
        config = self.config
        signatures = batches | "Signatures" >> beam.FlatMap(_signatures, config)
        pairs = (
            signatures
            | "Bands" >> beam.FlatMap(band_items, config)
            | "Buckets" >> beam.GroupByKey()
            | "Pairs" >> beam.FlatMap(lambda kv: bucket_pairs(kv[1], config.max_bucket_pairs))
            | "DistinctPairs" >> beam.Distinct()
        )
        by_repo = signatures | "SigByRepo" >> beam.Map(lambda r: (r["repo_name"], r))
        with_first = (
            {"sig": by_repo, "pair": pairs | "ByFirst" >> beam.Map(lambda p: (p[0], p[1]))}
            | "JoinFirst" >> beam.CoGroupByKey()
            | "FirstSig" >> beam.FlatMap(
                lambda kv: [(b, s) for s in kv[1]["sig"] for b in sorted(kv[1]["pair"])])
        )
        edges = (
            {"sig": by_repo, "other": with_first}
            | "JoinSecond" >> beam.CoGroupByKey()
            | "Verify" >> beam.FlatMap(
                lambda kv: [e for s in kv[1]["sig"] for a in kv[1]["other"]
                            for e in [verified_edge(a, s, config)] if e is not None])
        )
        keyed = (
            edges
            | "GatherEdges" >> beam.combiners.ToList()
            | "Components" >> beam.FlatMap(_keyed_by_component).with_outputs("members", main="edges")
        )
        members = (
            {"sig": signatures | "MemberRecords" >> beam.Map(lambda r: (r["repo_name"], member_record(r))),
             "component": keyed.members}
            | "JoinComponent" >> beam.CoGroupByKey()
            | "ByComponent" >> beam.FlatMap(
                lambda kv: [(c, s) for c in kv[1]["component"] for s in kv[1]["sig"]])
        )
        clusters = (
            {"members": members, "edges": keyed.edges}
            | "GroupComponents" >> beam.CoGroupByKey()
            | "Survivors" >> beam.Map(
                lambda kv: decide_component(list(kv[1]["members"]), list(kv[1]["edges"]), config))
        )
        removed = (
            clusters
            | "Removed" >> beam.FlatMap(lambda rows: [r for r in rows if r["repo_name"] != r["survivor_repo"]])
            | "RemovedByRepo" >> beam.Map(lambda row: (row["repo_name"], row))
        )
        result = batches | "Split" >> beam.FlatMap(
            _split, removed=beam.pvalue.AsDict(removed)).with_outputs(REJECTS, main="files")
        return {"files": result.files, REJECTS: result[REJECTS], CLUSTERS: clusters}
