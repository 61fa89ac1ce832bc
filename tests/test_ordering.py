"""Import graph, Algorithm 1 of DeepSeek-Coder, and the default max-satisfied ordering."""
from __future__ import annotations

import itertools
import random

import networkx as nx

from parsers.graph import build_graph, graph_metrics
from parsers.model import Edge
from parsers.ordering import (
    best_achievable, order_max_satisfied, order_paper, satisfied_fraction, violations,
)


def imports(*pairs: tuple[str, str], files: tuple[str, ...] = ()) -> nx.DiGraph:
    """The graph of ``(importer, imported)`` pairs plus extra ``files``."""
    paths = set(files) | {p for pair in pairs for p in pair}
    return build_graph(sorted(paths), [Edge(a, b, "Python", f"import {b}") for a, b in pairs])


def flat(order: list[list[str]]) -> list[str]:
    return list(itertools.chain(*order))


def random_graph(rng: random.Random, n: int, p: float) -> nx.DiGraph:
    g = nx.gnp_random_graph(n, p, seed=rng.randrange(1 << 30), directed=True)
    return nx.relabel_nodes(g, {i: f"f{i:03d}.py" for i in g})


def random_dag(rng: random.Random, n: int, p: float) -> nx.DiGraph:
    names = [f"m{i:03d}.py" for i in range(n)]
    rng.shuffle(names)                       # topological order unrelated to path order
    g = nx.DiGraph()
    g.add_nodes_from(names)
    g.add_edges_from((names[i], names[j]) for i in range(n) for j in range(i + 1, n)
                     if rng.random() < p)
    return g


def brute_force_fewest_violations(g: nx.DiGraph) -> int:
    return min(violations(p, g) for p in itertools.permutations(sorted(g)))


def package_cycle(modules: int, leaves: tuple[str, ...] = ()) -> nx.DiGraph:
    """``pkg/__init__.py`` imports every module; module i imports ``pkg`` and module i-1;
    each leaf imports ``pkg`` and nothing imports it."""
    pairs = [("pkg/__init__.py", f"pkg/m{i}.py") for i in range(1, modules + 1)]
    pairs += [(f"pkg/m{i}.py", "pkg/__init__.py") for i in range(1, modules + 1)]
    pairs += [(f"pkg/m{i}.py", f"pkg/m{i - 1}.py") for i in range(2, modules + 1)]
    pairs += [(leaf, "pkg/__init__.py") for leaf in leaves]
    return imports(*pairs)


# --- graph -----------------------------------------------------------------------------

def test_edges_point_from_the_imported_file_to_the_importer():
    g = imports(("app.py", "util.py"))
    assert list(g.edges) == [("util.py", "app.py")]


def test_files_without_imports_are_isolated_nodes():
    g = imports(("app.py", "util.py"), files=("README.py",))
    assert sorted(g.nodes) == ["README.py", "app.py", "util.py"]


def test_self_imports_and_edges_to_unknown_files_are_left_out():
    g = build_graph(["a.py", "b.py"], [Edge("a.py", "a.py", "Python", ""),
                                       Edge("a.py", "gone.py", "Python", ""),
                                       Edge("a.py", "b.py", "Python", "")])
    assert list(g.edges) == [("b.py", "a.py")]


def test_graph_metrics_count_cycles_files_in_cycles_and_components():
    g = imports(("a.py", "b.py"), ("b.py", "a.py"), ("c.py", "d.py"), ("d.py", "e.py"),
                ("e.py", "c.py"), ("f.py", "c.py"), files=("lone.py",))
    assert graph_metrics(g) == {"nodes": 7, "edges": 6, "cycles": 2, "files_in_cycles": 5,
                                "components": 3}


# --- Algorithm 1 -------------------------------------------------------------------------

def test_algorithm1_puts_a_chain_dependency_first():
    g = imports(("a.py", "b.py"), ("b.py", "c.py"))
    assert order_paper(g) == [["c.py", "b.py", "a.py"]]


