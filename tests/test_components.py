from __future__ import annotations

import itertools

from dedup.components import UnionFind, clusters, exact_jaccard
from dedup.rank import survivor_rank


def test_similarity_is_transitive_within_a_cluster():
    survivor = clusters([("a", "b"), ("b", "c")], {"a": 1, "b": 2, "c": 3})
    assert survivor == {"a": "a", "b": "a", "c": "a"}


def test_unconnected_pairs_form_separate_clusters():
    survivor = clusters([("a", "b"), ("c", "d")], {"a": 2, "b": 1, "c": 3, "d": 4})
    assert survivor == {"a": "b", "b": "b", "c": "c", "d": "c"}


def test_survivor_is_the_member_with_the_best_rank():
    repos = {
        "gpl/popular": survivor_rank("GPL-3.0", 900, 10, "gpl/popular"),
        "mit/small": survivor_rank("MIT", 5, 10, "mit/small"),
        "mit/starred": survivor_rank("MIT", 50, 10, "mit/starred"),
    }
    survivor = clusters([("gpl/popular", "mit/small"), ("mit/small", "mit/starred")], repos)
    assert set(survivor.values()) == {"mit/starred"}


def test_equal_ranks_fall_back_to_the_smallest_node():
    assert set(clusters([(3, 1), (1, 2)], {1: 0, 2: 0, 3: 0}).values()) == {1}


def test_clusters_do_not_depend_on_edge_order():
    edges = [(1, 2), (3, 4), (2, 5), (5, 3), (6, 7)]
    ranks = {n: (n * 7) % 5 for n in range(1, 8)}
    results = {tuple(sorted(clusters(list(order), ranks).items())) for order in itertools.permutations(edges)}
    assert len(results) == 1


def test_only_nodes_that_appear_in_edges_are_kept():
    sets = UnionFind()
    sets.union(1, 2)
    assert sets.nodes() == [1, 2]
    assert clusters([], {1: 0}) == {}


def test_union_find_joins_chains_under_one_root():
    sets = UnionFind()
    for a, b in zip(range(100), range(1, 101)):
        sets.union(b, a)
    assert len({sets.find(n) for n in range(101)}) == 1
    assert sets.find(200) == 200


def test_exact_jaccard_of_shingle_sets():
    assert exact_jaccard(["a b", "b c", "c d"], ["b c", "c d", "d e", "b c"]) == 0.5


def test_exact_jaccard_of_two_empty_sets_is_one():
    assert exact_jaccard([], []) == 1.0
