"""Whole-repository near-dedup on planted forks (issue 12): what survives a default run.

For the lead, how to run (one command; 2026-12-04 on the shared 2-core machine at load 7-8:
15 min wall and 260 CPU s with ``--rebuild``, 6.3 min wall and 154 CPU s without it):

    nice -n 5 python benchmarks/bench_repo_dedup.py [--work /work/data-dedupbench] \
        [--json benchmarks/bench_repo_dedup.json] [--rebuild] [--no-baselines] \
        [--inputs folder manifest] [--corpus /work/corpus]

It (1) builds the planted corpus with ``planted_forks.py`` into ``WORK/planted`` unless
it is already there (``--rebuild`` forces it; the sources come from ``/work/corpus`` and
``WORK/src``, see ``fetch_natural.sh``); (2) runs the real pipeline twice, end to end,
with the default configuration, as a user would (``python -m pipeline.cli run`` from this
checkout, so rerunning it on new code needs no change):

* ``folder``: ``repocurate run --input WORK/planted/repos --output WORK/out-folder``
  (no metadata: no stars, no licenses);
* ``manifest``: ``repocurate run --input WORK/planted/manifest.jsonl --output
  WORK/out-manifest`` (each original 100 stars, every fork and package 0);

(3) computes the ground truth itself and (4) scores the run's outputs, and the same
files deduplicated *file-level* by datatrove's and datasketch's MinHash, side by side.

**Ground truth.** What entered dedup is read from the run: the ledger's stages in order;
the stages before the first stage whose name contains ``dedup`` are the per-file filters
(today ``crawl``, ``file_filters``); every file of ``files`` plus every reject of a later
stage entered dedup. Its text is read from the input folder (UTF-8, undecodable bytes
replaced: a replacement character separates tokens just like the byte it replaces). The
exact Jaccard of two repositories is :mod:`repo_jaccard` (no repocurate code): word tokens
``[A-Za-z0-9_]+``, 5-gram shingle sets, unioned over the repository's files (paths and file
order do not count), all pairs by one sparse product.

**What each number means** (threshold ``t`` = the run's ``near_dedup.threshold``, 0.7):

* ``repos in / kept / removed``: repositories with a file that entered dedup; *kept*:
  at least one of those files is not rejected by a stage named ``*dedup*``;
* ``removed w/o survivor``: removed repositories whose exact Jaccard to every kept
  repository is below ``t`` (their content is gone from the output) — target 0;
* ``kept pairs >= t+0.05``: pairs of kept repositories with exact Jaccard ``>= t + 0.05``
  (redundancy left; the 0.05 margin forgives LSH misses near ``t``) — target 0;
* ``fragments``: kept repositories that lost over 20 % of the files that entered dedup to a
  file-level dedup stage (a stage named ``*dedup*`` other than the one rejecting with
  reason ``near_duplicate``; today ``exact_dedup``) — target 0;
* ``removed, content not in output``: removed repositories of which less than ``t`` of the
  shingles occur anywhere in the kept repositories (containment, not Jaccard: a package
  that is a subset of its upstream tree, like ``commander-npm``, has J 0.31 to it but all
  its content is kept; file-level dedup keeps a fork's content spread over several repos);
* ``originals kept``: of the 7 originals (5 bases, the 2 upstream trees of the natural
  pairs) — target 7/7 with the manifest (stars); reported for the folder input too;
* ``bad survivor`` (repocurate only): repositories removed as ``near_duplicate`` whose
  survivor in ``clusters`` was itself not kept or has exact Jaccard ``< t`` to them;
  ``|jaccard - exact|``: the largest gap between the clusters table's ``jaccard`` column
  (when it exists) and the exact Jaccard to the survivor.

For the file-level contenders every file that entered dedup is a document, in rank order
(stars descending, repository name, path); a repository counts as removed when all its
files are removed and as a fragment when it lost over 20 % but not all:

* ``datatrove``: ``MinhashDedupSignature -> Buckets -> Cluster -> Filter`` with
  ``LocalPipelineExecutor`` and its default ``MinhashConfig`` (14 buckets x 8 hashes,
  5-grams, its default text normalisation), the word tokenizer of the ground truth;
* ``datasketch``: ``MinHash(256)`` of the ground truth's shingles and ``MinHashLSH(t)``;
  in rank order a file is removed when a query finds an already kept file whose MinHash
  estimate is ``>= t``, else it is inserted (the usual streaming use).

Also printed: per kind of fork, and per repository (with its exact Jaccard to its
original), its fate per input and contender: kept (K), fragment (F), removed with a kept
survivor >= t (r), removed without one (X). ``--json`` writes all of it (per repository:
best kept match, containment, files lost per stage, survivors named); ``--tables-from
JSON`` prints the tables of a saved report again.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Sequence

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import yaml  # noqa: E402

from repo_jaccard import ShingleCache, as_array, datatrove_word_tokenizer, jaccard_matrix, shingle_hashes  # noqa: E402

FRAGMENT_LOSS = 0.20
MARGIN = 0.05
INPUTS = ("folder", "manifest")


# --- running the pipeline --------------------------------------------------------------


def run_pipeline(source: Path, out: Path) -> float:
    """``repocurate run --input SOURCE --output OUT`` from this checkout, default configuration."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--input", str(source), "--output", str(out),
                           "--quiet", "--no-progress", "--overwrite"], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"repocurate run failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return time.perf_counter() - start


