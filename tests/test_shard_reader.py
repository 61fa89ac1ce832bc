"""The shard reader: documents, checksums, and fixed-length windows for training."""
from __future__ import annotations

import pickle
import shutil

import numpy as np
import pytest
from tokenizers import Tokenizer

from tokenize_shards import IndexFormatError, ShardChecksumError, open_shards
from tokenize_shards.config import ShardsConfig
from tokenize_shards.fim import fim_layout, render
from tokenize_shards.shard_writer import write_shard_set
from tokenize_shards.tokenizer import train_tokenizer

CONFIG = ShardsConfig(target_shard_tokens=300, fim_rate=0.5, seed=11)


def samples() -> list[dict]:
    return [{"sample_id": f"r{i}", "repo_name": f"r{i}", "languages": ["Go"],
             "text": f"package p{i}\n\nfunc F{i}() int {{\n\treturn {i}\n}}\n" * (1 + i % 3)} for i in range(40)]


@pytest.fixture(scope="module")
def shard_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shards")
    tokenizer_json = train_tokenizer([s["text"] for s in samples()], 350).to_str()
    write_shard_set(str(folder), samples(), CONFIG, tokenizer_json)
    return folder


@pytest.fixture(scope="module")
def shards(shard_dir):
    return open_shards(str(shard_dir))


def stream(shards) -> np.ndarray:
    return np.concatenate([d.astype(np.int64) for d in shards])


def test_every_document_decodes_to_its_text_or_fim_rearrangement(shards):
    tokenizer = Tokenizer.from_file(shards.tokenizer_path)
    decoded = sorted(tokenizer.decode(d.tolist(), skip_special_tokens=False) for d in shards)
    expected = sorted(render(fim_layout(s["text"], s["sample_id"], rate=CONFIG.fim_rate,
                                        spm_rate=CONFIG.fim_spm_rate, seed=CONFIG.seed)) for s in samples())
    assert decoded == expected


def test_counts_and_dtype_match_the_manifest(shards):
    assert len(shards.manifest["shards"]) > 1
    assert shards.num_documents == len(shards) == shards.manifest["documents"] == 40
    assert shards.num_tokens == shards.manifest["tokens"] == len(stream(shards))
    assert shards.dtype == np.uint16 and shards.vocab_size == shards.manifest["tokenizer"]["vocab_size"]


def test_documents_are_read_only_views_into_the_memory_map(shards):
    document = shards.document(3)
    assert isinstance(document.base, np.memmap) or isinstance(document, np.memmap)
    with pytest.raises(ValueError):
        document[0] = 1


def test_a_corrupted_byte_is_a_checksum_error_naming_the_file(shard_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(shard_dir, copy)
    victim = sorted(copy.glob("*.bin"))[-1]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    with pytest.raises(ShardChecksumError, match=victim.name):
        open_shards(str(copy))
    assert open_shards(str(copy), verify=False).num_documents == 40


def test_a_missing_shard_file_is_a_checksum_error(shard_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(shard_dir, copy)
    sorted(copy.glob("*.idx"))[0].unlink()
    with pytest.raises(ShardChecksumError, match="missing"):
        open_shards(str(copy))


def test_a_truncated_index_is_a_format_error_even_unverified(shard_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(shard_dir, copy)
    index = sorted(copy.glob("*.idx"))[0]
    index.write_bytes(index.read_bytes()[:-8])
    with pytest.raises(IndexFormatError):
        open_shards(str(copy), verify=False)


def test_a_folder_without_manifest_is_not_a_shard_set(tmp_path):
    with pytest.raises(FileNotFoundError, match="manifest.json"):
        open_shards(str(tmp_path))


@pytest.mark.parametrize("seq_len", [1, 7, 64, 500])
def test_windows_cover_the_stream_with_stride_seq_len_across_shards(shards, seq_len):
    tokens = stream(shards)
    windows = shards.windows(seq_len)
    assert len(windows) == (len(tokens) - 1) // seq_len
    for i in range(len(windows)):
        window = windows[i]
        assert window.tokens.dtype == np.int64 and len(window.tokens) == seq_len + 1
        assert np.array_equal(window.tokens, tokens[i * seq_len:(i + 1) * seq_len + 1])


def test_positions_count_up_without_document_masking(shards):
    assert shards.windows(50)[2].positions.tolist() == list(range(51))


def test_positions_restart_at_each_document_start_with_document_masking(shards):
    lengths = [len(d) for d in shards]
    starts = set(np.cumsum([0] + lengths[:-1]).tolist())
    seq_len = 50
    window = shards.windows(seq_len, document_masking=True)[3]
    begin = 3 * seq_len
    for j, position in enumerate(window.positions.tolist()):
        if j == 0:
            assert position == 0
        elif begin + j in starts:
            assert position == 0
        else:
            assert position == window.positions[j - 1] + 1
    assert 0 in window.positions[1:]


def test_window_documents_name_each_tokens_document(shards):
    lengths = [len(d) for d in shards]
    owner = np.repeat(np.arange(len(lengths)), lengths)
    window = shards.windows(40)[5]
    assert np.array_equal(window.documents, owner[200:241])


def test_window_index_out_of_range_raises_index_error(shards):
    windows = shards.windows(64)
    with pytest.raises(IndexError):
        windows[len(windows)]
    assert np.array_equal(windows[-1].tokens, windows[len(windows) - 1].tokens)


def test_shards_pickle_as_their_folder_for_loader_workers(shards):
    payload = pickle.dumps(shards.windows(32))
    assert len(payload) < 2000
    restored = pickle.loads(payload)
    assert np.array_equal(restored[4].tokens, shards.windows(32)[4].tokens)
