"""License detection (issue 14) on real repositories, against ScanCode and the packages' own declarations.

    nice python benchmarks/bench_licenses.py --corpus /work/corpus /work/data-license/corpus \
        --scancode-python VENV/bin/python [--scancode-files-cache FILE.json] \
        [--scancode-whole DIR [--run-whole]] \
        [--e2e --e2e-reps 2] [--json benchmarks/bench_licenses.json]

Corpus: every sub-folder of each ``--corpus`` folder is one repository (PyPI sdists, npm
tarballs, Debian sources, crates from Debian's librust-*-dev packages; fetched by
``benchmarks/fetch_license_corpus.sh`` and ``../shared/tools/fetch_corpus.sh``). Each is
crawled with the pipeline's own crawl (:func:`pipeline.sources.crawl.crawl_batches`) and
its license detected with :func:`filters.licenses.detect_repository`, exactly as the
``licenses`` stage does. Three comparisons:

* **per file**: each license-bearing file the detector reads (license texts, README license
  sections, package manifests, ``debian/copyright``) against ScanCode's detections in the
  same file (``scancode_reference.py files``, ScanCode 32.5 in its own venv);
* **per repository, ScanCode on the whole repository**: ``scancode --license --summary
  --classify`` over every file of the repository (cached as ``DIR/<repo>.json``;
  ``--run-whole`` runs the missing ones, minutes per repository), compared with its summary's
  declared expression, and with every expression it found anywhere (is each license we
  report one ScanCode found somewhere in the repository?);
* **per repository, the declared license**: PyPI ``PKG-INFO`` (License-Expression, else
  License, else the trove classifiers), npm ``package.json`` ``license``, Cargo.toml
  ``license``, Debian ``debian/copyright``'s ``Files: *`` paragraph.

Agreement levels: ``equivalent`` (same SPDX expression up to order), ``same licenses`` (same
set of ids, structure aside), ``same families`` (``GPL-3.0-only`` = ``GPL-3.0-or-later``),
``differ``. ``--e2e`` times ``repocurate run`` on the whole corpus with the stage off
(``licenses.enabled: false``) and on, alternating, each run its own process.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from filters.licenses import (  # noqa: E402
    _licensing, debian_name, detect_debian_copyright, detect_metadata, detect_readme, detect_repository,
    detect_text, expression_from_declared, family, join, license_keys, source_kind,
)
from pipeline.config import CrawlConfig  # noqa: E402
from pipeline.sources.crawl import FILES, crawl_batches  # noqa: E402
from pipeline.sources.plan import RepoTask  # noqa: E402

LEVELS = ("equivalent", "same licenses", "same families", "differ", "both none", "only ours", "only reference")


def repositories(corpora: list[str]) -> list[tuple[str, str]]:
    out = []
    for corpus in corpora:
        for name in sorted(os.listdir(corpus)):
            path = os.path.join(corpus, name)
            if os.path.isdir(path):
                out.append((name, path))
    return out


def crawl(name: str, path: str):
    for tag, batch in crawl_batches(RepoTask("folder", path, name), CrawlConfig()):
        if tag == FILES:
            return batch
    return {"repo_name": name, "files": [], "aux": []}


def per_file_expression(path: str, text: str) -> str:
    kind = source_kind(path)
    if kind == "metadata":
        return detect_metadata(path, text)
    if kind == "debian":
        return detect_debian_copyright(text)
    if kind == "readme":
        return detect_readme(text)
    return detect_text(text)


def _keys(expression: str) -> set[str]:
    try:
        return set(license_keys(expression))
    except Exception:
        return {expression}


def resolve_vague(declared: str, ours: str) -> str:  # noqa: D401
    """A vague declaration (a ``BSD License`` classifier) counts as the variant our texts found
    when they found one of its family, else as the family's default (``filters.licenses.VAGUE``)."""
    from filters.licenses import _resolve_vague
    return _resolve_vague(declared, sorted(_keys(ours))) if declared and "LicenseRef-vague" in declared else declared


UNKNOWN_REF = "LicenseRef-scancode-unknown-license-reference"


def without_unknown_reference(expression: str) -> str:
    """ScanCode's expression less its ``unknown-license-reference`` (a mention such as
    ``license-files = ["LICENSE"]`` or "see LICENSE", not a license)."""
    text = re.sub(rf"\s*\bAND\s+{UNKNOWN_REF}\b|\b{UNKNOWN_REF}\s+AND\s*", "", expression)
    text = "" if text.strip() == UNKNOWN_REF else text
    return join([text]) if text else ""


