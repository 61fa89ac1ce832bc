"""Shards in Megatron's indexed dataset format: byte layout, dtype, shuffle, cuts, atomicity."""
from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from tokenizers import Tokenizer, models, pre_tokenizers

from tokenize_shards.config import ShardsConfig
from tokenize_shards.indexed_dataset import IndexFormatError, parse_index
from tokenize_shards.packing import shuffle_key
from tokenize_shards.reader import open_shards
from tokenize_shards.shard_writer import write_indexed_dataset, write_shard_set
from tokenize_shards.special_tokens import SPECIAL_TOKENS
from tokenize_shards.tokenizer import train_tokenizer


def samples(n: int) -> list[dict]:
    return [{"sample_id": f"repo{i}/main.py", "repo_name": f"repo{i}", "languages": ["Python"],
             "text": f"def f{i}(x):\n    return x * {i}\n" * (1 + i % 4)} for i in range(n)]


@pytest.fixture(scope="module")
def tokenizer_json() -> str:
    return train_tokenizer([s["text"] for s in samples(30)], 300).to_str()


def test_index_follows_megatrons_byte_layout(tmp_path):
    docs = [np.array([1, 2, 3]), np.array([], dtype=np.int64), np.array([7, 8, 9, 10, 11])]
    write_indexed_dataset(str(tmp_path), "x", docs, np.dtype(np.uint16))
    data = (tmp_path / "x.idx").read_bytes()
    assert data[:9] == b"MMIDIDX\x00\x00"
    assert struct.unpack_from("<QBQQ", data, 9) == (1, 8, 3, 4)
    body = 9 + 8 + 1 + 8 + 8
    assert struct.unpack_from("<3i", data, body) == (3, 0, 5)
    assert struct.unpack_from("<3q", data, body + 12) == (0, 6, 6)
    assert struct.unpack_from("<4q", data, body + 36) == (0, 1, 2, 3)
    assert len(data) == body + 36 + 32


def test_bin_is_the_raw_little_endian_token_array(tmp_path):
    write_indexed_dataset(str(tmp_path), "x", [np.array([1, 258]), np.array([65535])], np.dtype(np.uint16))
    assert (tmp_path / "x.bin").read_bytes() == struct.pack("<3H", 1, 258, 65535)


def test_int32_shards_have_dtype_code_4_and_four_byte_pointers(tmp_path):
    write_indexed_dataset(str(tmp_path), "x", [np.array([70_000, 1]), np.array([5])], np.dtype(np.int32))
    index = parse_index((tmp_path / "x.idx").read_bytes())
    assert (tmp_path / "x.idx").read_bytes()[17] == 4
    assert index.pointers.tolist() == [0, 8]
    assert (tmp_path / "x.bin").read_bytes() == struct.pack("<3i", 70_000, 1, 5)


def test_a_vocabulary_beyond_uint16_gives_int32_shards(tmp_path):
    vocab = {f"w{i}": i for i in range(70_000)}
    big = Tokenizer(models.WordLevel(vocab=vocab, unk_token="w0"))
    big.pre_tokenizer = pre_tokenizers.Whitespace()
    path = tmp_path / "big.json"
    path.write_text(big.to_str(), encoding="utf-8")
    config = ShardsConfig(tokenizer=str(path), fim_rate=0.0)
    manifest = write_shard_set(str(tmp_path / "out"), [{"sample_id": "a", "text": "w69999 w1"}], config)
    shards = open_shards(str(tmp_path / "out"))
    assert manifest["dtype"] == "int32" and shards.dtype == np.int32
    assert shards.document(0).tolist() == [69_999, 1, manifest["tokenizer"]["special_tokens"]["eos"]["id"]]


def test_parse_index_rejects_a_wrong_magic_and_a_truncated_file(tmp_path):
    write_indexed_dataset(str(tmp_path), "x", [np.array([1, 2])], np.dtype(np.uint16))
    data = (tmp_path / "x.idx").read_bytes()
    with pytest.raises(IndexFormatError, match="magic"):
        parse_index(b"NOTMMIDX\x00" + data[9:])
    with pytest.raises(IndexFormatError, match="counts"):
        parse_index(data[:-1])


