"""Per-file cost of reference extraction (issue 13.1): ``parse_file`` with and without it.

    python benchmarks/bench_references_cost.py --corpus DIR [--corpus DIR ...] [--rounds 5]

Reads every file of a language that has a reference query (:data:`parsers.queries.REFERENCES`)
under the corpus folders and times, back to back in one process and alternating by round,
``parse_file`` as the pipeline runs it and ``parse_file`` with reference extraction switched
off (the reference patterns taken out of the structure query, as before issue 13; the
parse, the import query and the structure statistics stay). Also times
``resolve_repository`` per repository with and without the references. Prints the medians
over rounds and their ratios.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import parsers.imports as imports  # noqa: E402
import parsers.structure as structure  # noqa: E402
from contract.languages import detect_language  # noqa: E402
from parsers.grammars import grammar_key  # noqa: E402
from parsers.queries import REFERENCES  # noqa: E402
from parsers.resolve import RepoFile, resolve_repository  # noqa: E402


def read(corpus_dirs: list[str]) -> dict[str, list[tuple[str, str, bytes]]]:
    repos: dict[str, list[tuple[str, str, bytes]]] = {}
    for corpus in corpus_dirs:
        for name in sorted(os.listdir(corpus)):
            root = os.path.join(corpus, name)
            for folder, _, files in sorted(os.walk(root)):
                for file_name in sorted(files):
                    path = os.path.join(folder, file_name)
                    rel = os.path.relpath(path, root)
                    language = detect_language(rel)
                    if language and grammar_key(language, rel) in REFERENCES:
                        with open(path, "rb") as handle:
                            repos.setdefault(name, []).append((rel, language, handle.read()))
    return repos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    repos = read(args.corpus)
    n_files = sum(len(v) for v in repos.values())
    n_bytes = sum(len(d) for v in repos.values() for _, _, d in v)
    with_refs = imports.has_references
    times: dict[str, list[float]] = {"parse_on": [], "parse_off": [], "resolve_on": [], "resolve_off": []}
    for _ in range(args.rounds):
        for mode in ("on", "off"):
            imports.has_references = with_refs if mode == "on" else (lambda key: False)
            structure.REFERENCES = REFERENCES if mode == "on" else {}
            structure.structure_query.cache_clear()
            start = time.process_time()
            parsed = {name: [RepoFile(p, lang, imports.parse_file(lang, data, p)) for p, lang, data in files]
                      for name, files in repos.items()}
            times[f"parse_{mode}"].append(time.process_time() - start)
            start = time.process_time()
            for files in parsed.values():
                resolve_repository(files, {})
            times[f"resolve_{mode}"].append(time.process_time() - start)
    imports.has_references, structure.REFERENCES = with_refs, REFERENCES
    structure.structure_query.cache_clear()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{len(repos)} repositories, {n_files} files, {n_bytes / 1e6:.1f} MB, {args.rounds} rounds (CPU s, median)")
    print("| step | without references | with references | ratio | µs per file added |")
    print("|---|---:|---:|---:|---:|")
    for step in ("parse", "resolve"):
        off, on = med[f"{step}_off"], med[f"{step}_on"]
        print(f"| {step} | {off:.2f} | {on:.2f} | {on / off:.3f} | {(on - off) / n_files * 1e6:.0f} |")
    total_off, total_on = med["parse_off"] + med["resolve_off"], med["parse_on"] + med["resolve_on"]
    print(f"| parse + resolve | {total_off:.2f} | {total_on:.2f} | {total_on / total_off:.3f} "
          f"| {(total_on - total_off) / n_files * 1e6:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
