"""Tokenizer: trained byte-level BPE with DeepSeek-Coder's special tokens, loading, pieces."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer, models, pre_tokenizers

from tokenize_shards.pieces import split_pieces
from tokenize_shards.special_tokens import SPECIAL_TOKENS
from tokenize_shards.tokenizer import (
    encoding_tokenizer, load_tokenizer_json, special_ids, token_dtype, train_tokenizer, vocab_size,
)
from tokenize_shards.training_sample import TrainingEntry, within_budget

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "pipeline" / "sample_corpus"


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file():
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue
    return texts


@pytest.fixture(scope="module")
def trained() -> Tokenizer:
    return train_tokenizer(corpus_texts(), 32_000)


def test_special_tokens_have_deepseek_coders_exact_characters():
    assert list(SPECIAL_TOKENS.values()) == [
        "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜fim▁hole｜>", "<｜fim▁begin｜>",
        "<｜fim▁end｜>", "<pad>", "<|EOT|>",
    ]
    assert {hex(ord(c)) for c in SPECIAL_TOKENS["fim_hole"] if ord(c) > 127} == {"0xff5c", "0x2581"}


def test_special_tokens_follow_the_trained_base_vocabulary(trained):
    base = trained.get_vocab_size(with_added_tokens=False)
    assert list(special_ids(trained)) == list(range(base, base + 7))
    assert vocab_size(trained) == base + 7


def test_small_corpus_stops_short_of_the_requested_vocabulary(trained):
    assert 256 < trained.get_vocab_size(with_added_tokens=False) < 32_000


def test_special_token_text_inside_code_is_not_encoded_as_a_special_id(trained):
    encoder = encoding_tokenizer(trained.to_str())
    code = f"s = '{SPECIAL_TOKENS['fim_hole']}' + '{SPECIAL_TOKENS['eos']}' + '<pad>'\n"
    ids = encoder.encode(code, add_special_tokens=False).ids
    assert not set(ids) & set(special_ids(trained))
    assert encoder.decode(ids, skip_special_tokens=False) == code


def test_encoding_round_trips_every_corpus_file(trained):
    encoder = encoding_tokenizer(trained.to_str())
    texts = corpus_texts()
    decoded = encoder.decode_batch([e.ids for e in encoder.encode_batch(texts, add_special_tokens=False)],
                                   skip_special_tokens=False)
    assert decoded == texts


TRAIN_SCRIPT = """
import hashlib, sys
sys.path.insert(0, {root!r})
from tests.test_tokenizer import corpus_texts
from tokenize_shards.tokenizer import train_tokenizer
print(hashlib.sha256(train_tokenizer(corpus_texts(), 32000).to_str().encode()).hexdigest())
"""


@pytest.mark.parametrize("threads", ["1", "2"])
def test_training_gives_identical_bytes_in_another_process_and_thread_count(trained, threads):
    env = {**os.environ, "RAYON_NUM_THREADS": threads, "PYTHONHASHSEED": "random"}
    result = subprocess.run([sys.executable, "-c", TRAIN_SCRIPT.format(root=str(ROOT))],
                            env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == hashlib.sha256(trained.to_str().encode()).hexdigest()


def test_loading_adds_missing_special_tokens_and_keeps_existing_ids():
    vocab = {chr(c): i for i, c in enumerate(range(ord("a"), ord("z") + 1))}
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.add_tokens(["<pad>"])
    pad_id = tokenizer.token_to_id("<pad>")
    loaded = Tokenizer.from_str(load_tokenizer_json(tokenizer.to_str()))
    ids = special_ids(loaded)
    assert ids.pad == pad_id
    assert None not in ids and len(set(ids)) == 7
    assert all(t.special for t in loaded.get_added_tokens_decoder().values())


def test_token_dtype_is_uint16_while_every_id_fits_else_int32():
    assert token_dtype(32_007) == np.uint16
    assert token_dtype(65_536) == np.uint16
    assert token_dtype(65_537) == np.int32


TRICKY = (
    "def f():  \n\treturn 1\r\n\r\n\n    \n  x = 'é'\n" + "y" * 900 + "\n)\n\n\n  # ✓ done \n"
    + "\n".join(f"    value_{i} = compute({i}, ' spaced ')   " for i in range(200)) + "\nend"
)


@pytest.mark.parametrize("piece_chars", [16, 64, 512])
def test_piecewise_encoding_equals_whole_encoding(trained, piece_chars):
    encoder = encoding_tokenizer(trained.to_str())
    for text in corpus_texts() + [TRICKY]:
        pieces = split_pieces(text, piece_chars)
        piecewise = [i for e in encoder.encode_batch(pieces, add_special_tokens=False) for i in e.ids]
        assert piecewise == encoder.encode(text, add_special_tokens=False).ids


def test_pieces_join_back_to_the_text_and_start_at_a_newline_after_a_printable_character():
    text = "".join(f"row {i} = [{i}]  \n\tcall({i});\n\n" for i in range(100)) + TRICKY
    pieces = split_pieces(text, 40)
    assert "".join(pieces) == text
    assert len(pieces) > 50
    for before, piece in zip(pieces, pieces[1:]):
        assert piece.startswith("\n") and "!" <= before[-1] <= "~"


def test_pieces_stay_near_the_requested_size_when_cut_points_allow():
    text = "".join(f"line{i}\n" for i in range(1000))
    assert max(len(p) for p in split_pieces(text, 100)) <= 100


def test_text_without_a_cut_point_stays_whole():
    text = "x" * 500 + " \n" * 100
    assert split_pieces(text, 50) == [text]


def entries(n: int) -> list[TrainingEntry]:
    return [TrainingEntry(key=(i * 7919) % 1000, sample_id=f"s{i}", text=f"text {i} " * (i % 5 + 1)) for i in range(n)]


def test_training_sample_is_the_same_whatever_the_order_or_split_of_its_input():
    items = entries(60)
    whole = within_budget(items, 300)
    parts = [within_budget(items[i::3], 300) for i in range(3)]
    assert within_budget([e for p in parts for e in p], 300) == whole
    assert within_budget(list(reversed(items)), 300) == whole


def test_training_sample_takes_smallest_keys_and_cuts_the_last_text_to_the_budget():
    kept = within_budget(entries(60), 300)
    assert [e.key for e in kept] == sorted(e.key for e in entries(60))[: len(kept)]
    assert sum(len(e.text.encode()) for e in kept) == 300