def test_algorithm1_orders_a_diamond_with_ties_by_path():
    g = imports(("top.py", "left.py"), ("top.py", "right.py"),
                ("left.py", "base.py"), ("right.py", "base.py"))
    assert order_paper(g) == [["base.py", "left.py", "right.py", "top.py"]]


def test_algorithm1_enters_a_cycle_after_its_tail_at_the_smallest_path():
    # a -> b -> c -> a is a cycle (x -> y: x imports y); b also imports the tail t.
    g = imports(("a.py", "c.py"), ("b.py", "a.py"), ("c.py", "b.py"), ("b.py", "t.py"))
    order = order_paper(g)
    assert order == [["t.py", "a.py", "b.py", "c.py"]]
    assert violations(order[0], g) == 1


def test_algorithm1_uses_the_current_in_degree_not_the_initial_one():
    # b.py starts with in-degree 2 and a.py with 1, but once x and y are placed b has 0.
    g = imports(("b.py", "x.py"), ("b.py", "y.py"), ("c.py", "b.py"),
                ("a.py", "c.py"), ("c.py", "a.py"))
    assert order_paper(g) == [["x.py", "y.py", "b.py", "a.py", "c.py"]]


def test_algorithm1_breaks_ties_by_path():
    g = imports(("zeta.py", "core.py"), ("alpha.py", "core.py"), ("mid.py", "core.py"))
    assert order_paper(g) == [["core.py", "alpha.py", "mid.py", "zeta.py"]]


def test_components_are_listed_by_their_smallest_path_in_both_orderings():
    g = imports(("z.py", "b.py"), ("y.py", "c.py"), files=("a.py",))
    expected = [["a.py"], ["b.py", "z.py"], ["c.py", "y.py"]]
    assert order_paper(g) == expected
    assert order_max_satisfied(g) == expected


# --- default ordering --------------------------------------------------------------------

def test_default_ordering_satisfies_every_edge_of_a_dag():
    rng = random.Random(7)
    for _ in range(20):
        g = random_dag(rng, rng.randrange(2, 40), rng.uniform(0.05, 0.3))
        assert violations(flat(order_max_satisfied(g)), g) == 0


def test_default_ordering_is_lexicographic_among_independent_files():
    g = imports(("c.py", "a.py"), ("b.py", "a.py"))
    assert order_max_satisfied(g) == [["a.py", "b.py", "c.py"]]


def test_both_orderings_are_optimal_on_a_plain_package_reexport_cycle():
    # Ten edge-disjoint 2-cycles (pkg <-> mi): at least ten edges must point backward.
    g = package_cycle(10)
    paper = satisfied_fraction(flat(order_paper(g)), g)
    default = satisfied_fraction(flat(order_max_satisfied(g)), g)
    assert default == paper == (g.number_of_edges() - 10) / g.number_of_edges(), (paper, default)


def test_default_ordering_beats_algorithm1_on_a_package_cycle_with_leaf_importers():
    # Leaves have in-degree 1 like m1, sort before it, and so Algorithm 1 places them first.
    g = package_cycle(10, leaves=("pkg/api.py", "pkg/cli.py"))
    paper = satisfied_fraction(flat(order_paper(g)), g)
    default = satisfied_fraction(flat(order_max_satisfied(g)), g)
    assert default > paper, f"default {default:.3f} vs Algorithm 1 {paper:.3f}"
    assert violations(flat(order_max_satisfied(g)), g) == 10


def test_small_strongly_connected_components_are_ordered_optimally():
    rng = random.Random(11)
    for _ in range(20):
        g = random_graph(rng, 6, 0.45)
        assert violations(flat(order_max_satisfied(g)), g) == brute_force_fewest_violations(g)