def test_documents_are_ordered_by_the_seeded_shuffle_key(tmp_path, tokenizer_json):
    items = samples(30)
    orders = []
    for seed in (0, 1):
        config = ShardsConfig(fim_rate=0.0, seed=seed, target_shard_tokens=50)
        write_shard_set(str(tmp_path / f"s{seed}"), items, config, tokenizer_json)
        shards = open_shards(str(tmp_path / f"s{seed}"))
        tokenizer = Tokenizer.from_file(shards.tokenizer_path)
        by_text = {s["text"] + SPECIAL_TOKENS["eos"]: s["sample_id"] for s in items}
        order = [by_text[tokenizer.decode(d.tolist(), skip_special_tokens=False)] for d in shards]
        assert order == sorted(order, key=lambda sid: shuffle_key(seed, sid))
        orders.append(order)
    assert orders[0] != orders[1]


def test_a_shard_is_closed_once_it_reaches_the_target_tokens(tmp_path, tokenizer_json):
    manifest = write_shard_set(str(tmp_path), samples(40), ShardsConfig(target_shard_tokens=120), tokenizer_json)
    shards = open_shards(str(tmp_path))
    assert len(manifest["shards"]) > 3
    start = 0
    for shard in manifest["shards"]:
        lengths = [len(shards.document(i)) for i in range(start, start + shard["documents"])]
        start += shard["documents"]
        assert sum(lengths) == shard["tokens"]
        assert sum(lengths[:-1]) < 120
    assert all(s["tokens"] >= 120 for s in manifest["shards"][:-1])


def test_shard_names_count_the_shards_and_no_temporary_file_remains(tmp_path, tokenizer_json):
    manifest = write_shard_set(str(tmp_path), samples(20), ShardsConfig(target_shard_tokens=200), tokenizer_json)
    n = len(manifest["shards"])
    expected = {f"shard-{i:05d}-of-{n:05d}.{ext}" for i in range(n) for ext in ("bin", "idx")}
    assert {p.name for p in tmp_path.iterdir()} == expected | {"manifest.json", "tokenizer.json"}


def test_manifest_records_tokenizer_fim_and_language_shares(tmp_path, tokenizer_json):
    items = [{"sample_id": "a", "text": "ab\ncd\n", "languages": ["Python", "C"], "offsets": [0, 3]},
             {"sample_id": "b", "text": "xyz\n", "languages": ["C"]}]
    config = ShardsConfig(fim_rate=0.0, seed=5)
    manifest = json.loads(json.dumps(write_shard_set(str(tmp_path), items, config, tokenizer_json)))
    assert manifest["fim"] == {"rate": 0.0, "spm_rate": 0.0, "seed": 5, "split": "character",
                               "documents": {"plain": 2, "psm": 0, "spm": 0}}
    assert manifest["tokenizer"]["vocab_size"] == Tokenizer.from_str(tokenizer_json).get_vocab_size()
    assert sum(v["tokens"] for v in manifest["languages"].values()) == manifest["tokens"]
    assert set(manifest["languages"]) == {"Python", "C"}


def test_megatron_core_indexed_dataset_reads_the_shards(tmp_path, tokenizer_json):
    indexed_dataset = pytest.importorskip("megatron.core.datasets.indexed_dataset")
    manifest = write_shard_set(str(tmp_path), samples(25), ShardsConfig(target_shard_tokens=150), tokenizer_json)
    shards = open_shards(str(tmp_path))
    position = 0
    for shard in manifest["shards"]:
        dataset = indexed_dataset.IndexedDataset(str(tmp_path / shard["prefix"]))
        assert len(dataset) == shard["documents"]
        assert dataset.document_indices.tolist() == list(range(shard["documents"] + 1))
        for k in range(len(dataset)):
            assert np.array_equal(dataset[k], shards.document(position))
            position += 1
    assert position == shards.num_documents
