"""The C/C++ syntax check on real projects: false positives on every file, recall on
breakage planted into those files [issue 13 item 2].

    python benchmarks/bench_c_syntax.py --corpus /work/corpus/deb-jansson ... [--seed 13]
        [--json out.json]

Each ``--corpus`` folder is one repository, read as the pipeline reads it (crawl decode,
default file filters, exact dedup on sha256, first path wins); every C, C++ and CUDA file
is checked by :class:`filters.syntax.CSyntaxFilter`.

* **False positives**: released sources of Debian packages are valid code, so every file
  flagged is a false positive; the list is printed for inspection.
* **Recall**: from each file, one broken copy per kind: ``truncate`` (cut at a random byte
  inside a random function body), ``brace`` (a ``}`` deleted), ``semicolon`` (a ``;``
  deleted) and ``paren`` (a ``(`` or ``)`` deleted). The deleted tokens are drawn from
  tree-sitter's parse of the original (anonymous ``}``/``;``/``(``/``)`` nodes outside
  ERROR nodes, functions with a body over 20 bytes), a tool independent of the checker's
  lexer, so comments, strings and most directives are never hit; tokens inside ``#if``
  branches and the few macro bodies tree-sitter parses are kept, as they are code too.
* **Compiler ground truth** (``--gcc N``): for up to N files (a seeded sample) that
  ``gcc``/``g++ -fsyntax-only`` compiles as they are (include paths: the file's folder and
  the repository's root, ``include/`` and ``src/``), each broken copy is compiled too, and
  recall is given over the copies the compiler rejects: a deleted ``;`` after a C++ member
  function body or a redundant one leaves valid code, which no checker should flag.
* **Throughput** of the check alone (MB/s of C/C++ content on one core, CPU time).
"""
from __future__ import annotations

import argparse
import collections
import json
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from filters.base import first_rejection  # noqa: E402
from filters.file_filters import default_file_filters  # noqa: E402
from filters.syntax import CSyntaxFilter  # noqa: E402
from parsers.grammars import grammar_key, parser_for  # noqa: E402
from pipeline.limits import CrawlLimits  # noqa: E402
from pipeline.sources.decode import RepoInfo, decode_entry  # noqa: E402
from pipeline.sources.folder import iter_folder  # noqa: E402

LANGUAGES = ("c", "cpp", "cuda")
KINDS = ("truncate", "brace", "semicolon", "paren")


def load_records(corpora: Sequence[str]) -> list[dict[str, Any]]:
    """C/C++ records of the repositories that pass the file filters, exact duplicates removed."""
    file_filters = default_file_filters()
    records, seen = [], set()
    for corpus in corpora:
        name = Path(corpus).name
        for entry in iter_folder(corpus, CrawlLimits()):
            record, _ = decode_entry(RepoInfo(name, f"folder:{corpus}"), entry)
            if (record is None or record["language"] not in LANGUAGES or record["sha256"] in seen
                    or first_rejection(record, file_filters)):
                continue
            seen.add(record["sha256"])
            records.append(record)
    return records


