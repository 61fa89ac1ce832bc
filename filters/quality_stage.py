"""The quality stage on one repo-level sample (paper §2.4), as a plain function.

A sample is cut into its files; each file is checked by the syntax and readability rules
(using the parse statistics the ordering stage kept, so nothing is parsed twice) and by
benchmark decontamination; the first rule that fails drops the file with its reason. The
kept files have PII and secrets redacted, and the sample is reassembled in order. A
sample that lost files and is left under ``min_sample_bytes`` is dropped as a whole.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from filters.base import FileFilter, first_rejection
from filters.pii import PiiConfig, Redactor
from filters.quality import PARSE_FIELDS, QualityConfig
from parsers.samples import rebuild_sample, split_sample
from contract.records import reject_record

STAGE = "quality"


@dataclass(frozen=True)
class DecontaminationConfig:
    """Benchmark decontamination (paper §2.4): 10-gram overlap, exact match for 3-9 tokens."""

    enabled: bool = True
    benchmarks: tuple[str, ...] = ("humaneval",)
    extra_jsonl: tuple[str, ...] = ()     # more benchmark data (--decontaminate-with FILE.jsonl)


@dataclass(frozen=True)
class QualityStageConfig:
    """Every switch of the quality stage."""

    enabled: bool = True
    rules: QualityConfig = field(default_factory=QualityConfig)
    decontamination: DecontaminationConfig = field(default_factory=DecontaminationConfig)
    redact_pii: bool = True
    pii: PiiConfig = field(default_factory=PiiConfig)
    min_sample_bytes: int = 64   # a sample that lost files and has fewer bytes left is dropped


def file_record(sample: Mapping[str, Any], index: int, content: str) -> dict[str, Any]:
    """The quality record of one file of a sample (see :mod:`filters.quality`)."""
    record = {
        "path": sample["paths"][index],
        "language": sample["languages"][index],
        "content": content,
        "size": sample["file_sizes"][index],
    }
    for name in PARSE_FIELDS:
        record[name] = sample[name][index] if name in sample else -1
    return record


def apply_quality(
    sample: Mapping[str, Any],
    rules: Sequence[FileFilter],
    redactor: Optional[Redactor],
    min_sample_bytes: int,
) -> tuple[Optional[dict[str, Any]], list[dict[str, Any]], Counter]:
    """``(kept sample or None, rejects, redaction counts)`` for one sample."""
    pieces = split_sample(sample)
    keep, contents, rejects, counts = [], [], [], Counter()
    for i, (_, content) in enumerate(pieces):
        record = file_record(sample, i, content)
        verdict = first_rejection(record, rules)
        if verdict is not None:
            rejects.append(reject_record(sample["repo_name"], record["path"], STAGE, verdict.reason,
                                         verdict.detail, record["size"]))
            keep.append(False)
            contents.append(content)
            continue
        if redactor is not None:
            content, found = redactor.redact(content, record["language"], record["path"])
            counts.update(found)
        keep.append(True)
        contents.append(content)
    if not any(keep):
        return None, rejects, Counter()
    rebuilt = rebuild_sample(sample, keep, contents)
    if rejects and rebuilt["n_bytes"] < min_sample_bytes:
        detail = f"{rebuilt['n_bytes']} bytes left after quality filters < {min_sample_bytes}"
        rejects += [reject_record(sample["repo_name"], path, STAGE, "sample_too_small", detail, size)
                    for path, size in zip(rebuilt["paths"], rebuilt["file_sizes"])]
        return None, rejects, Counter()
    rebuilt["redactions"] = json.dumps(dict(sorted(counts.items())), sort_keys=True)
    return rebuilt, rejects, counts
