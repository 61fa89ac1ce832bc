"""Repository-level near-dedup (paper §2.3): plain functions under the Beam stage.

The document is the whole repository as the per-file filters left it, before any
file-level dedup: the contents of its files in path order (:func:`repo_document`). So a
fork is compared complete, and a repository is kept or removed whole. (The first version
signed the repository after exact file dedup: a fork that had lost its unchanged files to
exact dedup was signed on its edits alone and survived as a fragment; benchmarks/RESULTS.md,
whole-repository near-dedup.)

Signatures are MinHash (:mod:`dedup.minhash`), candidates come from LSH bands whose
``(bands, rows)`` minimise the false positive/negative areas for the threshold
(:func:`dedup.lsh.optimal_bands`), and each candidate pair is verified
(``NearDedupConfig.verify``: the exact Jaccard of the two shingle sets, the estimate of the
full signatures, or not at all).

Survivors (:func:`decide_component`), per connected component of verified pairs: members
in rank order (:func:`dedup.rank.repo_rank`: permissive license, stars, then centrality
— the mean estimated Jaccard to the other members, so the medoid — then fewer bytes,
then name); each
member is removed when it has a verified pair within the threshold with an already *kept*
member (its survivor: the kept one it is most similar to), else it is kept. This holds two
invariants at once: every removed repository names a kept survivor within the threshold,
and no two kept repositories are within it (up to LSH misses). Connected components with
one survivor each hold neither: a chain of forks collapses onto one member that can be
far from the others.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from dedup.components import component_ids
from dedup.lsh import band_keys, estimate_jaccard, optimal_bands
from dedup.minhash import MinHashParams, empty_signature, hashes_signature, signature
from dedup.rank import repo_rank
from dedup.shingles import fast_shingle_batches

STAGE = "near_dedup"
VERIFY_MODES = ("estimate", "exact", "none")
CENTRALITY_REFERENCE = 1000  # members a component's centrality is measured against, at most


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


def repo_document(files: Iterable[Mapping[str, Any]]) -> str:
    """A repository's document: the contents of its files in path order."""
    return "\n".join(f["content"] for f in sorted(files, key=lambda f: f["path"]))


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


def repo_signature_record(repo_name: str, files: Sequence[Mapping[str, Any]], config: NearDedupConfig) -> dict[str, Any]:
    """What LSH and the survivor choice need of one repository (its filtered file records).

    ``signature`` (MinHash of :func:`repo_document`), ``license``, ``stars``, ``size`` and
    ``files``. With ``verify="exact"`` the record also carries ``shingles``, the document's
    :func:`shingle_set` as uint32 bytes: 4 bytes per distinct shingle, 0.2 to 0.4 times the
    document's bytes on real code (benchmarks/RESULTS.md). The stage carries it through the
    pair joins only; verified edges are names and a Jaccard, so nothing after the joins grows.
    """
    document = repo_document(files)
    first = files[0]
    record = {"repo_name": repo_name, "license": first.get("license", "") or "",
              "stars": int(first.get("stars", 0) or 0), "size": sum(int(f["size"]) for f in files),
              "files": len(files)}
    if config.verify != "exact":
        return {**record, "signature": signature(document, config.params()).tobytes()}
    shingles = shingle_set(document, config)  # hashed once: the signature is the MinHash of this set
    return {**record, "signature": hashes_signature(shingles, config.params()).tobytes(),
            "shingles": shingles.tobytes()}


def has_shingles(record: Mapping[str, Any], config: NearDedupConfig) -> bool:
    """False for a repository without a single word 5-gram (files of punctuation only): its
    signature is the all-max one that every such repository shares, and two empty sets have
    Jaccard 1.0, so it would be a "duplicate" of every other one. It takes no part in
    near-dedup."""
    return not np.array_equal(decode_signature(record["signature"], config), empty_signature(config.params()))


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
    """``((band index, band key), repo_name)`` for each band of one signature; none for a
    repository without shingles (:func:`has_shingles`), so it is never a candidate."""
    if not has_shingles(record, config):
        return []
    b, r = config.bands()
    keys = band_keys(decode_signature(record["signature"], config)[None, :], b, r)[0]
    return [((i, int(k)), record["repo_name"]) for i, k in enumerate(keys)]