def agreement(ours: str, reference: str) -> str:
    if not ours and not reference:
        return "both none"
    if not reference:
        return "only ours"
    if not ours:
        return "only reference"
    try:
        if _licensing().is_equivalent(ours, reference):
            return "equivalent"
    except Exception:
        pass
    a, b = _keys(ours), _keys(reference)
    if a == b:
        return "same licenses"
    if {family(k) for k in a} == {family(k) for k in b}:
        return "same families"
    return "differ"


def declared_license(name: str, root: str) -> str:
    """The package's own declaration (see the module docstring), as an SPDX expression."""
    def read(rel):
        p = os.path.join(root, rel)
        return open(p, encoding="utf-8", errors="replace").read() if os.path.isfile(p) else None

    if name.startswith("pypi-") and read("PKG-INFO"):
        return detect_metadata("PKG-INFO", read("PKG-INFO"))
    if name.startswith("npm-") and read("package.json"):
        value = json.loads(read("package.json")).get("license")
        return expression_from_declared(value) or "" if isinstance(value, str) else ""
    if name.startswith("crate-") and read("Cargo.toml"):
        return detect_metadata("Cargo.toml", read("Cargo.toml"))
    text = read("debian/copyright")
    if name.startswith("deb-") and text:
        for paragraph in re.split(r"\n\s*\n", text):
            if re.search(r"^Files:\s*\*\s*$", paragraph, re.MULTILINE):
                m = re.search(r"^License:[ \t]*(.+)$", paragraph, re.MULTILINE)
                if m:
                    return join([debian_name(p) or "" for p in re.split(r"\s+and\s+", m.group(1))])
    return ""


def table(title: str, counts: dict[str, int], total: int) -> str:
    rows = [f"{title}: {total}"] + [f"  {level:15s} {counts.get(level, 0):4d}" for level in LEVELS if counts.get(level)]
    return "\n".join(rows)


def run_scancode_files(python: str, paths: list[str], cache: str = "") -> dict[str, list[str]]:
    """ScanCode's expressions per file; ``cache``: a JSON file of earlier results, reused per path."""
    done = json.load(open(cache)) if cache and os.path.exists(cache) else {}
    missing = [p for p in paths if p not in done]
    if missing:
        done.update(_scancode_files(python, missing))
        if cache:
            json.dump(done, open(cache, "w"), indent=1, sort_keys=True)
    return done


def _scancode_files(python: str, paths: list[str]) -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        listing, out = os.path.join(tmp, "list.json"), os.path.join(tmp, "out.json")
        json.dump(paths, open(listing, "w"))
        subprocess.run([python, str(ROOT / "benchmarks" / "scancode_reference.py"), "files", listing, out], check=True)
        return json.load(open(out))


def run_scancode_whole(python: str, repos: list[tuple[str, str]], directory: str, run_missing: bool) -> dict:
    os.makedirs(directory, exist_ok=True)
    if run_missing:
        cli = os.path.join(os.path.dirname(python), "scancode")
        for name, path in repos:
            out = os.path.join(directory, f"{name}.json")
            if not os.path.exists(out):
                subprocess.run([cli, "--license", "--summary", "--classify", "--timeout", "30", "-n", "2",
                                "--quiet", "--json", out, path], check=False, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "summaries.json")
        subprocess.run([python, str(ROOT / "benchmarks" / "scancode_reference.py"), "summaries", directory, out], check=True)
        return json.load(open(out))


