"""Planted forks of real repositories, plus natural pairs: the corpus of ``bench_repo_dedup.py``.

    nice -n 5 python benchmarks/planted_forks.py --dest /work/data-dedupbench/planted \
        [--corpus /work/corpus] [--natural /work/data-dedupbench/src] [--seed 12]

Writes ``DEST/repos/<name>/`` (one folder per repository: the folder input),
``DEST/manifest.jsonl`` (``path``, ``name``, ``stars``: each original 100 stars, every
fork and package 0) and ``DEST/planted.json`` (each repository's group, kind, parent,
target and measured exact Jaccard). Deterministic: the same sources and seed give the same
bytes (every random choice comes from ``random.Random`` seeded by a string).

**Bases** (``BASES``): five real packages of five languages, copied whole (docs, tests,
build files, everything). **Forks**, each a full copy of its parent in which only the
*code* changes (the files that pass repocurate's crawl and default file filters: the
files near-dedup compares, see :func:`code_files`):

* ``ws``: whitespace only, in 60 % of the code files (4-space indents to tabs, trailing
  spaces on every third line, CRLF line ends in every other one): their bytes change, their
  tokens do not (J 1.0); the other 40 % stay byte-identical to the base;
* ``renamed``: every other code file renamed or moved into ``renamed/`` (J 1.0; bytes of
  the moved files unchanged, so file-level exact dedup sees them as copies);
* ``reordered``: blank-line separated blocks (functions, classes) moved inside every file
  that has at least 3 (only shingles across a block boundary change);
* ``added``: one file added: the largest real file, up to 5 % of the base's code, of a
  package of the same language that is in no other group (``DONORS``);
* ``deleted10``: 10 % of the code files deleted;
* ``j95`` … ``j30``: line edits tuned by bisection to the exact Jaccard 0.95, 0.85, 0.75,
  0.65, 0.50, 0.30 against the base: lines with a word are edited in a seeded order, each
  by one of: a word replaced by a fresh identifier (60 %), the line deleted (20 %), a copy
  of the line with a fresh word inserted after it (20 %);
* ``chain1`` → ``chain2`` → ``chain3``: a fork of a fork of a fork, each tuned to 0.80
  against its parent; the builder checks that the end is below 0.70 to the base
  (about 0.55 measured) and adds links until it is.

**Natural pairs** (``NATURAL``, fetched by ``fetch_natural.sh``): the C JSON library
jansson 2.14 as its upstream release tarball (Debian's ``.orig.tar.gz``) and as Debian's
source package (upstream plus ``debian/``, patches applied, ``apt-get source``); and the
JavaScript CLI library commander 9.4.1 as its GitHub tree (Debian's ``.orig.tar.gz`` of
``node-commander``) and as its npm package (``npm pack``). Debian's Python packages
(``python-click``) could not be fetched here (404 from the mirror), so the CLI pair is
the npm one; its Jaccard is whatever it measures (printed, and in ``planted.json``).

Every edit keeps the set of code files: an edited, re-spaced, reordered or renamed file
that the crawl or the file filters would then drop (a shebang line edited away, an HTML
page whose visible text falls under 20 %, ``Makefile`` renamed to an unknown language)
keeps its old text or name instead. Jaccard throughout is :mod:`repo_jaccard` over the code
files, so the planted values are the values the benchmark measures on what enters dedup.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from repo_jaccard import ShingleCache, jaccard  # noqa: E402

# (group name, source folder relative to --corpus or --natural, language)
BASES = (
    ("itsdangerous", "corpus:pypi-itsdangerous", "Python"),
    ("markdown", "corpus:pypi-markdown", "Python"),
    ("semver", "corpus:npm-semver", "JavaScript"),
    ("lua", "corpus:deb-lua5.4", "C"),
    ("cobra", "natural:cobra", "Go"),
)
# a package in no group, per base: the donor of the ``added`` fork's one extra file
DONORS = {"itsdangerous": "corpus:pypi-toolz", "markdown": "corpus:pypi-cachetools",
          "semver": "corpus:npm-uuid", "lua": "corpus:deb-libuv1", "cobra": "corpus:deb-golang-github-pkg-errors"}
# (name, source, group, original?)
NATURAL = (
    ("jansson", "natural:jansson-upstream", "jansson", True),
    ("jansson-debian", "natural:jansson-debian", "jansson", False),
    ("commander", "natural:commander-github", "commander", True),
    ("commander-npm", "natural:commander-npm", "commander", False),
)
TARGETS = (0.95, 0.85, 0.75, 0.65, 0.50, 0.30)
WHITESPACE_SHARE = 0.6  # of the code files re-spaced by the ``ws`` fork (a reformat of what a fork touched)
CHAIN_LINK = 0.80
CHAIN_END_BELOW = 0.70
ORIGINAL_STARS = 100
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Repo:
    """A repository in memory: every file's bytes, and the decoded text of its code files."""

    name: str
    group: str
    kind: str
    parent: str
    raw: dict[str, bytes]          # every file (code files too, as the bytes to write)
    code: dict[str, str]           # path -> text of the files that pass the file filters
    links: dict[str, str]          # symlinks, copied as they are

    def fork(self, name: str, kind: str) -> "Repo":
        return Repo(name, self.group, kind, self.name, dict(self.raw), dict(self.code), dict(self.links))

    def set_code(self, path: str, text: str, newline: str = "\n") -> None:
        """Replace a code file's text, unless the file filters would then drop it (kept as it was)."""
        if not passes(path, text.replace("\n", newline)):
            return
        self.code[path] = text
        self.raw[path] = text.replace("\n", newline).encode("utf-8", "surrogatepass")

    def remove(self, path: str) -> None:
        del self.code[path]
        del self.raw[path]