def read_table(folder: Path, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    if not folder.exists() or not any(folder.glob("*.parquet")):
        return []
    return pq.read_table(folder, columns=columns).to_pylist()


# --- what entered dedup ----------------------------------------------------------------


def entered_dedup(out: Path) -> tuple[dict[str, set[str]], list[dict[str, Any]], list[str]]:
    """``{repo: paths}`` that entered the first dedup stage, the rejects of later stages, and
    the ledger's stage names in order."""
    stages = [s["stage"] for s in json.loads((out / "ledger.json").read_text())["stages"]]
    first = next(i for i, s in enumerate(stages) if "dedup" in s)
    before = set(stages[:first])
    files = read_table(out / "files", ["repo_name", "path"])
    rejects = [r for r in read_table(out / "rejects", ["repo_name", "path", "stage", "reason", "detail"])
               if r["stage"] not in before]
    entered: dict[str, set[str]] = defaultdict(set)
    for row in files + rejects:
        entered[row["repo_name"]].add(row["path"])
    return dict(entered), rejects, stages


def read_texts(repo_dir: Path, paths: Iterable[str]) -> dict[str, str]:
    return {p: (repo_dir / p).read_bytes().decode("utf-8", "replace") for p in sorted(paths)}


# --- scoring ---------------------------------------------------------------------------


def score(name: str, kept: set[str], lost_file_level: dict[str, int], entered: dict[str, set[str]],
          repos: list[str], jac: np.ndarray, sets: Sequence[np.ndarray], originals: set[str],
          threshold: float) -> dict[str, Any]:
    """The issue's four figures for one contender (see the module docstring)."""
    index = {r: i for i, r in enumerate(repos)}
    kept_union = np.unique(np.concatenate([sets[index[r]] for r in kept])) if kept else np.empty(0, np.uint64)
    contained = {r: float(np.isin(sets[index[r]], kept_union, assume_unique=True).mean()) if sets[index[r]].size else 1.0
                 for r in repos if r not in kept}
    kept_idx = np.array(sorted(index[r] for r in kept), dtype=np.int64)
    removed = sorted(set(repos) - kept)
    orphans = []
    best: dict[str, tuple[float, str]] = {}
    for r in repos:
        others = kept_idx[kept_idx != index[r]]
        if others.size:
            k = int(others[np.argmax(jac[index[r], others])])
            best[r] = (float(jac[index[r], k]), repos[k])
        else:
            best[r] = (0.0, "")
    orphans = [r for r in removed if best[r][0] < threshold]
    content_lost = [r for r in removed if contained[r] < threshold]
    pairs = [(repos[a], repos[b], float(jac[a, b])) for x, a in enumerate(kept_idx) for b in kept_idx[x + 1:]
             if jac[a, b] >= threshold + MARGIN]
    fragments = sorted(r for r in kept if lost_file_level.get(r, 0) > FRAGMENT_LOSS * len(entered[r]))
    return {
        "contender": name, "repos_in": len(repos), "kept": len(kept), "removed": len(removed),
        "removed_without_survivor": len(orphans), "kept_pairs_over": len(pairs), "fragments": len(fragments),
        "removed_content_lost": len(content_lost), "content_lost_repos": content_lost,
        "removed_containment_in_kept": {r: round(c, 4) for r, c in sorted(contained.items())},
        "originals_kept": len(originals & kept), "originals": len(originals),
        "orphans": orphans, "kept_pairs": sorted(pairs), "fragment_repos": fragments,
        "originals_lost": sorted(originals - kept), "kept_repos": sorted(kept),
        "best_kept_match": {r: {"jaccard": round(j, 4), "repo": k} for r, (j, k) in sorted(best.items())},
    }


def repocurate_result(out: Path, entered: dict[str, set[str]], rejects: list[dict[str, Any]], repos: list[str],
                      jac: np.ndarray, sets: Sequence[np.ndarray], originals: set[str], threshold: float) -> dict[str, Any]:
    near_stages = {r["stage"] for r in rejects if r["reason"] == "near_duplicate"}
    dedup_rejects = [r for r in rejects if "dedup" in r["stage"]]
    lost = Counter((r["repo_name"], r["stage"]) for r in dedup_rejects)
    file_level = {r: sum(n for (repo, stage), n in lost.items() if repo == r and stage not in near_stages)
                  for r in repos}
    kept = {r for r in repos if sum(n for (repo, _), n in lost.items() if repo == r) < len(entered[r])}
    result = score("repocurate", kept, file_level, entered, repos, jac, sets, originals, threshold)
    index = {r: i for i, r in enumerate(repos)}
    clusters = read_table(out / "clusters")
    bad, gaps = [], []
    for row in clusters:
        name, survivor = row["repo_name"], row["survivor_repo"]
        if name == survivor or name in kept:
            continue
        exact = float(jac[index[name], index[survivor]]) if survivor in index else 0.0
        if survivor not in kept or exact < threshold:
            bad.append({"repo": name, "survivor": survivor, "survivor_kept": survivor in kept, "exact": round(exact, 4)})
        if row.get("jaccard") is not None:
            gaps.append(abs(float(row["jaccard"]) - exact))
    result.update({
        "bad_survivor": len(bad), "bad_survivors": bad,
        "max_jaccard_column_error": max(gaps) if gaps else None,
        "clusters_columns": sorted(clusters[0]) if clusters else [],
        "files_lost_by_stage": {f"{repo}:{stage}": n for (repo, stage), n in sorted(lost.items())},
    })
    return result


def file_level_result(name: str, removed_docs: set[int], docs: list[tuple[str, str]], entered: dict[str, set[str]],
                      repos: list[str], jac: np.ndarray, sets: Sequence[np.ndarray], originals: set[str],
                      threshold: float) -> dict[str, Any]:
    lost = Counter(docs[d][0] for d in removed_docs)
    kept = {r for r in repos if lost[r] < len(entered[r])}
    result = score(name, kept, dict(lost), entered, repos, jac, sets, originals, threshold)
    result["files_removed"] = len(removed_docs)
    return result


# --- file-level contenders -------------------------------------------------------------


def datasketch_file_level(texts: Sequence[str], threshold: float) -> set[int]:
    """Streaming MinHashLSH: a file is removed when an earlier kept file estimates ``>= threshold``."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=256)
    kept: dict[int, Any] = {}
    removed = set()
    for i, text in enumerate(texts):
        m = MinHash(num_perm=256, seed=1)
        m.update_batch([h.to_bytes(8, "little") for h in sorted(shingle_hashes(text))])
        if any(m.jaccard(kept[j]) >= threshold for j in lsh.query(m)):
            removed.add(i)
        else:
            lsh.insert(i, m)
            kept[i] = m
    return removed


def datatrove_file_level(texts: Sequence[str], folder: str) -> set[int]:
    """datatrove's four MinHash stages, default ``MinhashConfig``; returns the removed documents."""
    from datatrove.data import Document
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature,
    )
    def read(_data, _rank: int = 0, _world_size: int = 1):
        return (Document(text=text, id=str(i)) for i, text in enumerate(texts))

    kept_path = os.path.join(folder, "kept.txt")

    def collect(data, _rank: int = 0, _world_size: int = 1):
        with open(kept_path, "w") as fh:
            for doc in data:
                fh.write(doc.id + "\n")
        return iter(())

    config = MinhashConfig()
    sigs, dups, remove = (os.path.join(folder, n) for n in ("sigs", "dups", "remove"))
    logs = os.path.join(folder, "logs")
    stages = [
        ([read, MinhashDedupSignature(sigs, config, language=datatrove_word_tokenizer())], 1, "sig"),
        ([MinhashDedupBuckets(sigs, dups, config=config)], config.num_buckets, "buckets"),
        ([MinhashDedupCluster(dups, remove, config=config)], 1, "cluster"),
        ([read, MinhashDedupFilter(remove), collect], 1, "filter"),
    ]
    for pipeline, tasks, name in stages:
        LocalPipelineExecutor(pipeline, tasks=tasks, workers=1, logging_dir=f"{logs}/{name}").run()
    kept = {int(line) for line in Path(kept_path).read_text().split()}
    return set(range(len(texts))) - kept


