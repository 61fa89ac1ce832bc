"""Write shard sets: one shard from its documents, or a whole set in process.

:func:`write_shard_set` is the plain-Python path (tests, benchmarks, small corpora); the
Beam stage (:mod:`tokenize_shards.beam_stage`) runs the same steps distributed.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from pipeline.storage import FileSystems

from tokenize_shards.atomic_files import Written, write_atomically
from tokenize_shards.config import ShardsConfig
from tokenize_shards.encode import EncodedDocument, EncodeSettings, encode_samples
from tokenize_shards.fim import PLAIN, PSM, SPM
from tokenize_shards.indexed_dataset import index_bytes
from tokenize_shards.manifest_writer import build_manifest, write_shard_set_files
from tokenize_shards.packing import shard_boundaries, shard_of, shard_prefix
from tokenize_shards.tokenizer import (
    encoding_tokenizer, load_tokenizer_json, special_ids, token_dtype, train_tokenizer, vocab_size,
)
from tokenize_shards.training_sample import TrainingEntry, sample_key, within_budget


def write_indexed_dataset(folder: str, prefix: str, documents: Sequence[np.ndarray],
                          dtype: np.dtype) -> tuple[Written, Written]:
    """Write ``prefix.bin`` then ``prefix.idx`` atomically, one sequence per document."""
    dtype = np.dtype(dtype).newbyteorder("<")
    arrays = [np.ascontiguousarray(document, dtype=dtype) for document in documents]
    bin_file = write_atomically(folder, f"{prefix}.bin", arrays)
    idx_file = write_atomically(folder, f"{prefix}.idx", [index_bytes([len(a) for a in arrays], dtype)])
    return bin_file, idx_file


def write_shard(folder: str, index: int, count: int, documents: Iterable[EncodedDocument],
                dtype: np.dtype) -> dict[str, Any]:
    """Write shard ``index`` of ``count`` (documents in shuffle order); returns its summary:
    ``index, prefix, documents, tokens, bin_sha256, bin_bytes, idx_sha256, idx_bytes,
    languages`` (tokens per language) and ``fim`` (documents per FIM mode)."""
    ordered = sorted(documents, key=lambda d: (d.key, d.sample_id))
    prefix = shard_prefix(index, count)
    bin_file, idx_file = write_indexed_dataset(folder, prefix, [d.tokens for d in ordered], dtype)
    languages: dict[str, int] = {}
    modes = {PLAIN: 0, PSM: 0, SPM: 0}
    for document in ordered:
        modes[document.mode] += 1
        for language, n in document.languages.items():
            languages[language] = languages.get(language, 0) + n
    return {
        "index": index,
        "prefix": prefix,
        "documents": len(ordered),
        "tokens": sum(len(d.tokens) for d in ordered),
        "bin_sha256": bin_file.sha256,
        "bin_bytes": bin_file.n_bytes,
        "idx_sha256": idx_file.sha256,
        "idx_bytes": idx_file.n_bytes,
        "languages": dict(sorted(languages.items())),
        "fim": modes,
    }


def read_tokenizer(path: str) -> str:
    """The ``tokenizer.json`` at ``path`` (any Beam filesystem) with the special tokens, as JSON."""
    with FileSystems.open(path) as handle:
        return load_tokenizer_json(handle.read().decode("utf-8"))


def tokenizer_for(samples: Sequence[Mapping[str, Any]], config: ShardsConfig) -> str:
    """The run's tokenizer as JSON: loaded from ``config.tokenizer``, or trained on the sample."""
    if config.tokenizer:
        return read_tokenizer(config.tokenizer)
    entries = within_budget(
        (TrainingEntry(sample_key(s["sample_id"]), s["sample_id"], s["text"]) for s in samples),
        config.train_sample_bytes)
    return train_tokenizer([e.text for e in entries], config.vocab_size).to_str()


def encode_settings(config: ShardsConfig, tokenizer_json: str) -> EncodeSettings:
    dtype = token_dtype(vocab_size(encoding_tokenizer(tokenizer_json)))
    return EncodeSettings(config.fim_rate, config.fim_spm_rate, config.seed, config.piece_chars, dtype)


def write_shard_set(folder: str, samples: Sequence[Mapping[str, Any]], config: ShardsConfig,
                    tokenizer_json: str = "") -> dict[str, Any]:
    """Tokenize ``samples`` into ``folder`` (shards, tokenizer, manifest); returns the manifest."""
    tokenizer_json = tokenizer_json or tokenizer_for(samples, config)
    tokenizer = encoding_tokenizer(tokenizer_json)
    settings = encode_settings(config, tokenizer_json)
    documents: list[EncodedDocument] = []
    for start in range(0, len(samples), max(1, config.batch_documents)):
        batch = samples[start:start + max(1, config.batch_documents)]
        documents += encode_samples(tokenizer, special_ids(tokenizer), batch, settings)
    boundaries = shard_boundaries([d.key for d in documents], [len(d.tokens) for d in documents],
                                  config.target_shard_tokens)
    by_shard: dict[int, list[EncodedDocument]] = {}
    for document in documents:
        by_shard.setdefault(shard_of(document.key, boundaries), []).append(document)
    summaries = [write_shard(folder, index, len(boundaries) + 1, by_shard[index], settings.dtype)
                 for index in sorted(by_shard)]
    manifest = build_manifest(summaries, tokenizer_json, settings.dtype, config)
    write_shard_set_files(folder, tokenizer_json, manifest)
    return manifest
