"""Orderings of a repository's files so that dependencies come before their dependents.

Both orderings take the import graph of :mod:`parsers.graph` (edge ``B -> A`` when ``A``
imports ``B``) and return one list of paths per weakly connected component. Components
are listed by their smallest path, so both orderings split and list components alike.

* :func:`order_paper` is Algorithm 1 of DeepSeek-Coder (arXiv 2401.14196, §2.2; the
  maintainer's description in deepseek-ai/DeepSeek-Coder issue 43).
* :func:`order_max_satisfied` (the default) places as many import edges forward as it
  can: strongly connected components in topological order (so every edge between them is
  satisfied), and inside each one an order with few backward edges (a minimum feedback
  arc set problem): optimal for small components, a greedy plus local search for larger
  ones, never worse than Algorithm 1.

An edge ``u -> v`` is *satisfied* when ``u`` is placed before ``v``. Self-loops can never
be satisfied and are not counted anywhere.
"""
from __future__ import annotations

import heapq
import itertools
import time
from typing import Callable, Sequence

import networkx as nx
import numpy as np

EXACT_LIMIT = 12       # strongly connected components up to this size are ordered exactly
EXACT_MAX = 20         # largest strongly connected component solved exactly by best_achievable
_WINDOW = 12           # width of the windows that best_achievable re-solves exactly
_MAX_ROUNDS = 100      # bound on the local-improvement passes over one component


def components(graph: nx.DiGraph) -> list[list[str]]:
    """Weakly connected components, each sorted by path, listed by their smallest path."""
    return sorted((sorted(c) for c in nx.weakly_connected_components(graph)), key=lambda c: c[0])


def order_paper(graph: nx.DiGraph) -> list[list[str]]:
    """Algorithm 1 of DeepSeek-Coder, one order per weakly connected component.

    In each component, repeatedly place the not-yet-placed file of minimum *current*
    in-degree (counting only edges from files not yet placed), then decrement the
    in-degree of its successors; so a cycle never blocks the order. Ties go to the
    lexicographically smallest path, which makes runs reproducible. A heap with lazy
    deletion keeps this O(E log V).
    """
    return [_algorithm1(graph, nodes) for nodes in components(graph)]


def order_max_satisfied(graph: nx.DiGraph, exact_limit: int = EXACT_LIMIT) -> list[list[str]]:
    """The default ordering: as many edges satisfied as is practical, per component.

    Strongly connected components are placed in lexicographic topological order of the
    condensation (among the components whose dependencies are placed, the one with the
    smallest path goes first). Inside a strongly connected component of at most
    ``exact_limit`` files, a dynamic program over subsets (time and memory grow as
    2**exact_limit) finds an order with the fewest backward edges. A larger one gets two
    candidates, each refined by single-file moves until no move helps: the
    Eades-Lin-Smyth greedy order, and Algorithm 1's order of those files; the one with
    fewer backward edges is kept (ties: the greedy one).
    Choosing per strongly connected component is at least as strong as comparing whole
    components with Algorithm 1: edges between them are all satisfied here, so the
    result never satisfies fewer edges than :func:`order_paper`.
    """
    comps = components(graph)
    component_of = {node: k for k, nodes in enumerate(comps) for node in nodes}
    orders: list[list[str]] = [[] for _ in comps]
    paper_rank: dict[str, int] = {}
    for members in _sccs_in_topological_order(graph):
        if len(members) > exact_limit and not paper_rank:
            paper_rank = {n: k for k, n in enumerate(itertools.chain(*order_paper(graph)))}
        orders[component_of[members[0]]].extend(
            _order_scc(graph, members, exact_limit, paper_rank))
    return orders


ORDERINGS: dict[str, Callable[[nx.DiGraph], list[list[str]]]] = {
    "paper": order_paper,
    "max_satisfied": order_max_satisfied,
}


def satisfied_fraction(order: Sequence[str], graph: nx.DiGraph) -> float:
    """Fraction of the edges among the files of ``order`` that point forward; 1.0 if none.

    ``order`` may be one component or all components chained together.
    """
    satisfied, total = _count_satisfied(order, graph)
    return satisfied / total if total else 1.0


def violations(order: Sequence[str], graph: nx.DiGraph) -> int:
    """Number of edges among the files of ``order`` that point backward."""
    satisfied, total = _count_satisfied(order, graph)
    return total - satisfied


