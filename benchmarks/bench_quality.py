"""Syntax and readability filters on real repositories: removal per rule and throughput.

    python benchmarks/bench_quality.py --corpus /work/corpus [--examples 5] [--no-write]
        [--python-survey DIR ...]

Every repository folder under ``--corpus`` is read as the pipeline reads it (crawl decode,
default file filters, exact dedup on sha256, first path wins), each file parsed once with
:func:`parsers.imports.parse_file`, and its quality record built with
:func:`filters.quality.parse_stats`. Then:

* each rule of :func:`filters.quality.default_quality_filters` alone over every record: files
  and bytes it would remove, per language, and a few of the removed paths to spot-check;
* the chain as the stage runs it (first rejecting rule wins): removals by reason and
  throughput in MB/s on one core (content bytes over the chain's time, parse excluded, as
  the parse belongs to the ordering stage); parse and structure-statistics time are given
  beside it;
* ``--python-survey``: ``compile()`` over every ``.py`` file under the given folders
  (e.g. the stdlib), counting what :class:`filters.syntax.PythonCompileFilter` would drop.

Prints the tables and, unless ``--no-write``, replaces the ``### Syntax and readability``
part of the ``## Quality filters (issue 5)`` section of ``benchmarks/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import collections
import platform
import sys
import time
import typing
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from filters.base import FileFilter, first_rejection  # noqa: E402
from filters.file_filters import default_file_filters  # noqa: E402
from filters.quality import default_quality_filters, parse_stats  # noqa: E402
from filters.syntax import python_compile_error  # noqa: E402
from parsers.grammars import SUPPORTED_LANGUAGES, grammar_key, parser_for  # noqa: E402
from parsers.imports import parse_file  # noqa: E402
from parsers.structure import structure_stats  # noqa: E402
from pipeline.limits import CrawlLimits  # noqa: E402
from pipeline.sources.decode import RepoInfo, decode_entry  # noqa: E402
from pipeline.sources.folder import find_repositories, iter_folder  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Quality filters (issue 5)"
SUBSECTION = "### Syntax and readability"


def load_records(corpus: str) -> tuple[list[dict[str, Any]], float]:
    """Quality records of the corpus files that pass the file filters, exact duplicates
    removed, and the seconds spent in :func:`parse_file`."""
    file_filters = default_file_filters()
    records, seen, parse_seconds = [], set(), 0.0
    for repo_name, path in find_repositories(corpus):
        for entry in iter_folder(path, CrawlLimits()):
            record, _ = decode_entry(RepoInfo(repo_name, f"folder:{path}"), entry)
            if record is None or record["sha256"] in seen or first_rejection(record, file_filters):
                continue
            seen.add(record["sha256"])
            parsed = None
            if record["language"] in SUPPORTED_LANGUAGES:
                start = time.perf_counter()
                parsed = parse_file(record["language"], record["content"], record["path"])
                parse_seconds += time.perf_counter() - start
            records.append({**record, **parse_stats(parsed)})
    return records, parse_seconds


def structure_overhead(records: Sequence[dict[str, Any]]) -> tuple[float, float]:
    """Seconds of tree-sitter parsing alone and of :func:`structure_stats` on those trees."""
    parse_seconds = stats_seconds = 0.0
    for record in records:
        key = grammar_key(record["language"], record["path"])
        if record["parse_errors"] < 0 or key is None:
            continue
        data = record["content"].encode("utf-8", "surrogatepass")
        start = time.perf_counter()
        root = parser_for(key).parse(data).root_node
        middle = time.perf_counter()
        structure_stats(root, key, data)
        parse_seconds += middle - start
        stats_seconds += time.perf_counter() - middle
    return parse_seconds, stats_seconds


def typing_py_overhead(repeats: int = 20) -> tuple[int, float, float]:
    """(bytes, ms per parse_file, ms per structure_stats) on the stdlib's typing.py."""
    data = Path(typing.__file__).read_bytes()
    root = parser_for("python").parse(data).root_node
    start = time.perf_counter()
    for _ in range(repeats):
        parse_file("python", data, "typing.py")
    middle = time.perf_counter()
    for _ in range(repeats):
        structure_stats(root, "python", data)
    end = time.perf_counter()
    return len(data), (middle - start) / repeats * 1e3, (end - middle) / repeats * 1e3


def run_rule(rule: FileFilter, records: Sequence[dict[str, Any]]):
    start = time.perf_counter()
    verdicts = [rule.check(record) for record in records]
    return verdicts, time.perf_counter() - start


def per_rule_table(records, rules, examples: int) -> tuple[list[str], list[str]]:
    """Markdown rows (rule, removed files/bytes, per language, seconds) and spot-check lines."""
    total_bytes = sum(r["size"] for r in records)
    rows, spot = [], []
    for rule in rules:
        verdicts, seconds = run_rule(rule, records)
        removed = [(r, v) for r, v in zip(records, verdicts) if v is not None]
        n_bytes = sum(r["size"] for r, _ in removed)
        by_language = collections.Counter(r["language"] for r, _ in removed)
        languages = ", ".join(f"{lang} {n}" for lang, n in sorted(by_language.items(), key=lambda x: (-x[1], x[0])))
        rows.append(f"| `{rule.name}` | {len(removed)} | {100 * len(removed) / len(records):.2f} % "
                    f"| {100 * n_bytes / total_bytes:.2f} % | {languages or '-'} | {seconds * 1e3:.0f} |")
        for record, verdict in removed[:examples]:
            spot.append(f"- `{rule.name}`: {record['repo_name']}/{record['path']} — `{verdict.reason}` {verdict.detail[:90]}")
    return rows, spot


