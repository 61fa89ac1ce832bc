"""Repository-level near-dedup: decisions, survivors, and the Beam stage on real runs."""
from __future__ import annotations

import json
import random
import string
from dataclasses import replace

import numpy as np
import pyarrow.parquet as pq
import pytest

from dedup.near import (
    NearDedupConfig, bucket_pairs, decide_clusters, decode_shingles, repo_signature_record, sorted_distinct,
    verified_edge,
)
from dedup.shingles import fast_shingle_batches
from pipeline.cli import main

CONFIG = NearDedupConfig(verify="estimate", fp_weight=0.5, fn_weight=0.5)  # datasketch's choices


def test_defaults_verify_exactly_and_weigh_misses_over_false_positives():
    config = NearDedupConfig()
    assert (config.verify, config.bands()) == ("exact", (36, 7))


def words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"w{rng.randrange(100000)}" for _ in range(n)]


def sample(repo: str, text: str, license_: str = "", stars: int = 0) -> dict:
    return {"sample_id": repo, "repo_name": repo, "paths": ["a.py"], "part": 0, "text": text,
            "n_bytes": len(text), "file_sizes": [len(text)], "license": license_, "stars": stars}


def record(repo: str, tokens: list[str], **kw) -> dict:
    return repo_signature_record(repo, [sample(repo, " ".join(tokens), **kw)], CONFIG)


def edge(a: dict, b: dict) -> dict:
    return verified_edge(a, b, CONFIG)


def test_identical_repositories_are_one_cluster_and_the_permissive_one_survives():
    text = words(2000, 1)
    a, b = record("gpl/x", text, license_="GPL-3.0", stars=100), record("mit/x", text, license_="MIT")
    rows = decide_clusters([edge(a, b)], CONFIG)
    assert {r["repo_name"]: r["survivor_repo"] for r in rows} == {"gpl/x": "mit/x", "mit/x": "mit/x"}


def test_more_stars_survive_when_licenses_tie():
    text = words(2000, 2)
    rows = decide_clusters([edge(record("a", text, stars=1), record("b", text, stars=50))], CONFIG)
    assert {r["survivor_repo"] for r in rows} == {"b"}


def test_pairs_below_the_threshold_are_not_verified():
    base = words(3000, 3)
    other = base[:1200] + words(1800, 4)  # about a quarter of the 5-grams shared
    assert edge(record("a", base), record("b", other)) is None


def test_pairs_above_the_threshold_are_verified():
    base = words(3000, 5)
    edited = list(base)
    for i in range(0, 3000, 300):
        edited[i] = "changed"
    e = edge(record("a", base), record("b", edited))
    assert e is not None and e["jaccard"] > 0.8


def test_similarity_is_transitive_through_a_chain():
    text = words(2000, 6)
    a, b, c = record("a", text), record("b", text), record("c", text)
    rows = decide_clusters([edge(a, b), edge(b, c)], CONFIG)
    assert len({r["cluster_id"] for r in rows}) == 1 and len(rows) == 3


def test_large_buckets_link_as_a_star_not_all_pairs():
    assert bucket_pairs(["c", "a", "b"], max_pairs=10) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert bucket_pairs(["c", "a", "b", "d"], max_pairs=2) == [("a", "b"), ("a", "c"), ("a", "d")]


def test_sample_corpus_fork_is_removed_whole(tmp_path):
    out = tmp_path / "out"
    assert main(["run", "--output", str(out), "--quiet"]) == 0
    clusters = pq.read_table(out / "clusters").to_pylist()
    assert {r["repo_name"] for r in clusters} == {"weatherlib", "weatherlib-fork"}
    removed = {r["repo_name"] for r in clusters if r["repo_name"] != r["survivor_repo"]}
    samples = pq.read_table(out / "samples").to_pylist()
    assert not removed & {s["repo_name"] for s in samples}
    rejects = [r for r in pq.read_table(out / "rejects").to_pylist() if r["stage"] == "near_dedup"]
    assert {r["repo_name"] for r in rejects} == removed and all("survivor=" in r["detail"] for r in rejects)
    ledger = json.loads((out / "ledger.json").read_text())
    near = next(s for s in ledger["stages"] if s["stage"] == "near_dedup")
    assert near["rejected_by_reason"]["near_duplicate"]["files"] == len(rejects)


