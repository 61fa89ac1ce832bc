"""DeepSeek-Coder's special tokens, with their exact characters.

The bars are U+FF5C (FULLWIDTH VERTICAL LINE) and ``▁`` is U+2581 (LOWER ONE EIGHTH BLOCK),
as in deepseek-ai/deepseek-coder's ``tokenizer.json``; ``<pad>`` and ``<|EOT|>`` are ASCII.
"""
from __future__ import annotations

from typing import NamedTuple

BOS = "<\uff5cbegin\u2581of\u2581sentence\uff5c>"
EOS = "<\uff5cend\u2581of\u2581sentence\uff5c>"
FIM_HOLE = "<\uff5cfim\u2581hole\uff5c>"
FIM_BEGIN = "<\uff5cfim\u2581begin\uff5c>"
FIM_END = "<\uff5cfim\u2581end\uff5c>"
PAD = "<pad>"
EOT = "<|EOT|>"

# name -> content, in the order they are added to a tokenizer (so trained ids are fixed)
SPECIAL_TOKENS: dict[str, str] = {
    "bos": BOS, "eos": EOS, "fim_hole": FIM_HOLE, "fim_begin": FIM_BEGIN,
    "fim_end": FIM_END, "pad": PAD, "eot": EOT,
}


class SpecialIds(NamedTuple):
    """Token ids of the special tokens in one tokenizer."""

    bos: int
    eos: int
    fim_hole: int
    fim_begin: int
    fim_end: int
    pad: int
    eot: int