def chain_table(records, rules) -> tuple[list[str], float, int]:
    """Removals by reason of the whole chain, its seconds and the files it removed."""
    reasons: collections.Counter[str] = collections.Counter()
    reason_bytes: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    for record in records:
        verdict = first_rejection(record, rules)
        if verdict is not None:
            reasons[verdict.reason] += 1
            reason_bytes[verdict.reason] += record["size"]
    seconds = time.perf_counter() - start
    total_bytes = sum(r["size"] for r in records)
    rows = [f"| `{reason}` | {n} | {100 * reason_bytes[reason] / total_bytes:.2f} % |"
            for reason, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))]
    return rows, seconds, sum(reasons.values())


def python_survey(folders: Sequence[str]) -> list[str]:
    """Markdown lines: files under ``folders`` that Python cannot compile, and compile speed."""
    paths = sorted(p for folder in folders for p in Path(folder).rglob("*.py") if p.is_file())
    failures, n_files, n_bytes, seconds = [], 0, 0, 0.0
    for path in paths:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        n_files += 1
        n_bytes += len(source)
        start = time.perf_counter()
        error = python_compile_error(source, str(path))
        seconds += time.perf_counter() - start
        if error:
            failures.append(f"  - `{path}`: {error[:100]}")
    head = (f"`compile()` survey of {', '.join(f'`{f}`' for f in folders)}: {n_files} files, "
            f"{len(failures)} fail ({n_bytes / 1e6 / seconds:.1f} MB/s):")
    return [head, *failures]


def replace_subsection(text: str, body: str) -> str:
    """``text`` with :data:`SUBSECTION` of :data:`SECTION` set to ``body`` (both added at the
    end when missing); other sub-sections are left as they are."""
    lines = text.splitlines()
    if SECTION not in lines:
        lines += ["", SECTION] if lines else [SECTION]
    section_at = lines.index(SECTION)
    section_end = next((i for i in range(section_at + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    if SUBSECTION in lines[section_at:section_end]:
        start = lines.index(SUBSECTION, section_at)
        end = next((i for i in range(start + 1, section_end) if lines[i].startswith(("### ", "## "))), section_end)
    else:
        start = end = section_end
    new = [SUBSECTION, "", *body.strip("\n").splitlines(), ""]
    return "\n".join([*lines[:start], *new, *lines[end:]]).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="/work/corpus", help="folder of repository folders")
    parser.add_argument("--examples", type=int, default=5, help="removed paths listed per rule")
    parser.add_argument("--python-survey", nargs="*", default=[], metavar="DIR",
                        help="also compile every .py under these folders")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)

    records, parse_seconds = load_records(args.corpus)
    rules = default_quality_filters()
    total_bytes = sum(r["size"] for r in records)
    languages = collections.Counter(r["language"] for r in records)
    parsed = [r for r in records if r["parse_errors"] >= 0]
    rule_rows, spot = per_rule_table(records, rules, args.examples)
    chain_rows, chain_seconds, removed = chain_table(records, rules)
    ts_parse, ts_stats = structure_overhead(parsed)
    typing_bytes, typing_parse_ms, typing_stats_ms = typing_py_overhead()
    parsed_mb = sum(r["size"] for r in parsed) / 1e6

    body = "\n".join([
        f"Corpus `{args.corpus}`: {len(records)} files, {total_bytes / 1e6:.1f} MB after the file "
        f"filters and exact dedup ({', '.join(f'{k} {v}' for k, v in languages.most_common(8))}, ...); "
        f"{len(parsed)} files have a tree-sitter grammar. One core of a shared 2-core machine, "
        f"Python {platform.python_version()}. Reproduce: `python benchmarks/bench_quality.py --corpus {args.corpus}`.",
        "",
        "Each rule alone (a file may be removed by several):",
        "",
        "| rule | files removed | files | bytes | by language | ms |",
        "|---|---:|---:|---:|---|---:|",
        *rule_rows,
        "",
        f"Whole chain, first rejecting rule wins: {removed} files removed "
        f"({100 * removed / len(records):.2f} %); "
        f"**{total_bytes / 1e6 / chain_seconds:.1f} MB/s per core** for syntax + readability "
        f"(parse excluded: it is the ordering stage's).",
        "",
        "| reason | files | bytes |",
        "|---|---:|---:|",
        *chain_rows,
        "",
        f"Parse cost, for scale: `parse_file` (imports + errors + structure) "
        f"{parsed_mb / parse_seconds:.1f} MB/s; of that, tree-sitter parsing alone "
        f"{parsed_mb / ts_parse:.1f} MB/s and `structure_stats` {parsed_mb / ts_stats:.1f} MB/s "
        f"({100 * ts_stats / ts_parse:.0f} % on top of the parse). On typing.py "
        f"({typing_bytes // 1000} kB): `parse_file` {typing_parse_ms:.1f} ms, of which "
        f"`structure_stats` {typing_stats_ms:.1f} ms.",
        "",
        "Spot-check (first removed files per rule):",
        "",
        *spot,
        *(["", *python_survey(args.python_survey)] if args.python_survey else []),
    ])
    print(body)
    if not args.no_write:
        existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
        RESULTS.write_text(replace_subsection(existing, body), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
