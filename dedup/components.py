"""Near-duplicate clusters: union-find over candidate edges, one survivor per cluster.

Memory is proportional to the number of distinct nodes that appear in the edges; nodes
without an edge are their own cluster and are not stored.
"""
from __future__ import annotations

from typing import Any, Hashable, Iterable, Mapping


class UnionFind:
    """Disjoint sets of hashable nodes (created on first sight), path compression, union by size."""

    def __init__(self) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._size: dict[Hashable, int] = {}

    def find(self, node: Hashable) -> Hashable:
        parent = self._parent
        if node not in parent:
            parent[node] = node
            self._size[node] = 1
            return node
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    def union(self, a: Hashable, b: Hashable) -> Hashable:
        """Merge the sets of ``a`` and ``b``; returns the root of the merged set."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return root_a
        if self._size[root_a] < self._size[root_b]:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._size[root_a] += self._size.pop(root_b)
        return root_a

    def nodes(self) -> list[Hashable]:
        """Every node seen, in first-seen order."""
        return list(self._parent)


def component_ids(pairs: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, Hashable]:
    """Every node of ``pairs`` -> its component's id (the smallest node in it).

    Memory: the nodes that have a pair and their pairs, not the corpus. The result does not
    depend on the order of ``pairs``."""
    sets = UnionFind()
    for a, b in pairs:
        sets.union(a, b)
    smallest: dict[Hashable, Hashable] = {}
    for node in sets.nodes():
        root = sets.find(node)
        if root not in smallest or node < smallest[root]:
            smallest[root] = node
    return {node: smallest[sets.find(node)] for node in sets.nodes()}


def clusters(edges: Iterable[tuple[Hashable, Hashable]], ranks: Mapping[Hashable, Any]) -> dict[Hashable, Hashable]:
    """Map every node of ``edges`` to its connected component's survivor, which is also the
    cluster id: the member with the smallest ``(ranks[node], node)``.

    Connected components put ``a`` and ``c`` together through ``a~b``, ``b~c`` even when
    ``a`` and ``c`` are not similar: the first near-dedup's semantics, kept for the
    benchmarks' ground-truth clusters. The pipeline chooses survivors greedily per component
    (:func:`dedup.near.decide_component`). The result does not depend on the order of ``edges``.
    """
    components = component_ids(edges)
    survivor: dict[Hashable, Hashable] = {}
    for node, comp in components.items():
        if comp not in survivor or (ranks[node], node) < (ranks[survivor[comp]], survivor[comp]):
            survivor[comp] = node
    return {node: survivor[comp] for node, comp in components.items()}


def exact_jaccard(shingles_a: Iterable[Hashable], shingles_b: Iterable[Hashable]) -> float:
    """``|A & B| / |A | B|`` of two shingle sets (1.0 when both are empty, like two empty MinHashes)."""
    a, b = set(shingles_a), set(shingles_b)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
