"""The WriteShards Beam stage: same bytes as the in-process writer, on any runner."""
from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from tokenize_shards import open_shards
from tokenize_shards.beam_stage import WriteShards
from tokenize_shards.config import ShardsConfig
from tokenize_shards.shard_writer import write_shard_set

CORPUS = Path(__file__).resolve().parents[1] / "pipeline" / "sample_corpus"
CONFIG = ShardsConfig(target_shard_tokens=15_000, fim_spm_rate=0.25, seed=3, batch_documents=16)


def corpus_samples() -> list[dict]:
    """One sample per text file of the bundled corpus (its language: the extension)."""
    samples = []
    for path in sorted(CORPUS.rglob("*")):
        try:
            text = path.read_text(encoding="utf-8") if path.is_file() else None
        except UnicodeDecodeError:
            continue
        if text is not None:
            rel = str(path.relative_to(CORPUS))
            samples.append({"sample_id": rel, "repo_name": rel.split("/")[0], "text": text,
                            "languages": [path.suffix.lstrip(".") or "none"], "offsets": [0],
                            "n_bytes": len(text.encode("utf-8"))})
    return samples


def run_stage(out: Path, config: ShardsConfig = CONFIG, args: tuple[str, ...] = ()) -> list[dict]:
    summaries_file = out / "summaries"
    with beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions(list(args))) as p:
        summaries = p | beam.Create(corpus_samples()) | WriteShards(config, str(out))
        (summaries
         | beam.Map(lambda s: f"{s['index']} {s['documents']} {s['tokens']}")
         | beam.io.WriteToText(str(summaries_file), shard_name_template=""))
    return [dict(zip(("index", "documents", "tokens"), map(int, line.split())))
            for line in summaries_file.read_text().splitlines()]


def shard_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "shards").iterdir())}


@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    out = tmp_path_factory.mktemp("beam")
    summaries = run_stage(out)
    return out, summaries


def test_beam_stage_writes_the_same_bytes_as_the_in_process_writer(in_process, tmp_path):
    out, _ = in_process
    write_shard_set(str(tmp_path / "shards"), corpus_samples(), CONFIG)
    assert shard_files(out) == shard_files(tmp_path)


def test_multi_process_runner_writes_identical_bytes(in_process, tmp_path):
    out, _ = in_process
    run_stage(tmp_path, args=("--direct_num_workers", "2", "--direct_running_mode", "multi_processing"))
    assert shard_files(tmp_path) == shard_files(out)


def test_summaries_count_every_document_and_token_once(in_process):
    out, summaries = in_process
    shards = open_shards(str(out / "shards"))
    assert len(summaries) == len(shards.manifest["shards"]) > 1
    assert sum(s["documents"] for s in summaries) == shards.num_documents == len(corpus_samples())
    assert sum(s["tokens"] for s in summaries) == shards.num_tokens


def test_a_given_tokenizer_is_loaded_and_written_beside_the_shards(in_process, tmp_path):
    out, _ = in_process
    given = out / "shards" / "tokenizer.json"
    run_stage(tmp_path, ShardsConfig(tokenizer=str(given), fim_rate=0.0))
    shards = open_shards(str(tmp_path / "shards"))
    assert Path(shards.tokenizer_path).read_bytes() == given.read_bytes()
    assert shards.manifest["tokenizer"]["source"] == str(given)
    assert shards.manifest["fim"]["documents"]["plain"] == shards.num_documents


def test_an_empty_corpus_still_writes_a_tokenizer_and_an_empty_manifest(tmp_path):
    with beam.Pipeline(runner=FnApiRunner()) as p:
        _ = p | beam.Create([]) | WriteShards(ShardsConfig(), str(tmp_path))
    shards = open_shards(str(tmp_path / "shards"))
    assert (shards.num_documents, shards.num_tokens, len(shards.windows(8))) == (0, 0, 0)
    assert shards.manifest["shards"] == [] and Path(shards.tokenizer_path).is_file()