def code_files(folder: Path, name: str) -> dict[str, str]:
    """The files of ``folder`` that pass repocurate's crawl and default file filters, decoded
    as the crawl decodes them: the definition of what enters dedup (issue 12)."""
    from filters.base import first_rejection
    from filters.file_filters import default_file_filters
    from pipeline.config import CrawlConfig
    from pipeline.sources.crawl import FILES, crawl_task
    from pipeline.sources.plan import RepoTask

    rules = default_file_filters()
    out = {}
    for tag, record in crawl_task(RepoTask("folder", str(folder), name), CrawlConfig()):
        if tag == FILES and first_rejection(record, rules) is None:
            out[record["path"]] = record["content"]
    return out


class FilterCheck:
    """Whether one file, given as path and text, passes the crawl's decoding and language
    detection and the default file filters (memoised). An edit must not move a file across
    the filters, or the fork would differ from its base by more than the edit."""

    def __init__(self) -> None:
        from contract.records import RawEntry
        from filters.file_filters import default_file_filters
        from pipeline.sources.decode import RepoInfo, decode_entry

        self._entry, self._decode, self._info = RawEntry, decode_entry, RepoInfo("check")
        self._rules = default_file_filters()
        self._seen: dict[tuple[str, str], bool] = {}

    def __call__(self, path: str, text: str) -> bool:
        from filters.base import first_rejection

        key = (path, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        if key not in self._seen:
            record, _ = self._decode(self._info, self._entry(path, text.encode("utf-8", "surrogatepass")))
            self._seen[key] = record is not None and first_rejection(record, self._rules) is None
            if len(self._seen) > 50000:
                self._seen.clear()
        return self._seen[key]


PASSES: FilterCheck | None = None


def passes(path: str, text: str) -> bool:
    global PASSES
    if PASSES is None:
        PASSES = FilterCheck()
    return PASSES(path, text)


def load(folder: Path, name: str, group: str, kind: str) -> Repo:
    raw, links = {}, {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for entry in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            full = os.path.join(root, entry)
            rel = os.path.relpath(full, folder).replace(os.sep, "/")
            if os.path.islink(full):
                links[rel] = os.readlink(full)
            elif os.path.isfile(full):
                raw[rel] = Path(full).read_bytes()
    code = code_files(folder, name)
    return Repo(name, group, kind, "", raw, code, links)


def resolve(source: str, corpus: Path, natural: Path) -> Path:
    where, _, rel = source.partition(":")
    return (corpus if where == "corpus" else natural) / rel


# --- edits -----------------------------------------------------------------------------


def rng_for(*parts: object) -> random.Random:
    return random.Random(":".join(map(str, parts)))


def fresh(rng: random.Random) -> str:
    return f"z{rng.getrandbits(40):010x}"


def whitespace_only(repo: Repo, name: str, seed: int) -> Repo:
    out = repo.fork(name, "ws")
    paths = sorted(repo.code)
    touched = set(rng_for(seed, name).sample(paths, round(WHITESPACE_SHARE * len(paths))))
    for i, path in enumerate(p for p in paths if p in touched):
        text = re.sub(r"(?m)^((?: {4})+)", lambda m: "\t" * (len(m.group(1)) // 4), repo.code[path])
        lines = text.split("\n")
        text = "\n".join(line + "  " if k % 3 == 0 and line else line for k, line in enumerate(lines))
        out.set_code(path, text, "\r\n" if i % 2 else "\n")
    return out


def renamed(repo: Repo, name: str, seed: int) -> Repo:
    out = repo.fork(name, "renamed")
    rng = rng_for(seed, name)
    for i, path in enumerate(sorted(repo.code)):
        if i % 2:
            continue
        folder, _, base = path.rpartition("/")
        stem, dot, ext = base.partition(".")
        new = f"renamed/{path}" if rng.random() < 0.5 else f"{folder + '/' if folder else ''}{stem}_{fresh(rng)[:6]}{dot}{ext}"
        if not passes(new, repo.code[path]):   # e.g. Makefile_x1y2z3 is no known language: move it instead
            new = f"renamed/{path}"
        if new in out.raw or not passes(new, repo.code[path]):
            continue
        data, text = out.raw[path], out.code[path]
        out.remove(path)
        out.raw[new], out.code[new] = data, text
    return out


def reordered(repo: Repo, name: str, seed: int) -> Repo:
    out = repo.fork(name, "reordered")
    rng = rng_for(seed, name)
    for path in sorted(repo.code):
        blocks = re.split(r"\n[ \t]*\n", repo.code[path])
        if len(blocks) < 3:
            continue
        for _ in range(max(1, len(blocks) // 3)):   # a third of the blocks move elsewhere
            block = blocks.pop(rng.randrange(len(blocks)))
            blocks.insert(rng.randrange(len(blocks) + 1), block)
        out.set_code(path, "\n\n".join(blocks))
    return out


def added(repo: Repo, name: str, donor: Repo, seed: int) -> Repo:
    out = repo.fork(name, "added")
    cap = max(2000, sum(len(t) for t in repo.code.values()) // 20)   # at most ~5 % of the base's code
    candidates = sorted((p for p, t in donor.code.items() if 1000 <= len(t) <= cap), key=lambda p: (-len(donor.code[p]), p))
    path = next(p for p in candidates if passes(f"contrib/{p.rpartition('/')[2]}", donor.code[p]))
    target = f"contrib/{path.rpartition('/')[2]}"
    out.raw[target], out.code[target] = donor.raw[path], donor.code[path]
    return out


def deleted(repo: Repo, name: str, seed: int) -> Repo:
    out = repo.fork(name, "deleted10")
    rng = rng_for(seed, name)
    paths = sorted(repo.code)
    for path in rng.sample(paths, max(1, round(0.1 * len(paths)))):
        out.remove(path)
    return out


def edit_line(line: str, rng: random.Random) -> list[str]:
    op = rng.random()
    words = list(_WORD.finditer(line))
    word = rng.choice(words)
    changed = line[:word.start()] + fresh(rng) + line[word.end():]
    if op < 0.6:
        return [changed]
    if op < 0.8:
        return []
    return [line, changed]


class LineEditor:
    """Edits the first ``k`` lines of a seeded order of a repository's lines with a word;
    the edit of each line is fixed by the seed, so ``k`` alone sets the fork."""

    def __init__(self, repo: Repo, seed: object) -> None:
        self.repo = repo
        self.lines = {p: repo.code[p].split("\n") for p in sorted(repo.code)}
        order = [(p, i) for p, lines in self.lines.items() for i, line in enumerate(lines) if _WORD.search(line)]
        rng_for(seed, "order").shuffle(order)
        self.order = order
        self.seed = seed

    def texts(self, k: int) -> dict[str, str]:
        chosen: dict[str, set[int]] = {}
        for path, i in self.order[:k]:
            chosen.setdefault(path, set()).add(i)
        out = dict(self.repo.code)
        for path, rows in chosen.items():
            new: list[str] = []
            for i, line in enumerate(self.lines[path]):
                new += edit_line(line, rng_for(self.seed, path, i)) if i in rows else [line]
            text = "\n".join(new)
            if passes(path, text):   # else the file stays as it was
                out[path] = text
        return out


def tuned(repo: Repo, reference: set[int], target: float, name: str, kind: str, seed: int,
          cache: ShingleCache) -> tuple[Repo, float]:
    """A fork of ``repo`` whose exact Jaccard to ``reference`` is as close to ``target`` as
    whole-line edits allow: bisection on the number of edited lines."""
    editor = LineEditor(repo, (seed, name))
    trial = ShingleCache(parent=cache)  # trial versions are dropped with it
    measured: dict[int, float] = {}

    def j(k: int) -> float:
        if k not in measured:
            measured[k] = jaccard(trial.repo(editor.texts(k).values()), reference)
        return measured[k]

    lo, hi = 0, len(editor.order)
    while hi - lo > 1:                    # J(lo) > target >= J(hi), J falls (almost) monotonically in k
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if j(mid) > target else (lo, mid)
    k = min((lo, hi), key=lambda x: (abs(j(x) - target), x))
    out = repo.fork(name, kind)
    for path, text in editor.texts(k).items():
        if text != repo.code[path]:
            out.set_code(path, text)
    return out, j(k)


# --- the corpus ------------------------------------------------------------------------


def build(dest: Path, corpus: Path, natural: Path, seed: int, log: Callable[[str], None] = print) -> list[dict]:
    cache = ShingleCache()
    repos: list[Repo] = []
    info: dict[str, dict] = {}

    def add(repo: Repo, target: float | None, original: bool) -> None:
        repos.append(repo)
        info[repo.name] = {"name": repo.name, "group": repo.group, "kind": repo.kind, "parent": repo.parent,
                           "original": original, "target_jaccard": target, "code_files": len(repo.code)}

    for group, source, language in BASES:
        base = load(resolve(source, corpus, natural), group, group, "original")
        base_set = cache.repo(base.code.values())
        donor = load(resolve(DONORS[group], corpus, natural), "donor", "donor", "donor")
        add(base, 1.0, True)
        add(whitespace_only(base, f"{group}-ws", seed), 1.0, False)
        add(renamed(base, f"{group}-renamed", seed), 1.0, False)
        add(reordered(base, f"{group}-reordered", seed), None, False)
        add(added(base, f"{group}-added", donor, seed), None, False)
        add(deleted(base, f"{group}-deleted10", seed), None, False)
        for target in TARGETS:
            fork, _ = tuned(base, base_set, target, f"{group}-j{round(target * 100)}", "edited", seed, cache)
            add(fork, target, False)
        parent, link = base, 0
        while True:
            link += 1
            fork, _ = tuned(parent, cache.repo(parent.code.values()), CHAIN_LINK, f"{group}-chain{link}",
                            "chain", seed, cache)
            add(fork, CHAIN_LINK, False)
            parent = fork
            if link >= 3 and jaccard(cache.repo(fork.code.values()), base_set) < CHAIN_END_BELOW:
                break
        log(f"{group} ({language}): {len(base.code)} code files, "
            f"{sum(len(t.encode('utf-8', 'surrogatepass')) for t in base.code.values()) / 1e6:.2f} MB of code")
    for name, source, group, original in NATURAL:
        add(load(resolve(source, corpus, natural), name, group, "upstream" if original else "package"), None, original)

    sets = {r.name: cache.repo(r.code.values()) for r in repos}
    for row in info.values():
        group_original = next(r.name for r in repos if r.group == row["group"] and info[r.name]["original"])
        row["jaccard_to_original"] = round(jaccard(sets[row["name"]], sets[group_original]), 4)
        row["jaccard_to_parent"] = (round(jaccard(sets[row["name"]], sets[row["parent"]]), 4)
                                    if row["parent"] else None)
    write(dest, repos, info)
    for row in info.values():
        if row["kind"] in ("edited", "chain", "package", "ws", "renamed", "reordered", "added", "deleted10"):
            log(f"  {row['name']:24s} J to original {row['jaccard_to_original']:.3f}"
                + (f", to parent {row['jaccard_to_parent']:.3f}" if row["kind"] == "chain" else ""))
    return list(info.values())


def write(dest: Path, repos: list[Repo], info: dict[str, dict]) -> None:
    """Replace ``dest`` with the corpus: ``repos/``, ``manifest.jsonl``, ``planted.json``."""
    if dest.exists():
        shutil.rmtree(dest)
    root = dest / "repos"
    for repo in repos:
        for path, data in sorted(repo.raw.items()):
            target = root / repo.name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for path, link in sorted(repo.links.items()):
            target = root / repo.name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(link, target)
    rows = [{"path": f"repos/{r.name}", "name": r.name, "stars": ORIGINAL_STARS if info[r.name]["original"] else 0}
            for r in sorted(repos, key=lambda r: r.name)]
    (dest / "manifest.jsonl").write_text("".join(json.dumps(row, sort_keys=True) + "\n" for row in rows))
    (dest / "planted.json").write_text(json.dumps(sorted(info.values(), key=lambda r: r["name"]), indent=1, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dest", default="/work/data-dedupbench/planted")
    parser.add_argument("--corpus", default="/work/corpus")
    parser.add_argument("--natural", default="/work/data-dedupbench/src", help="folder made by fetch_natural.sh")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    build(Path(args.dest), Path(args.corpus), Path(args.natural), args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
