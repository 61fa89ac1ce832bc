"""Repository-level near-dedup: whole repositories compared, greedy survivors, the Beam stage on real runs."""
from __future__ import annotations

import json
import random
import string
from dataclasses import replace

import numpy as np
import pyarrow.parquet as pq
import pytest

from dedup.near import (
    NearDedupConfig, band_items, bucket_pairs, centrality, decide_clusters, decode_shingles, repo_signature_record,
    sorted_distinct, verified_edge,
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
    """A one-file repository's file record."""
    return {"repo_name": repo, "path": "a.py", "content": text, "size": len(text),
            "license": license_, "stars": stars}


def record(repo: str, tokens: list[str], **kw) -> dict:
    return repo_signature_record(repo, [sample(repo, " ".join(tokens), **kw)], CONFIG)


def edge(a: dict, b: dict) -> tuple:
    return verified_edge(a, b, CONFIG)


def decide(records: list[dict], config: NearDedupConfig = CONFIG) -> list[dict]:
    """Verify every pair (no LSH) and decide: what the stage does when LSH misses nothing."""
    edges = [e for i, a in enumerate(records) for b in records[i + 1:] for e in [verified_edge(a, b, config)] if e]
    return decide_clusters(records, edges, config)


def survivors(rows: list[dict]) -> dict[str, str]:
    return {r["repo_name"]: r["survivor_repo"] for r in rows}


def test_identical_repositories_are_one_cluster_and_the_permissive_one_survives():
    text = words(2000, 1)
    a, b = record("gpl/x", text, license_="GPL-3.0", stars=100), record("mit/x", text, license_="MIT")
    assert survivors(decide([a, b])) == {"gpl/x": "mit/x", "mit/x": "mit/x"}


def test_more_stars_survive_when_licenses_tie():
    text = words(2000, 2)
    assert set(survivors(decide([record("a", text, stars=1), record("b", text, stars=50)])).values()) == {"b"}


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
    assert e is not None and e[2] > 0.8


def test_a_pair_never_verified_is_not_merged_through_a_third_repository():
    """a ~ b ~ c in one component, but only verified pairs remove: c, whose pair with a was
    never a candidate (an LSH miss), is not removed for a through b."""
    text = words(2000, 6)
    a, b, c = record("a", text), record("b", text), record("c", text)
    rows = decide_clusters([a, b, c], [edge(a, b), edge(b, c)], CONFIG)
    assert len({r["component_id"] for r in rows}) == 1
    assert survivors(rows) == {"a": "a", "b": "a", "c": "c"}


def mutated(tokens: list[str], every: int, seed: int) -> list[str]:
    """``tokens`` with one word in ``every`` replaced (each replacement breaks 5 shingles)."""
    out = list(tokens)
    for i in range(seed % every, len(out), every):
        out[i] = f"x{seed}_{i}"
    return out


def test_a_chain_keeps_a_survivor_within_the_threshold_of_every_removed_member():
    """A ~ B ~ C with J(A, C) below the threshold: connected components with one survivor
    would remove A or C for a repository they are not similar to."""
    base = words(4000, 21)
    a = exact_record("a", base)
    b = exact_record("b", mutated(base, 40, 1))
    c = exact_record("c", mutated(mutated(base, 40, 1), 40, 17))
    assert edge_j(a, b) >= 0.7 and edge_j(b, c) >= 0.7 and edge_j(a, c) < 0.7
    rows = decide([a, b, c], EXACT)
    kept = {r["repo_name"] for r in rows if r["survivor_repo"] == r["repo_name"]}
    for r in rows:
        if r["repo_name"] not in kept:
            assert r["survivor_repo"] in kept and r["jaccard"] >= 0.7
    assert all(edge_j(by, other) < 0.7 for by in (a, b, c) for other in (a, b, c)
               if by is not other and {by["repo_name"], other["repo_name"]} <= kept)


def edge_j(a: dict, b: dict) -> float:
    from dedup.near import shingle_jaccard
    return shingle_jaccard(decode_shingles(a["shingles"]), decode_shingles(b["shingles"]))


def test_greedy_keeps_a_second_member_that_is_not_within_the_threshold_of_the_first():
    base = words(4000, 22)
    a, b = exact_record("a", base), exact_record("b", mutated(base, 40, 1))
    c = exact_record("c", mutated(mutated(base, 40, 1), 40, 17))
    edges = [verified_edge(x, y, EXACT) for x, y in ((a, b), (b, c)) if verified_edge(x, y, EXACT)]
    rows = decide_clusters([a, b, c], edges, EXACT)
    # b is the medoid: it survives and both ends are within the threshold of it
    assert survivors(rows) == {"a": "b", "b": "b", "c": "b"}


def test_the_medoid_survives_not_the_largest_member():
    base = words(3000, 23)
    original = record("original", base)
    forks = [record(f"fork{i}", mutated(base, 60, i)) for i in range(1, 4)]
    junk = record("fork-with-junk", base + words(600, 99))  # the largest member
    rows = decide([original, junk, *forks])
    assert set(survivors(rows).values()) == {"original"}


def test_centrality_is_the_mean_estimated_jaccard_to_the_others():
    base = words(2000, 24)
    a, b = record("a", base), record("b", base)
    assert centrality([a, b], CONFIG) == {"a": 1.0, "b": 1.0}


def test_a_large_component_is_scored_against_a_fixed_reference_set():
    base = words(1500, 27)
    members = [record("original", base)] + [record(f"fork{i:02d}", mutated(base, 30, i)) for i in range(1, 12)]
    whole, capped = centrality(members, CONFIG), centrality(members, CONFIG, max_reference=6)
    assert max(whole, key=whole.get) == max(capped, key=capped.get) == "original"
    assert capped == centrality(list(reversed(members)), CONFIG, max_reference=6)


def test_stars_outrank_centrality():
    base = words(3000, 25)
    original = record("original", base)
    starred_fork = record("fork", mutated(base, 60, 3), stars=10)
    other = record("other", mutated(base, 60, 4))
    assert survivors(decide([original, starred_fork, other]))["original"] == "fork"


def test_removed_rows_carry_the_verified_and_the_estimated_jaccard():
    base = words(3000, 26)
    rows = decide([exact_record("a", base), exact_record("b", mutated(base, 60, 2))], EXACT)
    removed = next(r for r in rows if r["repo_name"] != r["survivor_repo"])
    assert 0.7 <= removed["jaccard"] < 1.0 and abs(removed["jaccard"] - removed["jaccard_estimate"]) < 0.1


def test_repositories_without_a_word_5_gram_are_never_candidates():
    """Two empty shingle sets have Jaccard 1.0: unrelated repositories of punctuation-only
    files must not remove each other."""
    empty_a, empty_b = record("a", ["{}"]), record("b", ["[]", "()"])
    assert band_items(empty_a, CONFIG) == [] and band_items(empty_b, CONFIG) == []
    assert len(band_items(record("c", words(20, 3)), CONFIG)) == CONFIG.bands()[0]


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
    assert e is not None and e[2] == pytest.approx(threshold + 0.01)


@pytest.mark.parametrize("threshold", [0.7, 0.85])
def test_exact_verification_drops_a_pair_just_below_the_threshold(threshold):
    config = replace(EXACT, threshold=threshold)
    whole, part = prefix_pair(threshold - 0.01)
    assert verified_edge(exact_record("a", whole, config), exact_record("b", part, config), config) is None


def test_exact_verification_removes_a_candidate_whose_signatures_agree_but_sets_differ():
    a, b = exact_record("a", words(2000, 9)), exact_record("b", words(2000, 10))
    colliding = {**b, "signature": a["signature"]}  # a MinHash collision: the estimate says 1.0
    assert verified_edge(a, colliding, CONFIG)[2] == 1.0
    assert verified_edge(a, colliding, EXACT) is None


def test_without_verification_every_candidate_becomes_an_edge():
    base = words(3000, 11)
    unverified = replace(CONFIG, verify="none")
    assert verified_edge(record("a", base), record("b", base[:1200] + words(1800, 12)), unverified) is not None


def test_verified_edges_are_two_sorted_names_and_a_jaccard():
    text = words(2000, 13)
    assert verified_edge(exact_record("b", text), exact_record("a", text), EXACT) == ("a", "b", 1.0)


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
    assert len({r["component_id"] for r in clusters}) == 2 and len(clusters) == 5
    assert decisions[1] == decisions[0]


def run_folder(tmp_path, repos: dict[str, dict[str, str]], name: str = "out"):
    root = tmp_path / "repos"
    for repo, files in repos.items():
        write_repo(root, repo, files)
    out = tmp_path / name
    assert main(["run", "--input", str(root), "--output", str(out), "--quiet"]) == 0
    return out


def kept_repositories(out) -> set[str]:
    return {s["repo_name"] for s in pq.read_table(out / "samples").to_pylist()}


def files_by_repo(out) -> dict[str, set[str]]:
    by_repo: dict[str, set[str]] = {}
    for r in pq.read_table(out / "files").to_pylist():
        by_repo.setdefault(r["repo_name"], set()).add(r["path"])
    return by_repo


BASE = {f"pkg/m{i}.py": code_file(300 + i) for i in range(8)}


def test_a_whitespace_only_fork_is_removed_whole_not_kept_as_a_fragment(tmp_path):
    respaced = {path: text.replace(" = ", "  =  ") for path, text in list(BASE.items())[:5]}
    out = run_folder(tmp_path, {"base": BASE, "base-ws": {**BASE, **respaced}})
    assert kept_repositories(out) == {"base"} and "base-ws" not in files_by_repo(out)
    _, rejects = near_dedup_decisions(out)
    assert {r["path"] for r in rejects if r["repo_name"] == "base-ws"} == set(BASE)
    assert all("survivor=base " in r["detail"] for r in rejects)


def test_a_fork_with_one_added_file_loses_to_the_original(tmp_path):
    forked = {**BASE, "pkg/extra.py": code_file(999, lines=400)}
    out = run_folder(tmp_path, {"aaa-fork": forked, "zzz-original": BASE})
    assert kept_repositories(out) == {"zzz-original"}
    assert files_by_repo(out)["zzz-original"] == set(BASE)
    clusters, _ = near_dedup_decisions(out)
    fork_row = next(r for r in clusters if r["repo_name"] == "aaa-fork")
    assert fork_row["survivor_repo"] == "zzz-original" and fork_row["jaccard"] >= 0.7


def test_an_upstream_tree_and_its_distribution_package_are_deduplicated_whole(tmp_path):
    """The shape of a natural pair: a Debian source package is the upstream tree plus
    ``debian/`` packaging and a patched file; it must go whole, not leave its packaging
    and patched file behind as a fragment."""
    upstream = {**BASE, "README.md": "# pkg\n\nA small library for converting units between systems.\n"}
    package = {**upstream,
               "pkg/m3.py": BASE["pkg/m3.py"].replace("\n", "\n# patched for Debian\n", 1),
               "debian/rules": "#!/usr/bin/make -f\n%:\n\tdh $@ --with python3 --buildsystem=pybuild\n",
               "debian/changelog": "pkg (1.0-1) unstable; urgency=medium\n\n  * Initial release.\n",
               "debian/control": "Source: pkg\nSection: python\nPriority: optional\nBuild-Depends: debhelper-compat (= 13)\n"}
    out = run_folder(tmp_path, {"pkg": upstream, "pkg-debian": package})
    by_repo = files_by_repo(out)
    assert set(by_repo) == {"pkg"} and kept_repositories(out) == {"pkg"}
    assert not [r for r in pq.read_table(out / "rejects").to_pylist() if r["stage"] == "exact_dedup"]
