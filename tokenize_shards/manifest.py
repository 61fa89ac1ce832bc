"""A shard set's ``manifest.json``: where it lives, and checking files against it.

The manifest (JSON, sorted keys; written by :mod:`tokenize_shards.manifest_writer`) records
``tokenizer`` (file, sha256, vocab_size = largest id + 1, base_vocab_size, source,
special token ids), ``dtype``, totals (``documents``, ``tokens``), ``fim`` (rate,
spm_rate, seed, split unit, documents per mode), ``shuffle`` (seed, target_shard_tokens),
``shards`` (prefix, documents, tokens, sha256 and bytes of ``.bin`` and ``.idx``) in
stream order, and ``languages`` (tokens and share per language, attributed as described
in :mod:`tokenize_shards.language_share`).
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Mapping

MANIFEST = "manifest.json"
TOKENIZER = "tokenizer.json"
FORMAT = "megatron-indexed-dataset/1"


class ShardChecksumError(ValueError):
    """A shard set's file is missing or differs from what its manifest recorded."""


def read_manifest(folder: str) -> dict[str, Any]:
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no {MANIFEST} in {folder}: not a finished shard set")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expected_files(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(file name, sha256) of every file the manifest vouches for."""
    files = [(manifest["tokenizer"]["file"], manifest["tokenizer"]["sha256"])]
    for shard in manifest["shards"]:
        files += [(f"{shard['prefix']}.bin", shard["bin_sha256"]), (f"{shard['prefix']}.idx", shard["idx_sha256"])]
    return files


def verify_checksums(folder: str, manifest: Mapping[str, Any]) -> None:
    """Raise :class:`ShardChecksumError` naming the first missing or altered file."""
    for name, expected in expected_files(manifest):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            raise ShardChecksumError(f"{path}: missing (listed in {MANIFEST})")
        actual = file_sha256(path)
        if actual != expected:
            raise ShardChecksumError(f"{path}: sha256 {actual} differs from {MANIFEST}'s {expected}")
