"""The whole-repository dedup benchmark (issue 12): its ground truth, its scores, its forks."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_repo_dedup  # noqa: E402
import planted_forks  # noqa: E402
from repo_jaccard import ShingleCache, as_array, jaccard, jaccard_matrix, shingle_hashes  # noqa: E402

CODE = "\n".join(f"def function_{i}(alpha, beta):\n    return alpha * {i} + beta - gamma_{i}\n" for i in range(40))


def test_repository_jaccard_ignores_paths_file_order_and_whitespace():
    cache = ShingleCache()
    a = cache.repo(["import os\nx = os.path.join(a, b, c)\n", CODE])
    b = cache.repo([CODE.replace("    ", "\t").replace("\n", "  \r\n"), "import os\nx = os.path.join(a, b, c)\n"])
    assert jaccard(a, b) == 1.0


def test_a_file_of_fewer_than_five_tokens_is_one_shingle():
    assert len(shingle_hashes("x = y")) == 1
    assert shingle_hashes("") == set()


def test_the_sparse_jaccard_matrix_equals_pairwise_set_jaccard():
    cache = ShingleCache()
    sets = [cache.repo([CODE]), cache.repo([CODE[: len(CODE) // 2]]), cache.repo(["other text entirely here now"])]
    matrix = jaccard_matrix([as_array(s) for s in sets])
    for i in range(3):
        for j in range(3):
            assert abs(matrix[i, j] - jaccard(sets[i], sets[j])) < 1e-12


def _score(kept, lost, entered, jac):
    repos = sorted(entered)
    sets = [as_array({i}) for i in range(len(repos))]
    return bench_repo_dedup.score("x", set(kept), lost, entered, repos, np.array(jac), sets, {"a"}, 0.7)


def test_a_removed_repository_counts_as_orphan_when_no_kept_repository_is_within_the_threshold():
    entered = {"a": {"f"}, "b": {"f"}, "c": {"f"}}
    # a~b 0.8, b~c 0.8, a~c 0.5: keeping only c leaves a without a survivor, b has one
    result = _score({"c"}, {}, entered, [[1, .8, .5], [.8, 1, .8], [.5, .8, 1]])
    assert result["orphans"] == ["a"] and result["originals_kept"] == 0


def test_kept_pairs_count_only_from_threshold_plus_margin():
    entered = {"a": {"f"}, "b": {"f"}, "c": {"f"}}
    result = _score({"a", "b", "c"}, {}, entered, [[1, .76, .74], [.76, 1, 0], [.74, 0, 1]])
    assert [(x, y) for x, y, _ in result["kept_pairs"]] == [("a", "b")]


def test_a_kept_repository_that_lost_over_a_fifth_of_its_files_is_a_fragment():
    entered = {"a": {"1", "2", "3", "4", "5"}, "b": {"1", "2", "3", "4", "5"}}
    assert _score({"a", "b"}, {"a": 1, "b": 2}, entered, [[1, 0], [0, 1]])["fragment_repos"] == ["b"]


def test_line_edits_are_tuned_to_the_target_jaccard():
    base = planted_forks.Repo("base", "g", "original", "", {}, {}, {})
    for i in range(6):
        base.set_code(f"pkg/mod_{i}.py", CODE.replace("function_", f"f{i}_"))
    cache = ShingleCache()
    reference = cache.repo(base.code.values())
    fork, measured = planted_forks.tuned(base, reference, 0.75, "fork", "edited", 12, cache)
    assert abs(measured - 0.75) < 0.01
    assert abs(jaccard(cache.repo(fork.code.values()), reference) - measured) < 1e-12
    assert sorted(fork.code) == sorted(base.code)
