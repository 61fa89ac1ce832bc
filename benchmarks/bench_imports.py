"""Import extraction, resolution and ordering against reference import graphs (issue 3).

    python benchmarks/bench_imports.py --corpus /work/corpus [--corpus DIR ...]
        [--repo NAME ...] [--json out.json] [--verbose]

Each repository folder of each corpus is read as the pipeline reads it: enumerated by
``iter_folder``, decoded by ``decode_entry``, kept when no default file filter rejects
it, exact-deduplicated across the corpus, configuration files collected with
``is_aux_file``. Our edges come from ``parse_file`` + ``resolve_repository`` over the kept
files, exactly as :func:`parsers.repo_samples.order_repository` computes them.

Reference edges come from tools someone else wrote (see :mod:`import_references`): grimp
for Python, the GNU preprocessor for C/C++, madge for JavaScript/TypeScript, javac +
jdeps for Java. Like is compared with like, per language group and repository:

* importers: files of the group that the pipeline keeps *and* the tool read (grimp:
  modules of regular packages; gcc: files it preprocessed; madge: files it listed;
  jdeps: Maven main source sets that compile on their own);
* imported: files the pipeline keeps that the tool can name (grimp and jdeps: the files
  they read; gcc and madge: any file). A reference edge to a file the pipeline dropped (an
  empty ``__init__.py``, a minified bundle, an exact duplicate) is counted apart, not as
  a miss;
* Java: edges within one package count like any other (issue 13: the pipeline resolves
  same-package references without an import). ``--java-imports-only`` leaves them out on
  both sides, as this benchmark did before, to compare import resolution alone;
* our edges of import kinds the tool does not model are counted apart, not as extras:
  Python ``dynamic_import`` (grimp reads only import statements); C/C++ ``#include``
  lines outside the branches the preprocessor took in its configuration; JS/TS imports
  of the repository's own package names (``zod/v4`` inside zod), which madge looks up in
  ``node_modules`` only.

Precision = shared / ours, recall = shared / reference; micro-averaged over repositories.
``--run-output OUT`` scores the ``edges`` table of a finished default ``repocurate run``
over the same corpus instead (what the user gets; the ordering columns then use those
edges too).
Ordering: the pipeline's orders of *our* graph (Algorithm 1 and ``max_satisfied``, all
components chained) are scored on the *reference* graph, beside the best fraction of
reference edges any order can satisfy (``best_achievable``), and on our own graph.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import posixpath
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import networkx as nx  # noqa: E402

from dedup.exact import split_exact_duplicates  # noqa: E402
from filters.base import first_rejection  # noqa: E402
from filters.file_filters import default_file_filters  # noqa: E402
from import_references import (  # noqa: E402
    Reference, c_reference, java_reference, js_reference, python_reference)
from parsers.aux_files import is_aux_file  # noqa: E402
from parsers.grammars import SUPPORTED_LANGUAGES  # noqa: E402
from parsers.graph import build_graph  # noqa: E402
from parsers.imports import parse_file  # noqa: E402
from parsers.model import Edge, Import, ParsedFile  # noqa: E402
from parsers.ordering import best_achievable, order_max_satisfied, order_paper, satisfied_fraction  # noqa: E402
from parsers.resolve import RepoFile, resolve_repository  # noqa: E402
from pipeline.limits import CrawlLimits  # noqa: E402
from pipeline.sources.decode import RepoInfo, decode_entry  # noqa: E402
from pipeline.sources.folder import find_repositories, iter_folder  # noqa: E402

Pair = tuple[str, str]

GROUP_LANGUAGES = {
    "python": ("python",),
    "c/c++": ("c", "cpp"),
    "js/ts": ("javascript", "typescript"),
    "java": ("java",),
}
BEST_ACHIEVABLE_SECONDS = 10.0


@dataclass
class Repository:
    """One repository as the pipeline sees it after file filters and exact dedup."""

    name: str
    root: str
    listed: frozenset[str]
    files: list[dict[str, Any]] = field(default_factory=list)
    aux: dict[str, str] = field(default_factory=dict)


def read_corpus(corpus_dirs: Sequence[str], only: Sequence[str] = ()) -> list[Repository]:
    """Every repository of the corpora, read like the crawl + file-filter + dedup stages."""
    filters = default_file_filters()
    limits = CrawlLimits()
    repos: list[Repository] = []
    for corpus in corpus_dirs:
        for name, path in find_repositories(corpus):
            if only and name not in only:
                continue
            info = RepoInfo(name, f"folder:{path}")
            listed, kept, aux = set(), [], {}
            for entry in iter_folder(path, limits):
                listed.add(entry.path)
                if entry.data is not None and is_aux_file(entry.path):
                    aux[entry.path] = entry.data.decode("utf-8", "replace")
                record, _ = decode_entry(info, entry)
                if record is not None and first_rejection(record, filters) is None:
                    kept.append(record)
            repos.append(Repository(name, path, frozenset(listed), kept, aux))
    by_hash: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for repo in repos:
        for record in repo.files:
            by_hash[record["sha256"]].append(record)
    survivors = {id(split_exact_duplicates(group)[0]) for group in by_hash.values()}
    for repo in repos:
        repo.files = sorted((r for r in repo.files if id(r) in survivors), key=lambda r: r["path"])
    return repos


def language_of(repo: Repository) -> dict[str, str]:
    return {r["path"]: r["language"] for r in repo.files}


def parse_repository(repo: Repository) -> dict[str, ParsedFile]:
    return {r["path"]: parse_file(r["language"], r["content"], r["path"])
            for r in repo.files if r["language"] in SUPPORTED_LANGUAGES}


def resolve_edges(parsed: Mapping[str, ParsedFile], aux: Mapping[str, str],
                  keep: Callable[[str, Import], bool] = lambda path, imp: True) -> set[Pair]:
    """Our edges (importer, imported) from the imports ``keep`` accepts."""
    files = [RepoFile(path, p.language, p._replace(imports=tuple(i for i in p.imports if keep(path, i))))
             for path, p in sorted(parsed.items())]
    edges, _, _ = resolve_repository(files, aux)
    return {(e.importer, e.imported) for e in edges}


def workspace_package_names(aux: Mapping[str, str]) -> frozenset[str]:
    """``name`` of every ``package.json`` outside ``node_modules``."""
    names = set()
    for path, text in aux.items():
        if path.rsplit("/", 1)[-1] == "package.json" and "node_modules/" not in path:
            try:
                name = json.loads(text).get("name")
            except (ValueError, AttributeError):
                continue
            if isinstance(name, str) and name:
                names.add(name)
    return frozenset(names)


def modelled_by_references(references: Mapping[str, Reference], languages: Mapping[str, str],
                           package_names: frozenset[str]) -> Callable[[str, Import], bool]:
    """Which of our imports the reference tools model (see the module docstring)."""
    active = references["c/c++"].active_includes if "c/c++" in references else None
    js_languages = GROUP_LANGUAGES["js/ts"]

    def keep(path: str, imp: Import) -> bool:
        language = languages.get(path)
        if language == "python":
            return imp.kind != "dynamic_import"
        if language in js_languages:
            target = imp.target.strip()
            return not any(target == n or target.startswith(n + "/") for n in package_names)
        if imp.kind.startswith("include_") and active is not None and path in active:
            return (imp.kind, imp.target.strip()) in active[path]
        return True

    return keep


def compute_references(repo: Repository, languages: Mapping[str, str]) -> dict[str, tuple[Reference, float]]:
    """Each group's reference graph (and seconds spent) for the groups the repository has."""
    present = set(languages.values())
    found: dict[str, tuple[Reference, float]] = {}
    for group, members in GROUP_LANGUAGES.items():
        if not present & set(members):
            continue
        start = time.perf_counter()
        if group == "python":
            ref = python_reference(repo.root, repo.listed)
        elif group == "c/c++":
            ref = c_reference(repo.root, sorted(p for p, lang in languages.items() if lang in members),
                              repo.listed)
        elif group == "java":
            ref = java_reference(repo.root, repo.listed)
        else:
            ref = js_reference(repo.root, repo.listed)
        found[group] = (ref, time.perf_counter() - start)
    return found


