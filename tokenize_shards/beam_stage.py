"""The tokenize-and-shard stage as a Beam transform (plain functions do the work).

``samples | WriteShards(config, out)`` writes ``out/shards/`` (shards, ``tokenizer.json``,
``manifest.json``) and returns one summary dict per shard (``index, prefix, documents,
tokens, bin_sha256, bin_bytes, idx_sha256, idx_bytes, languages, fim``).

Steps and their memory bounds (the only global steps are the first and the third):

1. Tokenizer: read from ``config.tokenizer``, or trained on one worker from a global
   combine that keeps the samples of smallest ``hash(sample_id)`` within
   ``train_sample_bytes`` (each partial combine holds at most about twice that much text).
2. Encode: batches of ``batch_documents`` samples, FIM and tokenizer threads per batch.
3. Shard cuts: a global combine of each document's (shuffle key, token count) as numpy
   arrays, 16 bytes per document, gives the shard boundaries (a side input).
4. Write: group by shard, sort by shuffle key, write ``.bin``/``.idx`` atomically; a
   shard's tokens are in memory while it is written (``target_shard_tokens`` x dtype size).
5. Manifest: the per-shard summaries, gathered once, become ``manifest.json`` (written
   last, after ``tokenizer.json``).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

import apache_beam as beam
import numpy as np
from pipeline.storage import FileSystems

from tokenize_shards.config import ShardsConfig
from tokenize_shards.encode import EncodedDocument, encode_samples
from tokenize_shards.manifest_writer import build_manifest, write_shard_set_files
from tokenize_shards.packing import boundaries_from_histogram, bucket_of, shard_of, token_histogram
from tokenize_shards.shard_writer import encode_settings, read_tokenizer, write_shard
from tokenize_shards.tokenizer import encoding_tokenizer, special_ids, token_dtype, train_tokenizer, vocab_size
from tokenize_shards.training_sample import TrainingEntry, sample_key, within_budget

SHARDS = "shards"


class TrainingSampleFn(beam.CombineFn):
    """Keeps the training sample (see :mod:`tokenize_shards.training_sample`) of its inputs."""

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes

    def create_accumulator(self) -> tuple[list[TrainingEntry], int]:
        return [], 0

    def add_input(self, accumulator, sample):
        entries, held = accumulator
        entries.append(TrainingEntry(sample_key(sample["sample_id"]), sample["sample_id"], sample["text"]))
        held += len(sample["text"])
        if held > 2 * self.budget:
            entries = within_budget(entries, self.budget)
            held = sum(len(e.text) for e in entries)
        return entries, held

    def merge_accumulators(self, accumulators):
        merged = [entry for entries, _ in accumulators for entry in entries]
        merged = within_budget(merged, self.budget)
        return merged, sum(len(e.text) for e in merged)

    def extract_output(self, accumulator) -> list[str]:
        return [entry.text for entry in within_budget(accumulator[0], self.budget)]


class ShardBoundariesFn(beam.CombineFn):
    """(shuffle key, tokens) of every document -> the shard boundaries, through a fixed-size
    token histogram (:func:`tokenize_shards.packing.token_histogram`)."""

    def __init__(self, target_tokens: int):
        self.target = target_tokens

    def create_accumulator(self):
        return token_histogram([], [])

    def add_input(self, accumulator, key_tokens):
        accumulator[bucket_of(key_tokens[0])] += key_tokens[1]
        return accumulator

    def merge_accumulators(self, accumulators):
        accumulators = list(accumulators)
        return sum(accumulators[1:], accumulators[0].copy())

    def extract_output(self, accumulator) -> list[int]:
        return boundaries_from_histogram(accumulator, self.target)


def _to_record(document: EncodedDocument) -> dict[str, Any]:
    return {"sample_id": document.sample_id, "key": document.key, "n_tokens": len(document.tokens),
            "tokens": document.tokens.tobytes(), "mode": document.mode, "languages": document.languages}


def _from_record(record: dict[str, Any], dtype: np.dtype) -> EncodedDocument:
    return EncodedDocument(record["sample_id"], record["key"], np.frombuffer(record["tokens"], dtype=dtype),
                           record["mode"], record["languages"])


class _EncodeBatch(beam.DoFn):
    """A batch of samples -> encoded document records (tokens as bytes in the shard dtype).

    ``progress``: any object with ``add(stage, kind, files, nbytes)`` (the run's live
    counters); told the documents and tokens of each encoded batch as ``shards``."""

    def __init__(self, config: ShardsConfig, progress: Any = None):
        self.config = config
        self.progress = progress
        self._source: Optional[str] = None
        self._encoder = None

    def finish_bundle(self):
        if self.progress is not None:
            self.progress.flush()

    def process(self, batch: list[dict[str, Any]], tokenizer_json: str) -> Iterable[dict[str, Any]]:
        if self._source != tokenizer_json:
            tokenizer = encoding_tokenizer(tokenizer_json)
            self._encoder = (tokenizer, special_ids(tokenizer), encode_settings(self.config, tokenizer_json))
            self._source = tokenizer_json
        tokenizer, specials, settings = self._encoder
        tokens = 0
        for document in encode_samples(tokenizer, specials, batch, settings):
            tokens += len(document.tokens)
            yield _to_record(document)
        if self.progress is not None:
            self.progress.add(PROGRESS_SHARDS, "kept", len(batch), tokens)


PROGRESS_TOKENIZER, PROGRESS_SHARDS = "tokenizer", "shards"


def _train(texts: list[str], vocab: int, progress: Any = None) -> str:
    """Train the tokenizer on the sampled texts; tells ``progress`` when it starts and ends."""
    if progress is not None:
        progress.add(PROGRESS_TOKENIZER, "in", len(texts), sum(len(t) for t in texts))
        progress.flush()
    text = train_tokenizer(texts, vocab).to_str()
    if progress is not None:
        progress.add(PROGRESS_TOKENIZER, "kept", len(texts), sum(len(t) for t in texts))
        progress.flush()
    return text


def _dtype_name(tokenizer_json: str) -> str:
    return token_dtype(vocab_size(encoding_tokenizer(tokenizer_json))).name


class WriteShards(beam.PTransform):
    """Tokenize final samples into Megatron shards under ``out/shards`` (see module doc)."""

    def __init__(self, config: ShardsConfig, out: str, progress: Any = None):
        super().__init__()
        self.config = config
        self.folder = FileSystems.join(out, SHARDS)
        self.progress = progress  # live counters (see _EncodeBatch); None: no reports

    def expand(self, samples):
        config, folder, progress = self.config, self.folder, self.progress
        batch = max(1, config.batch_documents)
        if config.tokenizer:
            tokenizer_json = (samples.pipeline | "TokenizerPath" >> beam.Create([config.tokenizer])
                              | "LoadTokenizer" >> beam.Map(read_tokenizer))
        else:
            tokenizer_json = (
                samples
                | "TrainingSample" >> beam.CombineGlobally(TrainingSampleFn(config.train_sample_bytes))
                | "TrainTokenizer" >> beam.Map(_train, config.vocab_size, progress)
            )
        tokenizer = beam.pvalue.AsSingleton(tokenizer_json)
        dtype = beam.pvalue.AsSingleton(tokenizer_json | "Dtype" >> beam.Map(_dtype_name))

        encoded = (
            samples
            | "Batch" >> beam.BatchElements(min_batch_size=batch, max_batch_size=batch)
            | "Encode" >> beam.ParDo(_EncodeBatch(config, progress), tokenizer)
        )
        boundaries = beam.pvalue.AsSingleton(
            encoded
            | "KeyAndLength" >> beam.Map(lambda r: (r["key"], r["n_tokens"]))
            | "ShardBoundaries" >> beam.CombineGlobally(ShardBoundariesFn(config.target_shard_tokens))
        )

        def write(item, cuts, dtype_name):
            index, records = item
            documents = [_from_record(r, np.dtype(dtype_name)) for r in records]
            return write_shard(folder, index, len(cuts) + 1, documents, np.dtype(dtype_name))

        summaries = (
            encoded
            | "AssignShard" >> beam.Map(lambda r, cuts: (shard_of(r["key"], cuts), r), boundaries)
            | "GroupByShard" >> beam.GroupByKey()
            | "WriteShard" >> beam.Map(write, boundaries, dtype)
        )

        def finish(all_summaries, tokenizer_text, dtype_name):
            manifest = build_manifest(all_summaries, tokenizer_text, np.dtype(dtype_name), config)
            write_shard_set_files(folder, tokenizer_text, manifest)

        (summaries
         | "AllSummaries" >> beam.combiners.ToList()
         | "WriteManifest" >> beam.Map(finish, tokenizer, dtype))
        return summaries