def best_achievable(graph: nx.DiGraph, time_limit_s: float = 10.0) -> tuple[float, bool]:
    """The best satisfied fraction found for ``graph``, and whether it is proven optimal.

    Edges between strongly connected components are always satisfiable, so the problem
    splits per strongly connected component. One of up to :data:`EXACT_MAX` files is
    solved exactly (past the time limit only those up to :data:`EXACT_LIMIT` files). A
    larger one gets an equal share of the time left: half to pack edge-disjoint cycles
    (each forces its own backward edge, so their number bounds the optimum from below),
    half to improve :func:`order_max_satisfied`'s order by re-solving overlapping windows
    of consecutive files exactly and by single-file moves. It counts as optimal only when
    the order found meets that bound. The result is never below the default ordering's.
    """
    deadline = time.monotonic() + time_limit_s
    total = graph.number_of_edges() - nx.number_of_selfloops(graph)
    backward, optimal = 0, True
    paper_rank = {n: k for k, n in enumerate(itertools.chain(*order_paper(graph)))}
    cyclic = sorted((m for m in _sccs_in_topological_order(graph) if len(m) > 1), key=len)
    for k, members in enumerate(cyclic):
        succ, pred = _adjacency(graph, members)
        if len(members) <= EXACT_LIMIT or (
                len(members) <= EXACT_MAX and time.monotonic() < deadline):
            backward += _exact_order(succ)[1]
            continue
        share = max(deadline - time.monotonic(), 0.0) / (len(cyclic) - k)
        bound = _cycle_packing_bound(succ, time.monotonic() + share / 2)
        order = _order_scc_indices(succ, pred, [paper_rank[m] for m in members], 0)
        order = _search_until(order, succ, pred, bound, time.monotonic() + share / 2)
        found = _backward_edges(order, succ)
        backward += found
        optimal = optimal and found <= bound
    return ((total - backward) / total if total else 1.0), optimal


def _count_satisfied(order: Sequence[str], graph: nx.DiGraph) -> tuple[int, int]:
    position = {node: k for k, node in enumerate(order)}
    satisfied = total = 0
    for node, k in position.items():
        for succ in graph.successors(node):
            if succ != node and succ in position:
                total += 1
                satisfied += k < position[succ]
    return satisfied, total


def _algorithm1(graph: nx.DiGraph, nodes: Sequence[str]) -> list[str]:
    in_degree = {node: graph.in_degree(node) for node in nodes}
    heap = [(degree, node) for node, degree in in_degree.items()]
    heapq.heapify(heap)
    placed: set[str] = set()
    order: list[str] = []
    while heap:
        degree, node = heapq.heappop(heap)
        if node in placed or degree != in_degree[node]:
            continue                                  # stale heap entry
        placed.add(node)
        order.append(node)
        for succ in graph.successors(node):
            if succ not in placed:
                in_degree[succ] -= 1
                heapq.heappush(heap, (in_degree[succ], succ))
    return order


def _sccs_in_topological_order(graph: nx.DiGraph) -> list[list[str]]:
    """Strongly connected components (members sorted), smallest-path-first topological order.

    Restricted to one weakly connected component this is that component's own
    lexicographic topological order, so one pass serves every component.
    """
    condensed = nx.condensation(graph)
    members = {c: sorted(condensed.nodes[c]["members"]) for c in condensed}
    return [members[c] for c in
            nx.lexicographical_topological_sort(condensed, key=lambda c: members[c][0])]


def _order_scc(graph: nx.DiGraph, members: list[str], exact_limit: int,
               paper_rank: dict[str, int]) -> list[str]:
    if len(members) == 1:
        return members
    succ, pred = _adjacency(graph, members)
    seed = [paper_rank[m] for m in members] if len(members) > exact_limit else []
    return [members[i] for i in _order_scc_indices(succ, pred, seed, exact_limit)]


def _order_scc_indices(succ: list[list[int]], pred: list[list[int]], paper_rank: list[int],
                       exact_limit: int) -> list[int]:
    """Exact when small, else the better of greedy and Algorithm 1's order, both refined."""
    if len(succ) <= exact_limit:
        return _exact_order(succ)[0]
    greedy = _improve_by_moves(_eades_lin_smyth(succ, pred), succ, pred)
    seeded = _improve_by_moves(sorted(range(len(succ)), key=paper_rank.__getitem__), succ, pred)
    return seeded if _backward_edges(seeded, succ) < _backward_edges(greedy, succ) else greedy