class Comparison(NamedTuple):
    """Edge sets of one language group of one repository, restricted like with like."""

    importers: frozenset[str]
    reference: frozenset[Pair]
    ours: frozenset[Pair]
    not_modelled: frozenset[Pair]
    to_dropped_files: frozenset[Pair]


def compare(group: str, ref: Reference, ours_all: set[Pair], ours_modelled: set[Pair],
            languages: Mapping[str, str], java_same_package: bool = True) -> Comparison:
    """Our edges and the reference's among the files both sides can see (module docstring)."""
    members = GROUP_LANGUAGES[group]
    importers = frozenset(p for p in ref.importers if languages.get(p) in members)
    targets = set(languages) if ref.targets is None else set(languages) & ref.targets

    def in_scope(pair: Pair) -> bool:
        if (group == "java" and not java_same_package
                and posixpath.dirname(pair[0]) == posixpath.dirname(pair[1])):
            return False  # same package, left out on request (--java-imports-only)
        return pair[0] in importers and pair[1] in targets

    ours = frozenset(e for e in ours_modelled if in_scope(e))
    return Comparison(
        importers=importers,
        reference=frozenset(e for e in ref.edges if in_scope(e)),
        ours=ours,
        not_modelled=frozenset(e for e in ours_all if in_scope(e)) - ours,
        to_dropped_files=frozenset(e for e in ref.edges if e[0] in ref.importers
                                   and not (e[0] in languages and e[1] in languages)),
    )


