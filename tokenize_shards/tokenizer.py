"""The tokenizer: train a byte-level BPE, or load any HF ``tokenizer.json``; both get
DeepSeek-Coder's special tokens.

Training is deterministic: the same texts in the same order give the same
``tokenizer.json`` bytes, single- or multi-threaded (checked by the tests in separate
processes, since the trainer keeps Rust hash maps). A small corpus cannot fill the
vocabulary; the trainer then stops early and :func:`vocab_size` tells the real size.

The tokenizer used for encoding has ``encode_special_tokens`` set, so a special token's
literal text inside source code is encoded as ordinary bytes, never as the special id;
special ids enter a document only where the FIM/EOS framing puts them.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers

from tokenize_shards.special_tokens import SPECIAL_TOKENS, SpecialIds

UINT16_LIMIT = 1 << 16


def train_tokenizer(texts: Iterable[str], vocab_size: int) -> Tokenizer:
    """A byte-level BPE (GPT-2 style pre-tokenizer and decoder) of at most ``vocab_size``
    base tokens trained on ``texts``, with the special tokens added after them."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return with_special_tokens(tokenizer)


def with_special_tokens(tokenizer: Tokenizer) -> Tokenizer:
    """Add the special tokens (as special, unnormalized); ones already present keep their ids."""
    tokenizer.add_special_tokens([
        AddedToken(content, special=True, normalized=False) for content in SPECIAL_TOKENS.values()
    ])
    return tokenizer


def load_tokenizer_json(text: str) -> str:
    """Any HF ``tokenizer.json`` text -> the same tokenizer with the special tokens, as JSON."""
    return with_special_tokens(Tokenizer.from_str(text)).to_str()


def encoding_tokenizer(tokenizer_json: str) -> Tokenizer:
    """The tokenizer to encode document text with: special-token text stays plain text."""
    tokenizer = Tokenizer.from_str(tokenizer_json)
    tokenizer.encode_special_tokens = True
    return tokenizer


def special_ids(tokenizer: Tokenizer) -> SpecialIds:
    return SpecialIds(**{name: tokenizer.token_to_id(content) for name, content in SPECIAL_TOKENS.items()})


def vocab_size(tokenizer: Tokenizer) -> int:
    """Embedding rows a model needs: the largest token id plus one (added tokens included)."""
    return max(tokenizer.get_vocab(with_added_tokens=True).values()) + 1


def token_dtype(n_vocab: int) -> np.dtype:
    """uint16 while every id fits, else int32 (Megatron's two token dtypes)."""
    return np.dtype(np.uint16) if n_vocab <= UINT16_LIMIT else np.dtype(np.int32)
