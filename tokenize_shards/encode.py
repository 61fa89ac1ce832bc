"""Turn curated samples into token documents: FIM layout, batched encoding, framing.

All text pieces of a batch of documents (FIM parts, each cut by :mod:`tokenize_shards.pieces`)
go to the Rust tokenizer in one ``encode_batch_fast`` call, so its threads share the work
even when a batch holds one long document; each document's ids are then the concatenation
of its pieces' ids with the special-token ids where the layout puts them.
"""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np
from tokenizers import Tokenizer

from tokenize_shards.fim import Layout, Special, fim_layout
from tokenize_shards.language_share import language_tokens
from tokenize_shards.packing import shuffle_key
from tokenize_shards.pieces import split_pieces
from tokenize_shards.special_tokens import SpecialIds


class EncodeSettings(NamedTuple):
    fim_rate: float
    fim_spm_rate: float
    seed: int
    piece_chars: int
    dtype: np.dtype


class EncodedDocument(NamedTuple):
    sample_id: str
    key: int                       # shuffle key, see tokenize_shards.packing
    tokens: np.ndarray             # ids in the shard dtype
    mode: str                      # plain, psm or spm
    languages: dict[str, int]      # tokens per language


def encode_layouts(tokenizer: Tokenizer, specials: SpecialIds, layouts: Sequence[Layout],
                   piece_chars: int, dtype: np.dtype) -> list[np.ndarray]:
    """Token ids of each layout (text encoded without the tokenizer's own special tokens)."""
    pieces: list[str] = []
    plans: list[list[Any]] = []
    for layout in layouts:
        plan: list[Any] = []
        for item in layout.items:
            if isinstance(item, Special):
                plan.append(getattr(specials, item.name))
            elif item:
                chunks = split_pieces(item, piece_chars)
                plan.append(range(len(pieces), len(pieces) + len(chunks)))
                pieces.extend(chunks)
        plans.append(plan)
    encodings = tokenizer.encode_batch_fast(pieces, add_special_tokens=False) if pieces else []
    documents = []
    for plan in plans:
        ids: list[int] = []
        for step in plan:
            if isinstance(step, range):
                for k in step:
                    ids.extend(encodings[k].ids)
            else:
                ids.append(step)
        documents.append(np.array(ids, dtype=dtype))
    return documents


def encode_samples(tokenizer: Tokenizer, specials: SpecialIds, samples: Sequence[Mapping[str, Any]],
                   settings: EncodeSettings) -> list[EncodedDocument]:
    """Encode curated samples (``sample_id``, ``text``, ``languages``, optional ``offsets``)."""
    layouts = [
        fim_layout(s["text"], s["sample_id"], rate=settings.fim_rate,
                   spm_rate=settings.fim_spm_rate, seed=settings.seed)
        for s in samples
    ]
    arrays = encode_layouts(tokenizer, specials, layouts, settings.piece_chars, settings.dtype)
    return [
        EncodedDocument(
            sample_id=s["sample_id"],
            key=shuffle_key(settings.seed, s["sample_id"]),
            tokens=tokens,
            mode=layout.mode,
            languages=language_tokens(len(tokens), list(s.get("languages") or ()), len(s["text"]),
                                      s.get("offsets")),
        )
        for s, layout, tokens in zip(samples, layouts, arrays)
    ]
