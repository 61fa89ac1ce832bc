"""Repository-level near-dedup (paper §2.3): plain functions under the Beam stage.

The document is the whole repository: the texts of its repo-level samples concatenated
in sample order, so a repository is kept or removed whole and no file is torn out of it.
Signatures are MinHash (:mod:`dedup.minhash`), candidates come from LSH bands whose
``(bands, rows)`` minimise the false positive/negative areas for the threshold
(:func:`dedup.lsh.optimal_bands`), each candidate pair is verified (``NearDedupConfig.verify``:
the Jaccard estimate of the full signatures, the exact Jaccard of the two shingle sets, or
not at all), and clusters are the connected components of verified pairs.
One survivor per cluster by :func:`dedup.rank.survivor_rank` (permissive license, stars,
size, name).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from dedup.components import clusters
from dedup.lsh import band_keys, estimate_jaccard, optimal_bands
from dedup.minhash import MinHashParams, hashes_signature, signature
from dedup.rank import survivor_rank
from dedup.shingles import fast_shingle_batches

STAGE = "near_dedup"
VERIFY_MODES = ("estimate", "exact", "none")


@dataclass(frozen=True)
class NearDedupConfig:
    """Repository-level MinHash LSH near-dedup (bigcode near_deduplication defaults)."""

    enabled: bool = True
    threshold: float = 0.7          # Jaccard similarity (The Stack v1 option: 0.85)
    num_perm: int = 256
    ngram: int = 5
    seed: int = 1
    lowercase: bool = False
    verify: str = "exact"           # candidate pairs kept: "exact" Jaccard >= threshold, "estimate" >= threshold, "none": all
    max_bucket_pairs: int = 1000    # a bucket with more members links them as a star, not all pairs
    # bands x rows minimise fp_weight * false-positive area + fn_weight * false-negative area.
    # Exact verification removes every false positive, so the default weighs misses 19:1
    # (0.7 -> 36 x 7, 0.85 -> 19 x 13); datasketch's 0.5 / 0.5 gives 25 x 10 and 13 x 19, and
    # missed 11 % / 24 % of true pairs in benchmarks/RESULTS.md (near-dedup).
    fp_weight: float = 0.05
    fn_weight: float = 0.95

    def __post_init__(self) -> None:
        if self.verify not in VERIFY_MODES:
            raise ValueError(f"near_dedup.verify must be one of {VERIFY_MODES}, got {self.verify!r}")
        if min(self.fp_weight, self.fn_weight) < 0 or self.fp_weight + self.fn_weight <= 0:
            raise ValueError("near_dedup.fp_weight and fn_weight must be >= 0, not both 0")

    def params(self) -> MinHashParams:
        return MinHashParams(num_perm=self.num_perm, ngram=self.ngram, seed=self.seed, lowercase=self.lowercase)

    def bands(self) -> tuple[int, int]:
        """LSH ``(bands, rows)``; weighting false negatives up trades verification work for recall."""
        return optimal_bands(self.threshold, self.num_perm, self.fp_weight, self.fn_weight)


def repo_document(samples: Iterable[Mapping[str, Any]]) -> str:
    """A repository's document: its samples' texts in sample order."""
    ordered = sorted(samples, key=lambda s: (s["paths"][0] if s["paths"] else "", s["part"], s["sample_id"]))
    return "\n".join(s["text"] for s in ordered)


def shingle_set(text: str, config: NearDedupConfig) -> np.ndarray:
    """The sorted distinct 32-bit shingle hashes of a document: the set its signature is the MinHash of."""
    params = config.params()
    batches = [batch.hashes for batch in fast_shingle_batches(
        [text], params.ngram, params.word_chars, params.lowercase, params.batch_chars)]
    return sorted_distinct(np.concatenate(batches)) if batches else np.empty(0, dtype=np.uint32)


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by a sort and a mask: 10x faster than numpy 2.4's ``np.unique``
    on a repository's shingle hashes (benchmarks/RESULTS.md, scale and end-to-end)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if ordered.size else ordered


def repo_signature_record(repo_name: str, samples: Sequence[Mapping[str, Any]], config: NearDedupConfig) -> dict[str, Any]:
    """What LSH needs of one repository: its signature and survivor rank.

    With ``verify="exact"`` the record also carries ``shingles``, the document's
    :func:`shingle_set` as uint32 bytes: 4 bytes per distinct shingle, 0.2 to 0.4 times the
    document's bytes on real code (benchmarks/RESULTS.md). The stage carries it through the
    pair joins only (every repository's set crosses both joins, one copy per candidate pair
    between them); verified edges drop it, so the global gather of edges stays small.
    """
    document = repo_document(samples)
    first = samples[0]
    size = sum(sum(s.get("file_sizes") or [s["n_bytes"]]) for s in samples)
    rank = list(survivor_rank(first.get("license", ""), first.get("stars", 0), size, repo_name))
    if config.verify != "exact":
        return {"repo_name": repo_name, "signature": signature(document, config.params()).tobytes(), "rank": rank}
    shingles = shingle_set(document, config)  # hashed once: the signature is the MinHash of this set
    return {"repo_name": repo_name, "signature": hashes_signature(shingles, config.params()).tobytes(),
            "rank": rank, "shingles": shingles.tobytes()}


def decode_signature(data: bytes, config: NearDedupConfig) -> np.ndarray:
    return np.frombuffer(data, dtype=config.params().dtype)


def decode_shingles(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint32)


def shingle_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """``|A & B| / |A | B|`` of two sorted distinct hash arrays (1.0 when both are empty)."""
    if a.size == 0 and b.size == 0:
        return 1.0
    if a.size == 0 or b.size == 0:
        return 0.0
    common = int(np.count_nonzero(b[np.minimum(np.searchsorted(b, a), b.size - 1)] == a))
    return common / (a.size + b.size - common)


def band_items(record: Mapping[str, Any], config: NearDedupConfig) -> list[tuple[tuple[int, int], str]]:
    """``((band index, band key), repo_name)`` for each band of one signature."""
    b, r = config.bands()
    keys = band_keys(decode_signature(record["signature"], config)[None, :], b, r)[0]
    return [((i, int(k)), record["repo_name"]) for i, k in enumerate(keys)]


def bucket_pairs(members: Iterable[str], max_pairs: int) -> list[tuple[str, str]]:
    """Candidate pairs of one LSH bucket: all pairs, or a star on the smallest name when large."""
    names = sorted(set(members))
    if len(names) * (len(names) - 1) // 2 <= max_pairs:
        return [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    return [(names[0], b) for b in names[1:]]


def verified_edge(a: Mapping[str, Any], b: Mapping[str, Any], config: NearDedupConfig) -> dict[str, Any] | None:
    """The pair as an edge, or ``None`` when verification rejects it.

    ``jaccard`` is the value verification used: the exact Jaccard for ``verify="exact"``, the
    signature estimate otherwise. The edge's records leave their shingle sets behind.
    """
    if config.verify == "exact":
        j = shingle_jaccard(decode_shingles(a["shingles"]), decode_shingles(b["shingles"]))
    else:
        j = estimate_jaccard(decode_signature(a["signature"], config), decode_signature(b["signature"], config))
    if config.verify != "none" and j < config.threshold:
        return None
    return {"a": _without_shingles(a), "b": _without_shingles(b), "jaccard": float(j)}


def _without_shingles(record: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "shingles"}


def cluster_id(survivor: str) -> str:
    return hashlib.sha1(survivor.encode("utf-8")).hexdigest()[:16]


def decide_clusters(edges: Iterable[Mapping[str, Any]], config: NearDedupConfig) -> list[dict[str, Any]]:
    """One row per repository in a cluster of two or more (the ``clusters`` table).

    Rows: ``cluster_id, repo_name, survivor_repo, jaccard_estimate`` (the member's estimate
    against the survivor; 1.0 for the survivor). Memory: the nodes and edges of duplicate
    pairs only, not the corpus.
    """
    records: dict[str, Mapping[str, Any]] = {}
    pairs = []
    for edge in edges:
        records[edge["a"]["repo_name"]] = edge["a"]
        records[edge["b"]["repo_name"]] = edge["b"]
        pairs.append((edge["a"]["repo_name"], edge["b"]["repo_name"]))
    ranks = {name: tuple(rec["rank"]) for name, rec in records.items()}
    survivors = clusters(sorted(pairs), ranks)
    rows = []
    for name in sorted(survivors):
        survivor = survivors[name]
        j = 1.0 if name == survivor else estimate_jaccard(
            decode_signature(records[name]["signature"], config),
            decode_signature(records[survivor]["signature"], config))
        rows.append({"cluster_id": cluster_id(survivor), "repo_name": name,
                     "survivor_repo": survivor, "jaccard_estimate": float(j)})
    return rows