def _adjacency(graph: nx.DiGraph, members: list[str]) -> tuple[list[list[int]], list[list[int]]]:
    """Successor and predecessor index lists inside ``members`` (indices into ``members``)."""
    index = {node: k for k, node in enumerate(members)}
    succ: list[list[int]] = [[] for _ in members]
    pred: list[list[int]] = [[] for _ in members]
    for u, node in enumerate(members):
        for other in graph.successors(node):
            v = index.get(other)
            if v is not None and v != u:
                succ[u].append(v)
                pred[v].append(u)
    return [sorted(s) for s in succ], [sorted(p) for p in pred]


def _backward_edges(order: Sequence[int], succ: list[list[int]]) -> int:
    position = {v: k for k, v in enumerate(order)}
    return sum(position[w] < position[v] for v in order for w in succ[v])


def _eades_lin_smyth(succ: list[list[int]], pred: list[list[int]]) -> list[int]:
    """Eades, Lin & Smyth (1993) greedy: sinks to the back, sources to the front, else the
    node of largest out-degree minus in-degree to the front. Ties: smallest index (path).
    """
    n = len(succ)
    out_deg = [len(s) for s in succ]
    in_deg = [len(p) for p in pred]
    removed = [False] * n
    sinks = [v for v in range(n) if out_deg[v] == 0]
    sources = [v for v in range(n) if in_deg[v] == 0]
    by_delta = [(in_deg[v] - out_deg[v], v) for v in range(n)]
    for heap in (sinks, sources, by_delta):
        heapq.heapify(heap)
    front: list[int] = []
    back: list[int] = []

    def remove(v: int) -> None:
        removed[v] = True
        for w in succ[v]:
            if not removed[w]:
                in_deg[w] -= 1
                if in_deg[w] == 0:
                    heapq.heappush(sources, w)
                heapq.heappush(by_delta, (in_deg[w] - out_deg[w], w))
        for u in pred[v]:
            if not removed[u]:
                out_deg[u] -= 1
                if out_deg[u] == 0:
                    heapq.heappush(sinks, u)
                heapq.heappush(by_delta, (in_deg[u] - out_deg[u], u))

    for _ in range(n):
        while sinks and removed[sinks[0]]:
            heapq.heappop(sinks)
        while sources and removed[sources[0]]:
            heapq.heappop(sources)
        if sinks:
            v = heapq.heappop(sinks)
            back.append(v)
        else:
            if sources:
                v = heapq.heappop(sources)
            else:
                while True:
                    key, v = heapq.heappop(by_delta)
                    if not removed[v] and key == in_deg[v] - out_deg[v]:
                        break                         # else a stale entry
            front.append(v)
        remove(v)
    return front + back[::-1]


def _improve_by_moves(order: Sequence[int], succ: list[list[int]],
                      pred: list[list[int]]) -> list[int]:
    """Move single nodes to their best position while that removes backward edges.

    Each move strictly lowers the backward-edge count; passes stop when one makes no move
    or after :data:`_MAX_ROUNDS`. Finding a node's best position costs O(deg log deg).
    """
    order = list(order)
    position = [0] * len(order)
    for k, v in enumerate(order):
        position[v] = k
    for _ in range(_MAX_ROUNDS):
        moved = False
        for v in range(len(order)):
            here = position[v]
            target = _best_position(v, here, position, succ, pred)
            if target == here:
                continue
            order.pop(here)
            order.insert(target, v)
            for k in range(min(here, target), max(here, target) + 1):
                position[order[k]] = k
            moved = True
        if not moved:
            break
    return order


def _best_position(v: int, here: int, position: list[int], succ: list[list[int]],
                   pred: list[list[int]]) -> int:
    """Index to re-insert ``v`` at (after taking it out) with the fewest backward edges at
    ``v``; ``here`` unless some index is strictly better, else the best index nearest ``here``.
    """
    events = sorted([(position[u] - (position[u] > here), -1) for u in pred[v]]
                    + [(position[w] - (position[w] > here), 1) for w in succ[v]])
    # Inserted at index t, v is behind the neighbours at indices < t: a predecessor there
    # is satisfied, a successor there is a backward edge. cost(t) is constant between events.
    cost = current = len(pred[v])
    best_cost, best_range = cost, (0, events[0][0] if events else len(position) - 1)
    for k, (index, change) in enumerate(events):
        cost += change
        if index < here:
            current = cost
        last = events[k + 1][0] if k + 1 < len(events) else len(position) - 1
        if cost < best_cost and index + 1 <= last:
            best_cost, best_range = cost, (index + 1, last)
    if best_cost >= current:
        return here
    return min(max(here, best_range[0]), best_range[1])