def e2e(corpora: list[str], reps: int) -> dict:
    """Wall and CPU seconds of ``repocurate run`` with the licenses stage off and on, alternating."""
    results: dict[str, list] = {"off": [], "on": []}
    with tempfile.TemporaryDirectory() as tmp:
        off = os.path.join(tmp, "off.yaml")
        open(off, "w").write("licenses:\n  enabled: false\n")
        for rep in range(reps):
            for arm in ("off", "on"):
                cmd = [sys.executable, "-m", "pipeline.cli", "run", "--quiet", "--output", os.path.join(tmp, arm),
                       "--input", *corpora] + (["--config", off] if arm == "off" else [])
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(cmd, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL)
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                results[arm].append({"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)})
                print(f"e2e rep {rep} {arm}: wall {wall:.1f} s, cpu {cpu:.1f} s", flush=True)
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", nargs="+", required=True)
    ap.add_argument("--scancode-python", help="python of the venv where scancode-toolkit is installed")
    ap.add_argument("--scancode-files-cache", default="", help="JSON file caching ScanCode's per-file results")
    ap.add_argument("--scancode-whole", help="folder of whole-repository ScanCode JSON results (<repo>.json)")
    ap.add_argument("--run-whole", action="store_true", help="run ScanCode on repositories missing from --scancode-whole")
    ap.add_argument("--e2e", action="store_true")
    ap.add_argument("--e2e-reps", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    repos = repositories(args.corpus)
    report: dict = {"repositories": {}}
    per_file: dict[str, tuple[str, str]] = {}
    detect_s = 0.0
    for name, path in repos:
        batch = crawl(name, path)
        start = time.perf_counter()
        detection = detect_repository(batch["aux"], batch["files"])
        detect_s += time.perf_counter() - start
        files = {a["path"]: per_file_expression(a["path"], a["text"]) for a in batch["aux"] if source_kind(a["path"])}
        for rel, expression in files.items():
            per_file[os.path.join(path, rel)] = (rel, expression)
        report["repositories"][name] = {"detected": detection.expression, "files": list(detection.files),
                                        "declared": declared_license(name, path), "per_file": files}
    report["detect_seconds"] = round(detect_s, 3)
    print(f"{len(repos)} repositories; detection {detect_s:.2f} s in all "
          f"({1000 * detect_s / max(1, len(repos)):.1f} ms per repository)")

    declared = {}
    for name, r in report["repositories"].items():
        declared[name] = agreement(r["detected"], resolve_vague(r["declared"], r["detected"]))
    counts = {lv: sum(1 for v in declared.values() if v == lv) for lv in LEVELS}
    print(table("repositories vs the package's declared license", counts, len(declared)))
    report["vs_declared"] = declared

    if args.scancode_python:
        reference = run_scancode_files(args.scancode_python, sorted(per_file), args.scancode_files_cache)
        by_kind: dict[str, dict[str, int]] = {}
        clean_by_kind: dict[str, dict[str, int]] = {}
        rows = {}
        for path, (rel, ours) in per_file.items():
            theirs = join(reference.get(path) or [])
            level = agreement(ours, theirs)
            clean = agreement(resolve_vague(ours, theirs), without_unknown_reference(theirs))
            kind = source_kind(rel)
            by_kind.setdefault(kind, {}).setdefault(level, 0)
            by_kind[kind][level] += 1
            clean_by_kind.setdefault(kind, {}).setdefault(clean, 0)
            clean_by_kind[kind][clean] += 1
            rows[path] = {"ours": ours, "scancode": theirs, "agreement": level, "agreement_clean": clean}
        for kind, counts in sorted(by_kind.items()):
            print(table(f"files ({kind}) vs ScanCode on the same file", counts, sum(counts.values())))
            print(table(f"  same, ScanCode's {UNKNOWN_REF} removed, vague names resolved",
                        clean_by_kind[kind], sum(counts.values())))
        report["per_file_vs_scancode"] = rows

    if args.scancode_whole:
        whole = run_scancode_whole(args.scancode_python, repos, args.scancode_whole, args.run_whole)
        levels, clean_levels, inside = {}, {}, {}
        for name, r in report["repositories"].items():
            if name not in whole:
                continue
            ref = whole[name]
            levels[name] = agreement(r["detected"], ref["declared"])
            clean_levels[name] = agreement(r["detected"], without_unknown_reference(ref["declared"]))
            found = set().union(*(_keys(e) for e in [ref["declared"], *ref["other"]] if e)) if (ref["declared"] or ref["other"]) else set()
            fams = {family(k) for k in found}
            ours = _keys(r["detected"]) if r["detected"] else set()
            inside[name] = all(family(k) in fams for k in ours)
            r["scancode_whole"] = ref
        counts = {lv: sum(1 for v in levels.values() if v == lv) for lv in LEVELS}
        print(table("repositories vs ScanCode's declared license (whole-repository scan)", counts, len(levels)))
        counts = {lv: sum(1 for v in clean_levels.values() if v == lv) for lv in LEVELS}
        print(table(f"  same, ScanCode's {UNKNOWN_REF} removed", counts, len(levels)))
        report["vs_scancode_whole_clean"] = clean_levels
        print(f"  every license we report is one ScanCode found somewhere in the repository: "
              f"{sum(inside.values())} of {len(inside)}")
        report["vs_scancode_whole"] = levels
        report["ours_within_scancode_any"] = inside

    if args.e2e:
        timing = e2e(args.corpus, args.e2e_reps)
        off = min(r["cpu_s"] for r in timing["off"])
        on = min(r["cpu_s"] for r in timing["on"])
        woff = min(r["wall_s"] for r in timing["off"])
        won = min(r["wall_s"] for r in timing["on"])
        print(f"end-to-end, best of {args.e2e_reps}: CPU {off:.1f} s off, {on:.1f} s on ({100 * (on / off - 1):+.1f} %); "
              f"wall {woff:.1f} s off, {won:.1f} s on ({100 * (won / woff - 1):+.1f} %)")
        report["e2e"] = timing

    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
