"""Repository-level near-dedup: decisions, survivors, and the Beam stage on real runs."""
from __future__ import annotations

import json
import random

import pyarrow.parquet as pq

from dedup.near import NearDedupConfig, bucket_pairs, decide_clusters, repo_signature_record, verified_edge
from pipeline.cli import main

CONFIG = NearDedupConfig()


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
