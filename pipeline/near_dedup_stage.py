"""Beam wiring of repository-level near-dedup (plain functions in :mod:`dedup.near`).

Signatures are computed where a repository's samples are already together (the ordering
stage's per-repository step), so near-dedup adds no shuffle of text. Then:
LSH bands -> ``GroupByKey`` on ``(band index, band key)`` (shards across workers) ->
candidate pairs -> distinct -> joined with both signature records and verified
(``NearDedupConfig.verify``: signature estimate, exact Jaccard of the shingle sets, or none)
-> one global gather of the verified edges (memory: duplicate pairs only) -> connected
components and survivors -> the samples of removed repositories become per-file rejects.

With ``verify="exact"`` the signature records carry each repository's shingle set (4 bytes
per distinct shingle: 0.2 to 0.4 times the document's bytes on real code), so both joins shuffle every
repository's set once and each candidate pair holds one copy between them; verified edges
drop the sets, so nothing after the joins grows.
"""
from __future__ import annotations

from typing import Any

import apache_beam as beam

from dedup.near import STAGE, NearDedupConfig, band_items, bucket_pairs, decide_clusters, verified_edge
from contract.records import reject_record

REJECTS, CLUSTERS = "rejects", "clusters"


def _sample_rejects(sample: dict[str, Any], row: dict[str, Any]):
    detail = (f"cluster={row['cluster_id']} survivor={row['survivor_repo']} "
              f"jaccard={row['jaccard_estimate']:.3f}")
    sizes = sample.get("file_sizes") or [0] * len(sample["paths"])
    for path, size in zip(sample["paths"], sizes):
        yield reject_record(sample["repo_name"], path, STAGE, "near_duplicate", detail, size)


def _split_samples(samples: list[dict[str, Any]], removed: dict[str, dict[str, Any]]):
    """A repository's sample batch, kept whole or turned into one reject row per file."""
    row = removed.get(samples[0]["repo_name"])
    if row is None:
        yield samples
    else:
        yield beam.pvalue.TaggedOutput(REJECTS, [r for sample in samples for r in _sample_rejects(sample, row)])


class NearDedup(beam.PTransform):
    """``{"samples", "signatures"}`` -> kept ``samples`` (main), ``rejects`` and ``clusters``.

    ``samples`` and ``rejects`` are row batches (one repository's samples, kept or removed
    together); ``clusters`` holds one-row batches."""

    def __init__(self, config: NearDedupConfig):
        super().__init__()
        self.config = config

    def expand(self, pcolls):
        config = self.config
        samples, signatures = pcolls["samples"], pcolls["signatures"]
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
        clusters = (
            edges
            | "GatherEdges" >> beam.combiners.ToList()
            | "Clusters" >> beam.FlatMap(decide_clusters, config)
        )
        removed = (
            clusters
            | "Removed" >> beam.Filter(lambda row: row["repo_name"] != row["survivor_repo"])
            | "RemovedByRepo" >> beam.Map(lambda row: (row["repo_name"], row))
        )
        result = samples | "Split" >> beam.FlatMap(
            _split_samples, removed=beam.pvalue.AsDict(removed)).with_outputs(REJECTS, main="samples")
        cluster_rows = clusters | "ClusterRows" >> beam.Map(lambda row: [row])
        return {"samples": result.samples, REJECTS: result[REJECTS], CLUSTERS: cluster_rows}