# --- driver ----------------------------------------------------------------------------


def ensure_corpus(work: Path, corpus: Path, rebuild: bool) -> tuple[Path, list[dict[str, Any]]]:
    planted = work / "planted"
    if rebuild or not (planted / "planted.json").exists():
        import planted_forks
        planted_forks.build(planted, corpus, work / "src", seed=12,
                            log=lambda line: print(line, file=sys.stderr))
    return planted, json.loads((planted / "planted.json").read_text())


def evaluate(kind: str, planted: Path, work: Path, info: list[dict[str, Any]], baselines: bool) -> dict[str, Any]:
    out = work / f"out-{kind}"
    source = planted / "repos" if kind == "folder" else planted / "manifest.jsonl"
    seconds = run_pipeline(source, out)
    threshold = float(yaml.safe_load((out / "config.yaml").read_text())["near_dedup"]["threshold"])
    entered, rejects, stages = entered_dedup(out)
    repos = sorted(entered)
    stars = {row["name"]: row["stars"] for row in map(json.loads, (planted / "manifest.jsonl").read_text().splitlines())}
    if kind == "folder":
        stars = {r: 0 for r in repos}
    texts = {r: read_texts(planted / "repos" / r, entered[r]) for r in repos}
    cache = ShingleCache()
    sets = [as_array(cache.repo(texts[r].values())) for r in repos]
    jac = jaccard_matrix(sets)
    originals = {row["name"] for row in info if row["original"]} & set(repos)
    planted_code = {row["name"]: row["code_files"] for row in info}
    report: dict[str, Any] = {
        "input": kind, "command": f"repocurate run --input {source} --output {out}", "run_seconds": round(seconds, 1),
        "threshold": threshold, "stages": stages, "files_entered_dedup": sum(len(p) for p in entered.values()),
        "repos_where_entered_differs_from_builder": sorted(r for r in repos if planted_code.get(r) != len(entered[r])),
        "results": [repocurate_result(out, entered, rejects, repos, jac, sets, originals, threshold)],
    }
    if baselines:
        docs = sorted(((r, p) for r in repos for p in entered[r]), key=lambda d: (-stars.get(d[0], 0), d[0], d[1]))
        doc_texts = [texts[r][p] for r, p in docs]
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=work) as folder:
            with open(work / f"datatrove-{kind}.log", "w") as log, contextlib.redirect_stderr(log):
                removed = datatrove_file_level(doc_texts, folder)   # its per-stage logs go to the file
        row = file_level_result("datatrove file-level", removed, docs, entered, repos, jac, sets, originals, threshold)
        row["seconds"] = round(time.perf_counter() - start, 1)
        report["results"].append(row)
        start = time.perf_counter()
        removed = datasketch_file_level(doc_texts, threshold)
        row = file_level_result("datasketch file-level", removed, docs, entered, repos, jac, sets, originals, threshold)
        row["seconds"] = round(time.perf_counter() - start, 1)
        report["results"].append(row)
    report["jaccard_to_original"] = {
        row["name"]: round(float(jac[repos.index(row["name"]), repos.index(next(
            o["name"] for o in info if o["group"] == row["group"] and o["original"]))]), 4)
        for row in info if row["name"] in entered}
    return report