def test_near_dedup_can_be_switched_off(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("near_dedup:\n  enabled: false\n")
    out = tmp_path / "out"
    assert main(["run", "--output", str(out), "--config", str(cfg), "--quiet"]) == 0
    assert pq.read_table(out / "clusters").num_rows == 0


EXACT = replace(CONFIG, verify="exact")


def exact_record(repo: str, tokens: list[str], config: NearDedupConfig = EXACT) -> dict:
    return repo_signature_record(repo, [sample(repo, " ".join(tokens))], config)


def distinct_tokens(n: int) -> list[str]:
    return [f"t{i}" for i in range(n)]


def prefix_pair(jaccard: float) -> tuple[list[str], list[str]]:
    """1004 distinct tokens (1000 distinct 5-grams) and a prefix of them sharing ``jaccard`` of those 5-grams."""
    whole = distinct_tokens(1004)
    return whole, whole[:round(jaccard * 1000) + 4]


def test_verify_must_be_estimate_exact_or_none():
    with pytest.raises(ValueError, match="verify"):
        NearDedupConfig(verify="yes")


def test_exact_records_carry_the_sorted_distinct_shingle_hashes_of_the_signature():
    text = " ".join(words(500, 7) * 2)
    expected = np.unique(np.concatenate([b.hashes for b in fast_shingle_batches([text])]))
    record = repo_signature_record("a", [sample("a", text)], EXACT)
    assert np.array_equal(decode_shingles(record["shingles"]), expected)


def test_exact_and_estimate_records_carry_the_same_signature():
    tokens = words(400, 9) * 3
    assert record("a", tokens)["signature"] == exact_record("a", tokens)["signature"]


def test_sorted_distinct_equals_numpy_unique():
    values = np.random.default_rng(0).integers(0, 50, 1000, dtype=np.uint32)
    assert np.array_equal(sorted_distinct(values), np.unique(values))
    assert sorted_distinct(np.empty(0, dtype=np.uint32)).size == 0


def test_estimate_records_carry_no_shingle_set():
    assert "shingles" not in record("a", words(100, 8))


@pytest.mark.parametrize("threshold", [0.7, 0.85])
def test_exact_verification_keeps_a_pair_just_above_the_threshold(threshold):
    config = replace(EXACT, threshold=threshold)
    whole, part = prefix_pair(threshold + 0.01)
    e = verified_edge(exact_record("a", whole, config), exact_record("b", part, config), config)
    assert e is not None and e["jaccard"] == pytest.approx(threshold + 0.01)


@pytest.mark.parametrize("threshold", [0.7, 0.85])
def test_exact_verification_drops_a_pair_just_below_the_threshold(threshold):
    config = replace(EXACT, threshold=threshold)
    whole, part = prefix_pair(threshold - 0.01)
    assert verified_edge(exact_record("a", whole, config), exact_record("b", part, config), config) is None


def test_exact_verification_removes_a_candidate_whose_signatures_agree_but_sets_differ():
    a, b = exact_record("a", words(2000, 9)), exact_record("b", words(2000, 10))
    colliding = {**b, "signature": a["signature"]}  # a MinHash collision: the estimate says 1.0
    assert verified_edge(a, colliding, CONFIG)["jaccard"] == 1.0
    assert verified_edge(a, colliding, EXACT) is None


def test_without_verification_every_candidate_becomes_an_edge():
    base = words(3000, 11)
    unverified = replace(CONFIG, verify="none")
    assert verified_edge(record("a", base), record("b", base[:1200] + words(1800, 12)), unverified) is not None


def test_verified_edges_leave_the_shingle_sets_behind():
    text = words(2000, 13)
    e = verified_edge(exact_record("a", text), exact_record("b", text), EXACT)
    assert "shingles" not in e["a"] and "shingles" not in e["b"]


def candidate_probability(config: NearDedupConfig, similarity: float) -> float:
    b, r = config.bands()
    return 1 - (1 - similarity ** r) ** b


def test_weighting_false_negatives_raises_the_candidate_probability_at_the_threshold():
    default = replace(CONFIG, threshold=0.85)
    recall_first = replace(default, fp_weight=0.05, fn_weight=0.95)
    assert candidate_probability(default, 0.85) < 0.5 < 0.9 < candidate_probability(recall_first, 0.85)


def code_file(seed: int, lines: int = 150) -> str:
    rng = random.Random(seed)
    name = lambda: "".join(rng.choices(string.ascii_lowercase, k=8))  # noqa: E731
    return "\n".join(f"{name()} = {name()}({name()})" for _ in range(lines)) + "\n"


def write_repo(root, name: str, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = root / name / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def edited(files: dict[str, str], seed: int) -> dict[str, str]:
    """Every file with one line replaced, so exact file dedup keeps them all."""
    out = {}
    for i, (path, text) in enumerate(sorted(files.items())):
        lines = text.split("\n")
        lines[(seed * 31 + i * 7) % (len(lines) - 1)] = f"edited_{seed}_{i} = 0"
        out[path] = "\n".join(lines)
    return out


def near_dedup_decisions(out) -> tuple[list[dict], list[dict]]:
    clusters = sorted(pq.read_table(out / "clusters").to_pylist(), key=lambda r: r["repo_name"])
    rejects = sorted((r for r in pq.read_table(out / "rejects").to_pylist() if r["stage"] == "near_dedup"),
                     key=lambda r: (r["repo_name"], r["path"]))
    return clusters, rejects


def test_exact_near_dedup_decides_the_same_in_process_and_multi_process(tmp_path):
    root = tmp_path / "repos"
    alpha = {f"pkg/m{i}.py": code_file(i) for i in range(4)}
    beta = {f"src/b{i}.py": code_file(100 + i) for i in range(3)}
    for name, files in {"alpha": alpha, "alpha-fork": edited(alpha, 1), "alpha-fork-fork": edited(edited(alpha, 1), 2),
                        "beta": beta, "beta-copy": edited(beta, 3), "gamma": {"g.py": code_file(200)}}.items():
        write_repo(root, name, files)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("near_dedup:\n  verify: exact\n")
    decisions = []
    for options in ([], ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]):
        out = tmp_path / f"out{len(options)}"
        assert main(["run", "--input", str(root), "--output", str(out), "--config", str(cfg), "--quiet", *options]) == 0
        decisions.append(near_dedup_decisions(out))
    clusters, _ = decisions[0]
    assert len({r["cluster_id"] for r in clusters}) == 2 and len(clusters) == 5
    assert decisions[1] == decisions[0]
