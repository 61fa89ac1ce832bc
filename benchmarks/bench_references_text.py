"""Same-package/namespace edges for Kotlin, C#, PHP and Ruby against a text scan (issue 13.1).

    python benchmarks/bench_references_text.py --corpus DIR --language kotlin [--sample 25] [--seed 13]

No compiler for these languages runs here (no kotlinc, dotnet, php or ruby), so the
reference is a text scan written apart from the tree-sitter code, plus a hand check of
samples of where the two disagree:

* declarations by regular expression: the file's package/namespace line, and the names
  it declares (Kotlin top-level ``class|interface|object|typealias|fun|val|var`` at column
  0; C# ``class|struct|interface|enum|record`` anywhere; PHP ``class|interface|trait|enum``;
  Ruby: Zeitwerk's file name -> constant, ``lib/a/b_c.rb`` -> ``BC`` in namespace ``A``);
* a text edge ``F -> G`` when ``F`` and ``G`` share a package/namespace (Ruby: both under
  ``lib/``) and a name ``G`` declares occurs as a whole word in ``F`` outside comments and
  string literals (removed by regular expression). It over-approximates on purpose: a
  method or property named like a class counts.

The pipeline's edges are computed as :mod:`bench_imports` computes them (crawl, file
filters, exact dedup, ``parse_file`` + ``resolve_repository``), restricted to the same
pairs (same package/namespace; Ruby: importer anywhere, imported under ``lib/``). Printed:
agreement counts, then ``--sample`` seeded samples of edges only we have, edges only the
text scan has and edges both have, each with the lines of ``F`` that name ``G``'s
declarations, for the hand check recorded in ``benchmarks/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import posixpath
import random
import re
import sys
from pathlib import Path
from typing import Mapping

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_imports import parse_repository, read_corpus  # noqa: E402
from parsers.resolve import RepoFile, resolve_repository  # noqa: E402

_C_COMMENTS = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)
_HASH_COMMENTS = re.compile(r'#[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_PHP_COMMENTS = re.compile(r'//[^\n]*|#(?!\[)[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)

SPECS = {
    "kotlin": (re.compile(r"^package\s+([\w.]+)", re.M),
               re.compile(r"^(?:(?:public|internal|private|data|sealed|abstract|open|enum|annotation|"
                          r"inline|value|fun|const|inner|expect|actual|@\w+)\s+)*"
                          r"(?:class|interface|object|typealias|fun|val|var)\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?(\w+)",
                          re.M), _C_COMMENTS, (".kt", ".kts")),
    "c-sharp": (re.compile(r"^\s*namespace\s+([\w.]+)", re.M),
                re.compile(r"\b(?:class|struct|interface|enum|record)\s+(\w+)"), _C_COMMENTS, (".cs",)),
    "php": (re.compile(r"^\s*namespace\s+([\w\\]+)\s*[;{]", re.M),
            re.compile(r"^\s*(?:(?:abstract|final|readonly)\s+)*(?:class|interface|trait|enum)\s+(\w+)", re.M),
            _PHP_COMMENTS, (".php",)),
    "ruby": (None, None, _HASH_COMMENTS, (".rb",)),
}


def _camelize(segment: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in segment.split("_"))


def text_edges(language: str, sources: Mapping[str, str]) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """Text-scan edges and each file's code with comments and strings removed."""
    package_re, declare_re, comments, _ = SPECS[language]
    code = {p: comments.sub(" ", s) for p, s in sources.items()}
    group: dict[str, str] = {}
    declared: dict[str, set[str]] = {}
    for path, text in sources.items():
        if language == "ruby":
            if "/lib/" not in "/" + path:
                group[path] = ""
                continue
            group[path] = "lib"
        else:
            match = package_re.search(code[path])
            group[path] = match.group(1) if match else ""
        declared[path] = declared_names(language, path, code[path])
    by_group: dict[str, list[str]] = {}
    for path in declared:
        by_group.setdefault(group[path], []).append(path)
    edges = set()
    for path, text in code.items():
        words = set(re.findall(r"[A-Za-z_]\w*", text))
        candidates = by_group.get("lib", []) if language == "ruby" else by_group.get(group[path], [])
        for other in candidates:
            if other != path and (declared[other] - declared.get(path, set())) & words:
                edges.add((path, other))
    return edges, code


def declared_names(language: str, path: str, code: str) -> set[str]:
    if language == "ruby":
        return {_camelize(posixpath.basename(path)[:-3])}
    return set(SPECS[language][1].findall(code))


def in_scope(language: str, pair: tuple[str, str], groups: Mapping[str, str]) -> bool:
    if language == "ruby":
        return "/lib/" in "/" + pair[1]
    return groups.get(pair[0]) == groups.get(pair[1]) and groups.get(pair[0]) is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append", required=True)
    parser.add_argument("--language", required=True, choices=sorted(SPECS))
    parser.add_argument("--sample", type=int, default=25)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    _, _, _, extensions = SPECS[args.language]
    totals = {"ours": 0, "text": 0, "shared": 0}
    only_ours, only_text, shared = [], [], []
    for repo in read_corpus(args.corpus):
        sources = {r["path"]: r["content"] for r in repo.files
                   if r["language"] == args.language and r["path"].endswith(extensions)}
        if not sources:
            continue
        parsed = parse_repository(repo)
        files = [RepoFile(p, x.language, x) for p, x in sorted(parsed.items())]
        edges, _, _ = resolve_repository(files, repo.aux)
        ref, code = text_edges(args.language, sources)
        package_re = SPECS[args.language][0]
        groups = {p: (m.group(1) if (m := package_re.search(code[p])) else "") if package_re else ""
                  for p in sources}
        ours = {(e.importer, e.imported) for e in edges
                if e.importer in sources and e.imported in sources and in_scope(args.language, (e.importer, e.imported), groups)}
        ref = {pair for pair in ref if in_scope(args.language, pair, groups)}
        totals["ours"] += len(ours)
        totals["text"] += len(ref)
        totals["shared"] += len(ours & ref)
        only_ours += [(repo.name, a, b, code) for a, b in sorted(ours - ref)]
        only_text += [(repo.name, a, b, code) for a, b in sorted(ref - ours)]
        shared += [(repo.name, a, b, code) for a, b in sorted(ours & ref)]
        print(f"{repo.name}: {len(sources)} files, ours {len(ours)}, text {len(ref)}, shared {len(ours & ref)}")
    print(f"total: ours {totals['ours']}, text {totals['text']}, shared {totals['shared']}, "
          f"only ours {len(only_ours)}, only text {len(only_text)}")
    for label, pairs in (("only ours", only_ours), ("only text", only_text), ("both", shared)):
        print(f"\n## sample of {label} ({min(args.sample, len(pairs))} of {len(pairs)})")
        for name, a, b, code in rng.sample(pairs, min(args.sample, len(pairs))):
            print(f"- {name}: {a} -> {b}")
            names = declared_names(args.language, b, code[b]) - declared_names(args.language, a, code[a])
            shown = 0
            for number, line in enumerate(code[a].splitlines(), 1):
                if shown < 2 and any(re.search(rf"\b{re.escape(n)}\b", line) for n in names):
                    print(f"    {number}: {line.strip()[:140]}")
                    shown += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