def fmt_table(reports: list[dict[str, Any]]) -> str:
    lines = ["| input | contender | repos in | kept | removed | removed w/o kept survivor >= t | kept pairs >= t+0.05 "
             "| fragments (> 20 % files lost) | originals kept | bad survivor named | removed, content not in output |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for rep in reports:
        for r in rep["results"]:
            bad = r.get("bad_survivor")
            lines.append(f"| {rep['input']} | {r['contender']} | {r['repos_in']} | {r['kept']} | {r['removed']} | "
                         f"{r['removed_without_survivor']} | {r['kept_pairs_over']} | {r['fragments']} | "
                         f"{r['originals_kept']}/{r['originals']} | {'—' if bad is None else bad} | "
                         f"{r['removed_content_lost']} |")
    return "\n".join(lines)


def fmt_fates(reports: list[dict[str, Any]], info: list[dict[str, Any]]) -> str:
    """Per repository: kind, exact J to its original, and per input and contender kept (K),
    fragment (F), removed with a kept survivor >= t (r) or without (X)."""
    heads = [f"{rep['input'][:3]}:{r['contender'].split()[0][:5]}" for rep in reports for r in rep["results"]]
    lines = ["| repository | kind | J to original | " + " | ".join(heads) + " |", "|---" * (3 + len(heads)) + "|"]
    for row in sorted(info, key=lambda r: (r["group"], not r["original"], r["name"])):
        cells = [fate(r, row["name"]) for rep in reports for r in rep["results"]]
        j = reports[0]["jaccard_to_original"].get(row["name"])
        lines.append(f"| {row['name']} | {row['kind']} | {'' if j is None else f'{j:.3f}'} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fmt_kinds(reports: list[dict[str, Any]], info: list[dict[str, Any]]) -> str:
    """Per kind of repository, how many ended kept (K), fragment (F), removed with a kept
    survivor >= t (r) or removed without one (X), per input and contender."""
    def label(row: dict[str, Any]) -> str:
        if row["kind"] == "edited":
            return f"edited to J {row['target_jaccard']:.2f}"
        if row["kind"] == "chain":
            return f"chain link {row['name'].rpartition('chain')[2]}"
        return row["kind"]

    order = ["original", "ws", "renamed", "reordered", "added", "deleted10"]
    kinds = sorted({label(row) for row in info}, key=lambda k: (order.index(k) if k in order else len(order),
                                                                 k.startswith(("upstream", "package")), k))
    heads = [f"{rep['input']}: {r['contender'].split()[0]}" for rep in reports for r in rep["results"]]
    lines = ["| kind (repos) | " + " | ".join(heads) + " |", "|---" * (1 + len(heads)) + "|"]
    for kind in kinds:
        names = [row["name"] for row in info if label(row) == kind]
        cells = []
        for rep in reports:
            for r in rep["results"]:
                counts = Counter(fate(r, n) for n in names)
                cells.append(" ".join(f"{counts[c]}{c}" for c in "KFrX?" if counts[c]))
        lines.append(f"| {kind} ({len(names)}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fate(result: dict[str, Any], name: str) -> str:
    if name not in result["best_kept_match"]:
        return "?"
    if name in result["fragment_repos"]:
        return "F"
    if name in result["kept_repos"]:
        return "K"
    return "X" if name in result["orphans"] else "r"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/work/data-dedupbench", help="holds src/ (natural pairs), planted/, out-*/")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the planted corpus")
    parser.add_argument("--corpus", default="/work/corpus", help="the real packages the bases come from (--rebuild)")
    parser.add_argument("--inputs", nargs="+", choices=INPUTS, default=list(INPUTS))
    parser.add_argument("--no-baselines", dest="baselines", action="store_false", help="skip datatrove and datasketch")
    parser.add_argument("--json", help="write the full report here")
    parser.add_argument("--tables-from", metavar="JSON", help="print the tables of an earlier --json report and stop")
    args = parser.parse_args(argv)
    work = Path(args.work)
    if args.tables_from:
        reports = json.loads(Path(args.tables_from).read_text())["reports"]
        info = json.loads((work / "planted" / "planted.json").read_text())
        print("\n\n".join((fmt_table(reports), fmt_kinds(reports, info), fmt_fates(reports, info))))
        return 0
    start = time.perf_counter()
    planted, info = ensure_corpus(work, Path(args.corpus), args.rebuild)
    reports = []
    for kind in args.inputs:
        reports.append(evaluate(kind, planted, work, info, args.baselines))
        print(f"{kind} done at {time.perf_counter() - start:.0f} s", file=sys.stderr)
    summary = {"seconds": round(time.perf_counter() - start, 1), "reports": reports}
    print("\n\n".join((fmt_table(reports), fmt_kinds(reports, info), fmt_fates(reports, info))))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    print(f"\ntotal {summary['seconds']} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