def bucket_pairs(members: Iterable[str], max_pairs: int) -> list[tuple[str, str]]:
    """Candidate pairs of one LSH bucket: all pairs, or a star on the smallest name when large."""
    names = sorted(set(members))
    if len(names) * (len(names) - 1) // 2 <= max_pairs:
        return [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    return [(names[0], b) for b in names[1:]]


def verified_edge(a: Mapping[str, Any], b: Mapping[str, Any], config: NearDedupConfig) -> tuple[str, str, float] | None:
    """The pair as ``(name, name, jaccard)`` (names sorted), or ``None`` when verification rejects it.

    ``jaccard`` is the value verification used: the exact Jaccard for ``verify="exact"``, the
    signature estimate otherwise. An edge is small (two names and a float): the shingle
    sets and signatures stay behind.
    """
    if config.verify == "exact":
        j = shingle_jaccard(decode_shingles(a["shingles"]), decode_shingles(b["shingles"]))
    else:
        j = estimate_jaccard(decode_signature(a["signature"], config), decode_signature(b["signature"], config))
    if config.verify != "none" and j < config.threshold:
        return None
    first, second = sorted((a["repo_name"], b["repo_name"]))
    return first, second, float(j)


def member_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A signature record without its shingle set: what the survivor choice reads."""
    return {key: value for key, value in record.items() if key != "shingles"}


def cluster_id(survivor: str) -> str:
    return hashlib.sha1(survivor.encode("utf-8")).hexdigest()[:16]


def centrality(members: Sequence[Mapping[str, Any]], config: NearDedupConfig,
               max_reference: int = CENTRALITY_REFERENCE) -> dict[str, float]:
    """Each member's mean estimated Jaccard to the other members of its component.

    The medoid scores highest: an original that its forks were made from is closer to all
    of them than any fork is, while an added file or inserted junk lowers a fork's score
    (the first version preferred the largest member, so junk won). Estimates from the
    signatures (multiples of ``1 / num_perm``), summed in name order: deterministic.
    A component larger than ``max_reference`` is scored against a fixed reference set of
    that many members (the smallest by a hash of the name), so the cost stays
    ``n * max_reference * num_perm`` comparisons (a popular repository's forks can number
    in the thousands)."""
    names = sorted(m["repo_name"] for m in members)
    by_name = {m["repo_name"]: m for m in members}
    if len(names) < 2:
        return {name: 1.0 for name in names}
    reference = names if len(names) <= max_reference else sorted(
        sorted(names, key=lambda n: hashlib.sha1(n.encode("utf-8")).digest())[:max_reference])
    sigs = np.stack([decode_signature(by_name[n]["signature"], config) for n in names])
    ref = sigs if reference is names else np.stack([decode_signature(by_name[n]["signature"], config) for n in reference])
    in_reference = set(reference)
    scores = {}
    for i, name in enumerate(names):
        same = int(np.count_nonzero(ref == sigs[i]))
        others = len(reference) - (name in in_reference)
        if name in in_reference:
            same -= sigs.shape[1]  # itself
        scores[name] = round(same / (sigs.shape[1] * max(others, 1)), 9)
    return scores


def decide_component(members: Sequence[Mapping[str, Any]], edges: Iterable[tuple[str, str, float]],
                     config: NearDedupConfig) -> list[dict[str, Any]]:
    """Survivors of one connected component: one ``clusters`` row per member.

    Greedy in rank order (:func:`dedup.rank.repo_rank`): a member with a verified pair
    within the threshold to an already kept member is removed for the kept one it is most
    similar to (ties: the better-ranked); otherwise it is kept. Rows:
    ``cluster_id`` (of the survivor), ``repo_name``, ``survivor_repo``, ``jaccard`` (the
    verified Jaccard to the survivor, 1.0 for a kept member), ``jaccard_estimate`` (the
    signatures' estimate of the same), ``component_id``, ``component_size``.
    """
    central = centrality(members, config)
    by_name = {m["repo_name"]: m for m in members}
    ranked = sorted(by_name, key=lambda n: repo_rank(
        by_name[n]["license"], by_name[n]["stars"], central[n], by_name[n]["size"], n))
    similar: dict[str, dict[str, float]] = {n: {} for n in by_name}
    for a, b, j in edges:
        if a in similar and b in similar:
            similar[a][b] = similar[b][a] = j
    component = min(by_name)
    order = {n: i for i, n in enumerate(ranked)}
    survivor: dict[str, str] = {}
    for name in ranked:
        within = [(-j, order[k], k) for k, j in similar[name].items()
                  if survivor.get(k) == k and (config.verify == "none" or j >= config.threshold)]
        survivor[name] = min(within)[2] if within else name
    rows = []
    for name in sorted(by_name):
        kept = survivor[name]
        j = 1.0 if kept == name else similar[name][kept]
        estimate = 1.0 if kept == name else estimate_jaccard(
            decode_signature(by_name[name]["signature"], config), decode_signature(by_name[kept]["signature"], config))
        rows.append({"cluster_id": cluster_id(kept), "repo_name": name, "survivor_repo": kept,
                     "jaccard": float(j), "jaccard_estimate": float(estimate),
                     "component_id": cluster_id(component), "component_size": len(by_name)})
    return rows


def decide_clusters(records: Iterable[Mapping[str, Any]], edges: Iterable[tuple[str, str, float]],
                    config: NearDedupConfig) -> list[dict[str, Any]]:
    """:func:`decide_component` over every component of ``edges`` (``records``: signature
    records of at least the repositories in ``edges``). The Beam stage does the same one
    component at a time; this whole-set form serves tests and benchmarks."""
    edges = list(edges)
    components = component_ids((a, b) for a, b, _ in edges)
    by_name = {r["repo_name"]: member_record(r) for r in records if r["repo_name"] in components}
    members: dict[str, list] = {}
    for name, comp in components.items():
        members.setdefault(comp, []).append(by_name[name])
    comp_edges: dict[str, list] = {}
    for edge in edges:
        comp_edges.setdefault(components[edge[0]], []).append(edge)
    return [row for comp in sorted(members) for row in decide_component(members[comp], comp_edges[comp], config)]
