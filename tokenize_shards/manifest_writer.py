"""Build a shard set's manifest from the per-shard summaries, and write it with the tokenizer."""
from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Mapping

import numpy as np
from tokenizers import Tokenizer

from tokenize_shards.atomic_files import Written, write_atomically
from tokenize_shards.config import ShardsConfig
from tokenize_shards.fim import PLAIN, PSM, SPM
from tokenize_shards.manifest import FORMAT, MANIFEST, TOKENIZER
from tokenize_shards.special_tokens import SPECIAL_TOKENS
from tokenize_shards.tokenizer import special_ids, vocab_size


def build_manifest(summaries: Iterable[Mapping[str, Any]], tokenizer_json: str, dtype: np.dtype,
                   config: ShardsConfig) -> dict[str, Any]:
    """The manifest of the shards described by the writer's per-shard ``summaries``."""
    shards = sorted(summaries, key=lambda s: s["index"])
    tokenizer = Tokenizer.from_str(tokenizer_json)
    languages: dict[str, int] = {}
    modes = {PLAIN: 0, PSM: 0, SPM: 0}
    for shard in shards:
        for language, count in shard["languages"].items():
            languages[language] = languages.get(language, 0) + count
        for mode, count in shard["fim"].items():
            modes[mode] += count
    tokens = sum(s["tokens"] for s in shards)
    return {
        "format": FORMAT,
        "tokenizer": {
            "file": TOKENIZER,
            "sha256": hashlib.sha256(tokenizer_json.encode("utf-8")).hexdigest(),
            "vocab_size": vocab_size(tokenizer),
            "base_vocab_size": tokenizer.get_vocab_size(with_added_tokens=False),
            "source": config.tokenizer or "trained",
            "special_tokens": {
                name: {"content": SPECIAL_TOKENS[name], "id": token_id}
                for name, token_id in special_ids(tokenizer)._asdict().items()
            },
        },
        "dtype": np.dtype(dtype).name,
        "documents": sum(s["documents"] for s in shards),
        "tokens": tokens,
        "fim": {"rate": config.fim_rate, "spm_rate": config.fim_spm_rate, "seed": config.seed,
                "split": "character", "documents": modes},
        "shuffle": {"seed": config.seed, "target_shard_tokens": config.target_shard_tokens},
        "shards": [
            {key: shard[key] for key in
             ("prefix", "documents", "tokens", "bin_sha256", "bin_bytes", "idx_sha256", "idx_bytes")}
            for shard in shards
        ],
        "languages": {
            language: {"tokens": count, "share": round(count / tokens, 6) if tokens else 0.0}
            for language, count in sorted(languages.items())
        },
    }


def write_shard_set_files(folder: str, tokenizer_json: str, manifest: Mapping[str, Any]) -> list[Written]:
    """Write ``tokenizer.json``, then ``manifest.json`` last (its presence marks a complete set)."""
    return [
        write_atomically(folder, TOKENIZER, [tokenizer_json.encode("utf-8")]),
        write_atomically(folder, MANIFEST, [json.dumps(manifest, indent=1, sort_keys=True,
                                                       ensure_ascii=False).encode("utf-8") + b"\n"]),
    ]
