"""Fill-in-the-middle at document level, before packing (DeepSeek-Coder §3.1).

A document is rearranged with probability ``rate``; a rearranged one is SPM with
probability ``spm_rate``, else PSM. Split points are two uniform character offsets in
``[0, len(text)]``, sorted, as in the FIM implementation of bigcode's Megatron-LM
(``permute`` in ``megatron/data/gpt_dataset.py``), which splits the document's characters,
not its tokens. The draws come from an RNG seeded by ``(seed, sample_id)``, so a document
gets the same split on any worker. Layouts, in DeepSeek-Coder's tokens (PRE = fim_begin,
SUF = fim_hole, MID = fim_end):

* plain: ``text <｜end▁of▁sentence｜>``
* PSM:   ``<｜fim▁begin｜> prefix <｜fim▁hole｜> suffix <｜fim▁end｜> middle <｜end▁of▁sentence｜>``
* SPM:   ``<｜fim▁hole｜> suffix <｜fim▁begin｜> prefix <｜fim▁end｜> middle <｜end▁of▁sentence｜>``
  (Bavarian et al. 2022's SPM: SUF suffix PRE prefix MID middle).
"""
from __future__ import annotations

import hashlib
import random
from typing import NamedTuple, Union

from tokenize_shards.special_tokens import SPECIAL_TOKENS

PLAIN, PSM, SPM = "plain", "psm", "spm"


class Special(NamedTuple):
    """A special token in a layout, by name (a key of ``SPECIAL_TOKENS``)."""

    name: str


Item = Union[str, Special]


class Layout(NamedTuple):
    mode: str
    items: tuple[Item, ...]


def fim_rng(seed: int, sample_id: str) -> random.Random:
    digest = hashlib.blake2b(f"fim\0{seed}\0{sample_id}".encode("utf-8"), digest_size=16).digest()
    return random.Random(int.from_bytes(digest, "little"))


def fim_layout(text: str, sample_id: str, *, rate: float, spm_rate: float, seed: int) -> Layout:
    """The document as text pieces and special tokens, rearranged or not (see module doc)."""
    rng = fim_rng(seed, sample_id)
    if rng.random() >= rate:
        return Layout(PLAIN, (text, Special("eos")))
    spm = rng.random() < spm_rate
    low, high = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
    prefix, middle, suffix = text[:low], text[low:high], text[high:]
    if spm:
        items = (Special("fim_hole"), suffix, Special("fim_begin"), prefix, Special("fim_end"), middle)
    else:
        items = (Special("fim_begin"), prefix, Special("fim_hole"), suffix, Special("fim_end"), middle)
    return Layout(SPM if spm else PSM, items + (Special("eos"),))


def render(layout: Layout) -> str:
    """The layout as one string, special tokens written as their text (what decoding gives)."""
    return "".join(SPECIAL_TOKENS[item.name] if isinstance(item, Special) else item for item in layout.items)