def _exact_order(succ: list[list[int]]) -> tuple[list[int], int]:
    """An order with the fewest backward edges and their number (DP over subsets).

    cost(S) = min over v in S of cost(S - v) + |succ(v) & (S - v)|: the best order of the
    set S placed first, with v last among them. Vectorized per subset size with numpy:
    O(2^n n) time, 5 bytes per subset. Ties put the largest index last.
    """
    n = len(succ)
    size = 1 << n
    succ_mask = [sum(1 << w for w in s) for s in succ]
    subsets = np.arange(size, dtype=np.int64)
    counts = np.bitwise_count(subsets)
    by_count = np.argsort(counts, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(counts, minlength=n + 1))))
    cost = np.zeros(size, dtype=np.int32)
    last = np.zeros(size, dtype=np.int8)
    for k in range(1, n + 1):
        layer = by_count[bounds[k]:bounds[k + 1]]
        best = np.full(len(layer), np.iinfo(np.int32).max, dtype=np.int32)
        best_last = np.zeros(len(layer), dtype=np.int8)
        for v in range(n):
            bit = 1 << v
            candidate = cost[layer ^ bit] + np.bitwise_count(layer & succ_mask[v])
            better = ((layer & bit) != 0) & (candidate <= best)
            best = np.where(better, candidate, best)
            best_last[better] = v
        cost[layer] = best
        last[layer] = best_last
    order: list[int] = []
    subset = size - 1
    while subset:
        v = int(last[subset])
        order.append(v)
        subset ^= 1 << v
    return order[::-1], int(cost[size - 1])


def _search_until(order: list[int], succ: list[list[int]], pred: list[list[int]],
                  bound: int, deadline: float) -> list[int]:
    """Alternate exact re-solving of overlapping windows and single-node moves until
    neither helps, the order meets ``bound`` backward edges or the deadline passes."""
    found = _backward_edges(order, succ)
    while found > bound and time.monotonic() < deadline:
        order = _improve_by_moves(_improve_windows(order, succ, deadline), succ, pred)
        now = _backward_edges(order, succ)
        if now >= found:
            break
        found = now
    return order


def _improve_windows(order: list[int], succ: list[list[int]], deadline: float) -> list[int]:
    """Re-order each window of consecutive nodes optimally: edges leaving a window keep
    their direction, so this never adds backward edges."""
    order = list(order)
    n = len(order)
    starts = sorted(set(range(0, max(n - _WINDOW, 0), _WINDOW // 2)) | {max(n - _WINDOW, 0)})
    for start in starts:
        if time.monotonic() >= deadline:
            break
        window = order[start:start + _WINDOW]
        local = {v: k for k, v in enumerate(window)}
        local_succ = [[local[w] for w in succ[v] if w in local] for v in window]
        best, cost = _exact_order(local_succ)
        if cost < _backward_edges(range(len(window)), local_succ):
            order[start:start + _WINDOW] = [window[k] for k in best]
    return order


def _cycle_packing_bound(succ: list[list[int]], deadline: float) -> int:
    """A lower bound on backward edges: edge-disjoint cycles found greedily (shortest cycle
    through each node in turn, by breadth-first search), each needing its own backward edge.
    """
    used: set[tuple[int, int]] = set()
    cycles = 0
    for start in range(len(succ)):
        while time.monotonic() < deadline:
            cycle = _shortest_cycle_through(start, succ, used)
            if cycle is None:
                break
            used.update(zip(cycle, cycle[1:] + cycle[:1]))
            cycles += 1
    return cycles


def _shortest_cycle_through(start: int, succ: list[list[int]],
                            used: set[tuple[int, int]]) -> list[int] | None:
    parent = {start: start}
    frontier = [start]
    while frontier:
        following: list[int] = []
        for u in frontier:
            for w in succ[u]:
                if (u, w) in used:
                    continue
                if w == start:
                    cycle = [u]
                    while cycle[-1] != start:
                        cycle.append(parent[cycle[-1]])
                    return cycle[::-1]
                if w not in parent:
                    parent[w] = u
                    following.append(w)
        frontier = following
    return None
