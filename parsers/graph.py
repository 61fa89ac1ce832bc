"""The import graph of one repository as a ``networkx.DiGraph``.

Convention (DeepSeek-Coder §2.2): an edge ``B -> A`` when ``A`` imports ``B``, so every
edge points from a dependency to its dependent and "dependency first" means "edge forward".
"""
from __future__ import annotations

from typing import Any, Sequence

import networkx as nx

from parsers.model import Edge


def build_graph(paths: Sequence[str], edges: Sequence[Edge]) -> nx.DiGraph:
    """One node per path (isolated files included), one edge ``imported -> importer``.

    Nodes and edges are inserted in sorted order, so the graph (and everything that
    iterates over it) does not depend on the order of ``paths`` or ``edges``. Several
    imports between the same two files make one edge. Edges with an end outside ``paths``
    (a file dropped after its imports were resolved) and self-imports (which say nothing
    about order) are left out.
    """
    graph = nx.DiGraph()
    nodes = sorted(set(paths))
    graph.add_nodes_from(nodes)
    known = set(nodes)
    graph.add_edges_from(sorted({
        (edge.imported, edge.importer)
        for edge in edges
        if edge.imported != edge.importer and edge.imported in known and edge.importer in known
    }))
    return graph


def graph_metrics(graph: nx.DiGraph) -> dict[str, Any]:
    """Size and cycle structure of an import graph.

    cycles          strongly connected components of two or more files, plus self-loops
    files_in_cycles files in such a component or with a self-loop
    components      weakly connected components (= repo-level samples before size caps)
    """
    cyclic = [scc for scc in nx.strongly_connected_components(graph) if len(scc) > 1]
    looped = {node for node, _ in nx.selfloop_edges(graph)}
    in_cycles = set().union(*cyclic, looped)
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "cycles": len(cyclic) + nx.number_of_selfloops(graph),
        "files_in_cycles": len(in_cycles),
        "components": nx.number_weakly_connected_components(graph),
    }