def comparison_metrics(ref: Reference, c: Comparison) -> dict[str, Any]:
    shared = c.ours & c.reference
    return {
        "tool": ref.tool,
        "files": len(c.importers),
        "reference_edges": len(c.reference),
        "our_edges": len(c.ours),
        "shared": len(shared),
        "precision": _ratio(len(shared), len(c.ours)),
        "recall": _ratio(len(shared), len(c.reference)),
        "reference_edges_to_dropped_files": len(c.to_dropped_files),
        "our_edges_not_modelled": len(c.not_modelled),
        "failed": [list(f) for f in ref.failed],
        "counts": dict(ref.counts),
        "missed": [[a, b, ref.details.get((a, b), "")] for a, b in sorted(c.reference - c.ours)],
        "extra": sorted([a, b] for a, b in c.ours - c.reference),
        "not_modelled": sorted([a, b] for a, b in c.not_modelled),
        "to_dropped_files": sorted([a, b] for a, b in c.to_dropped_files),
    }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def cycle_summary(graph: nx.DiGraph) -> dict[str, int]:
    cyclic = [len(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return {"cycles": len(cyclic), "files_in_cycles": sum(cyclic), "largest_cycle": max(cyclic, default=0)}


def ordering_scores(paths: Sequence[str], ours: set[Pair], reference: set[Pair]) -> dict[str, Any]:
    """Our orders scored on the reference graph and on our own graph."""
    def as_graph(pairs: Iterable[Pair]) -> nx.DiGraph:
        return build_graph(paths, [Edge(a, b, "", "") for a, b in sorted(pairs)])

    our_graph, ref_graph = as_graph(ours), as_graph(reference)
    orders = {"paper": list(itertools.chain(*order_paper(our_graph))),
              "max_satisfied": list(itertools.chain(*order_max_satisfied(our_graph)))}
    scores: dict[str, Any] = {"files": len(paths)}
    for label, graph in (("reference", ref_graph), ("ours", our_graph)):
        best, optimal = best_achievable(graph, BEST_ACHIEVABLE_SECONDS)
        scores[label] = {
            "edges": graph.number_of_edges(),
            **cycle_summary(graph),
            "paper": satisfied_fraction(orders["paper"], graph),
            "max_satisfied": satisfied_fraction(orders["max_satisfied"], graph),
            "best": best,
            "best_is_optimal": optimal,
        }
    return scores


def run_output_edges(out_dir: str) -> dict[str, set[Pair]]:
    """``{repo_name: {(importer, imported)}}`` from the ``edges`` table of a finished run."""
    import pyarrow.parquet as pq

    edges: dict[str, set[Pair]] = defaultdict(set)
    for row in pq.read_table(os.path.join(out_dir, "edges")).to_pylist():
        edges[row["repo_name"]].add((row["importer"], row["imported"]))
    return edges


def run(corpus_dirs: Sequence[str], only: Sequence[str] = (), java_same_package: bool = True,
        run_output: Optional[str] = None) -> dict[str, Any]:
    start = time.perf_counter()
    repos = read_corpus(corpus_dirs, only)
    from_run = run_output_edges(run_output) if run_output else None
    results: list[dict[str, Any]] = []
    for repo in repos:
        languages = language_of(repo)
        references = compute_references(repo, languages)
        if not references:
            continue
        if from_run is not None:  # the edges table of `repocurate run`, as the user gets it
            ours_all = ours_modelled = from_run.get(repo.name, set())
        else:
            parsed = parse_repository(repo)
            ours_all = resolve_edges(parsed, repo.aux)
            ours_modelled = resolve_edges(parsed, repo.aux, modelled_by_references(
                {g: r for g, (r, _) in references.items()}, languages, workspace_package_names(repo.aux)))
        comparisons = {g: compare(g, r, ours_all, ours_modelled, languages, java_same_package)
                       for g, (r, _) in references.items()}
        groups = {g: {**comparison_metrics(r, comparisons[g]), "seconds": round(seconds, 2)}
                  for g, (r, seconds) in references.items() if comparisons[g].importers or r.failed}
        if not groups:
            continue
        reference_union = set().union(*(c.reference for c in comparisons.values()))
        print(f"{repo.name}: " + ", ".join(
            f"{g} P={v['precision']:.3f} R={v['recall']:.3f}" for g, v in groups.items()), file=sys.stderr)
        results.append({
            "repo": repo.name,
            "kept_files": len(repo.files),
            "groups": groups,
            "ordering": ordering_scores(sorted(languages), ours_all, reference_union),
        })
    return {
        "command": " ".join(sys.argv),
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "seconds": round(time.perf_counter() - start, 1),
        "repositories": results,
        "summary": summarize(results),
    }


def summarize(results: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Micro-averaged precision and recall per language group."""
    summary: dict[str, dict[str, Any]] = {}
    for group in GROUP_LANGUAGES:
        rows = [r["groups"][group] for r in results if group in r["groups"]]
        if not rows:
            continue
        total = {k: sum(row[k] for row in rows) for k in (
            "files", "reference_edges", "our_edges", "shared",
            "reference_edges_to_dropped_files", "our_edges_not_modelled")}
        summary[group] = {
            "repos": len(rows), **total,
            "failed_files": sum(len(row["failed"]) for row in rows),
            "precision": _ratio(total["shared"], total["our_edges"]),
            "recall": _ratio(total["shared"], total["reference_edges"]),
        }
    return summary


def markdown(report: Mapping[str, Any], verbose: bool) -> str:
    """The report as Markdown tables (missed and extra edges listed when ``verbose``)."""
    lines = ["| language | repos | files | reference edges | our edges | shared | precision | recall "
             "| ref. edges to dropped files | our edges not modelled | files the tool failed on |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for group, s in report["summary"].items():
        lines.append(f"| {group} | {s['repos']} | {s['files']} | {s['reference_edges']} | {s['our_edges']} "
                     f"| {s['shared']} | {s['precision']:.3f} | {s['recall']:.3f} "
                     f"| {s['reference_edges_to_dropped_files']} | {s['our_edges_not_modelled']} "
                     f"| {s['failed_files']} |")
    lines += ["", "| repository | language | tool | files | reference | ours | precision | recall |",
              "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in report["repositories"]:
        for group, g in r["groups"].items():
            lines.append(f"| {r['repo']} | {group} | {g['tool']} | {g['files']} | {g['reference_edges']} "
                         f"| {g['our_edges']} | {g['precision']:.3f} | {g['recall']:.3f} |")
    lines += ["", "| repository | files | ref. edges | ref. cycles (files, largest) | Algorithm 1 "
              "| max_satisfied | best achievable | max_satisfied / best | our edges | our cycles "
              "| ours: Algorithm 1 | ours: max_satisfied | ours: best |",
              "|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    for r in report["repositories"]:
        o, ref, ours = r["ordering"], r["ordering"]["reference"], r["ordering"]["ours"]
        lines.append(
            f"| {r['repo']} | {o['files']} | {ref['edges']} | {_cycles(ref)} | {ref['paper']:.3f} "
            f"| {ref['max_satisfied']:.3f} | {ref['best']:.3f}{'' if ref['best_is_optimal'] else ' (bound)'} "
            f"| {_ratio_text(ref['max_satisfied'], ref['best'])} | {ours['edges']} | {_cycles(ours)} "
            f"| {ours['paper']:.3f} | {ours['max_satisfied']:.3f} "
            f"| {ours['best']:.3f}{'' if ours['best_is_optimal'] else ' (bound)'} |")
    if verbose:
        for r in report["repositories"]:
            for group, g in r["groups"].items():
                lines.append(f"\n### {r['repo']} ({group})")
                lines += [f"- failed: {path} — {why}" for path, why in g["failed"]]
                lines += [f"- missed: {a} -> {b}  ({text})" for a, b, text in g["missed"]]
                lines += [f"- extra: {a} -> {b}" for a, b in g["extra"]]
                lines += [f"- not modelled: {a} -> {b}" for a, b in g["not_modelled"]]
    return "\n".join(lines)


def _cycles(scores: Mapping[str, Any]) -> str:
    if not scores["cycles"]:
        return "none"
    return f"{scores['cycles']} ({scores['files_in_cycles']}, {scores['largest_cycle']})"


def _ratio_text(value: float, best: float) -> str:
    return f"{value / best:.3f}" if best else "1.000"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append", required=True, help="folder of repositories")
    parser.add_argument("--repo", action="append", default=[], help="only this repository (repeatable)")
    parser.add_argument("--json", help="write the full report (edges included) here")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra edges")
    parser.add_argument("--run-output", help="score the edges table of this finished `repocurate run` "
                        "over the same corpus instead of recomputing them (no import kinds there: "
                        "nothing is counted as not modelled)")
    parser.add_argument("--java-imports-only", action="store_true",
                        help="leave Java edges within one package out on both sides (before issue 13)")
    args = parser.parse_args(argv)
    report = run(args.corpus, args.repo, not args.java_imports_only, args.run_output)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1, sort_keys=True)
    print(markdown(report, args.verbose))
    print(f"\n{report['seconds']} s on {report['machine']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