def test_default_ordering_is_never_worse_than_algorithm1():
    rng = random.Random(3)
    for _ in range(50):
        g = random_graph(rng, rng.randrange(5, 45), rng.uniform(0.04, 0.2))
        paper = satisfied_fraction(flat(order_paper(g)), g)
        default = satisfied_fraction(flat(order_max_satisfied(g)), g)
        assert default >= paper, (sorted(g.edges), paper, default)


def test_large_component_heuristic_is_never_worse_than_algorithm1():
    rng = random.Random(5)
    for _ in range(10):
        g = random_graph(rng, 30, 0.12)
        paper = violations(flat(order_paper(g)), g)
        assert violations(flat(order_max_satisfied(g, exact_limit=0)), g) <= paper


def test_orderings_do_not_depend_on_the_order_of_the_edges_given():
    rng = random.Random(1)
    g = random_graph(rng, 35, 0.1)
    edges = [Edge(b, a, "Python", "") for a, b in g.edges]
    paths = sorted(g.nodes)
    reference = build_graph(paths, edges)
    for _ in range(3):
        rng.shuffle(edges)
        rng.shuffle(paths)
        shuffled = build_graph(paths, edges)
        assert order_paper(shuffled) == order_paper(reference)
        assert order_max_satisfied(shuffled) == order_max_satisfied(reference)


def test_orderings_do_not_depend_on_graph_insertion_order():
    rng = random.Random(2)
    g = random_graph(rng, 35, 0.1)
    nodes, edges = list(g.nodes), list(g.edges)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    shuffled = nx.DiGraph()
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    assert order_paper(shuffled) == order_paper(g)
    assert order_max_satisfied(shuffled) == order_max_satisfied(g)


def test_large_repository_with_a_300_file_cycle_is_ordered():
    rng = random.Random(0)
    names = [f"src/m{i:04d}.py" for i in range(2000)]
    g = nx.DiGraph()
    g.add_nodes_from(names)
    g.add_edges_from((names[rng.randrange(i)], names[i])
                     for i in range(1, 2000) for _ in range(rng.randrange(4)))
    core = names[500:800]
    g.add_edges_from(zip(core, core[1:] + core[:1]))
    g.add_edges_from(rng.sample(core, 2) for _ in range(600))
    order = flat(order_max_satisfied(g))
    assert sorted(order) == sorted(names)
    assert violations(order, g) <= violations(flat(order_paper(g)), g)


# --- measures -------------------------------------------------------------------------------

def test_satisfied_fraction_is_one_without_edges():
    assert satisfied_fraction(["a.py", "b.py"], imports(files=("a.py", "b.py"))) == 1.0


def test_satisfied_fraction_counts_edges_pointing_forward():
    g = imports(("a.py", "b.py"), ("b.py", "c.py"))
    assert satisfied_fraction(["c.py", "a.py", "b.py"], g) == 0.5
    assert violations(["c.py", "a.py", "b.py"], g) == 1


def test_satisfied_fraction_of_one_component_ignores_the_others():
    g = imports(("a.py", "b.py"), ("y.py", "z.py"))
    assert satisfied_fraction(["b.py", "a.py"], g) == 1.0


def test_best_achievable_is_proven_optimal_on_small_cycles():
    rng = random.Random(13)
    g = random_graph(rng, 7, 0.4)
    fraction, optimal = best_achievable(g)
    best = brute_force_fewest_violations(g)
    assert optimal
    assert fraction == (g.number_of_edges() - best) / g.number_of_edges()


def test_best_achievable_proves_a_large_package_cycle_optimal():
    g = package_cycle(30)
    assert best_achievable(g) == ((g.number_of_edges() - 30) / g.number_of_edges(), True)


def test_best_achievable_is_at_least_the_default_ordering():
    g = random_graph(random.Random(17), 60, 0.08)
    fraction, _ = best_achievable(g, time_limit_s=1.0)
    assert fraction >= satisfied_fraction(flat(order_max_satisfied(g)), g)