def code_tokens(data: bytes, key: str) -> tuple[dict[str, list[int]], list[tuple[int, int]]]:
    """Byte offsets of tree-sitter's ``}``, ``;``, ``(``, ``)`` leaves outside ERROR nodes,
    and the (start, end) of function bodies."""
    tokens: dict[str, list[int]] = collections.defaultdict(list)
    bodies: list[tuple[int, int]] = []
    stack = [parser_for(key).parse(data).root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR":
            continue
        if node.type == "function_definition":
            body = node.child_by_field_name("body")
            if body is not None and body.end_byte - body.start_byte > 20:
                bodies.append((body.start_byte, body.end_byte))
        if node.child_count == 0 and node.type in ("}", ";", "(", ")") and not node.is_missing:
            tokens[node.type].append(node.start_byte)
        stack.extend(node.children)
    for offsets in tokens.values():
        offsets.sort()
    return tokens, sorted(bodies)


def mutations(record: dict[str, Any], rng: random.Random) -> Iterator[tuple[str, str]]:
    """``(kind, broken content)`` for each kind the file has a site for."""
    data = record["content"].encode("utf-8", "surrogatepass")
    tokens, bodies = code_tokens(data, grammar_key(record["language"], record["path"]))
    if bodies:
        start, end = rng.choice(bodies)
        yield "truncate", data[: rng.randrange(start + 1, end - 1)]
    for kind, sites in (("brace", tokens["}"]), ("semicolon", tokens[";"]),
                        ("paren", tokens["("] + tokens[")"])):
        if sites:
            at = rng.choice(sites)
            yield kind, data[:at] + data[at + 1:]


def compiles(record: dict[str, Any], content: bytes | str, corpora: dict[str, str]) -> bool | None:
    """Whether ``gcc``/``g++ -fsyntax-only`` accepts ``content`` in place of the record's file
    (``None`` when the compiler is missing or times out)."""
    repo = Path(corpora[record["repo_name"]])
    source = repo / record["path"]
    suffix = source.suffix or ".c"
    cpp = record["language"] != "c" or suffix in (".cc", ".cpp", ".cxx", ".hpp", ".hh")
    command = ["g++", "-std=c++17", "-x", "c++"] if cpp else ["gcc", "-std=gnu11", "-x", "c"]
    includes = [f"-I{source.parent}", f"-I{repo}", f"-I{repo / 'include'}", f"-I{repo / 'src'}"]
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=tempfile.gettempdir()) as handle:
        handle.write(data)
        handle.flush()
        try:
            result = subprocess.run([*command, "-fsyntax-only", "-w", *includes, handle.name],
                                    capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None
    return result.returncode == 0


def as_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) else data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", required=True, help="repository folder (repeatable)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--gcc", type=int, default=0, metavar="N",
                        help="also measure recall on compiler-confirmed breakage of up to N files")
    parser.add_argument("--json", help="also write the numbers here")
    args = parser.parse_args(argv)

    rule = CSyntaxFilter()
    records = load_records(args.corpus)
    per_repo = collections.Counter(r["repo_name"] for r in records)
    flagged, seconds = [], 0.0
    for record in records:
        start = time.process_time()
        verdict = rule.check(record)
        seconds += time.process_time() - start
        if verdict is not None:
            flagged.append((record, verdict))
    megabytes = sum(len(r["content"].encode("utf-8", "surrogatepass")) for r in records) / 1e6
    flagged_repo = collections.Counter(r["repo_name"] for r, _ in flagged)

    rng = random.Random(args.seed)
    caught, planted = collections.Counter(), collections.Counter()
    caught_by = collections.Counter()
    missed = collections.defaultdict(list)
    for record in records:
        for kind, broken in mutations(record, rng):
            planted[kind] += 1
            verdict = rule.check({**record, "content": as_text(broken)})
            if verdict is not None:
                caught[kind] += 1
                caught_by[kind, verdict.reason] += 1
            else:
                missed[kind].append(f"{record['repo_name']}/{record['path']}")

    print(f"{len(records)} C/C++ files, {megabytes:.1f} MB, {len(per_repo)} repositories; "
          f"Python {platform.python_version()}, {platform.machine()}")
    print("\n| repository | files | flagged |\n|---|---:|---:|")
    for repo in sorted(per_repo):
        print(f"| {repo} | {per_repo[repo]} | {flagged_repo[repo]} |")
    print(f"| **all** | **{len(records)}** | **{len(flagged)} ({100 * len(flagged) / len(records):.2f} %)** |")
    print(f"\nCheck throughput: {megabytes / seconds:.2f} MB/s (CPU time, one core)\n")
    for record, verdict in flagged:
        print(f"- flagged {record['repo_name']}/{record['path']}: `{verdict.reason}` {verdict.detail}")
    print("\n| planted breakage | files | caught | recall |\n|---|---:|---:|---:|")
    for kind in KINDS:
        print(f"| {kind} | {planted[kind]} | {caught[kind]} | {caught[kind] / max(planted[kind], 1):.3f} |")
    total_caught, total = sum(caught.values()), sum(planted.values())
    print(f"| **all** | **{total}** | **{total_caught}** | **{total_caught / total:.3f}** |")
    print("\nCaught by reason:", ", ".join(f"{kind} {reason} {n}" for (kind, reason), n in sorted(caught_by.items())))
    for kind in KINDS:
        print(f"Missed {kind} (first 10): {missed[kind][:10]}")
    gcc_summary = None
    if args.gcc:
        corpora = {Path(c).name: c for c in args.corpus}
        sample = random.Random(args.seed).sample(records, min(args.gcc, len(records)))
        compiled = 0
        confirmed, confirmed_caught = collections.Counter(), collections.Counter()
        not_broken = collections.Counter()
        gcc_rng = random.Random(args.seed + 1)
        for record in sample:
            if not compiles(record, record["content"], corpora):
                continue
            compiled += 1
            for kind, broken in mutations(record, gcc_rng):
                verdict = rule.check({**record, "content": as_text(broken)})
                result = compiles(record, broken, corpora)
                if result is None:
                    continue
                if result:
                    not_broken[kind] += 1
                    continue
                confirmed[kind] += 1
                confirmed_caught[kind] += verdict is not None
        print(f"\nCompiler ground truth: {compiled} of {len(sample)} sampled files compile alone "
              "(gcc/g++ -fsyntax-only)\n")
        print("| planted breakage | broken copies gcc rejects | caught | recall | copies gcc accepts |")
        print("|---|---:|---:|---:|---:|")
        for kind in KINDS:
            print(f"| {kind} | {confirmed[kind]} | {confirmed_caught[kind]} | "
                  f"{confirmed_caught[kind] / max(confirmed[kind], 1):.3f} | {not_broken[kind]} |")
        n, c = sum(confirmed.values()), sum(confirmed_caught.values())
        print(f"| **all** | **{n}** | **{c}** | **{c / max(n, 1):.3f}** | **{sum(not_broken.values())}** |")
        gcc_summary = {"compiled": compiled, "sampled": len(sample), "confirmed": dict(confirmed),
                       "caught": dict(confirmed_caught), "accepted": dict(not_broken)}
    if args.json:
        Path(args.json).write_text(json.dumps({
            "gcc": gcc_summary,
            "files": len(records), "megabytes": megabytes, "flagged": len(flagged),
            "flagged_paths": [f"{r['repo_name']}/{r['path']}: {v.reason} {v.detail}" for r, v in flagged],
            "per_repository": {repo: [per_repo[repo], flagged_repo[repo]] for repo in sorted(per_repo)},
            "mb_per_s": megabytes / seconds, "planted": dict(planted), "caught": dict(caught),
        }, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
