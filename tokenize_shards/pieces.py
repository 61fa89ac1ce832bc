"""Cut long texts into pieces that encode, piece by piece, to exactly the tokens of the whole.

A cut goes just before a ``\\n`` whose preceding character is printable ASCII other than
space (``!``..``~``). With GPT-2's byte-level pre-tokenization regex (the default
tokenizer's) no pre-token contains both such a character and a newline, and the regex has
no look-behind and looks ahead only inside whitespace runs, so the pre-tokens on either
side of the cut are the same as in the whole text; BPE never merges across pre-tokens.
``tests/test_tokenizer.py`` checks piece-wise == whole encoding. A loaded tokenizer with
another pre-tokenizer may differ at cuts; ``piece_chars=0`` encodes documents whole.
"""
from __future__ import annotations

import re

_CUT = re.compile(r"(?<=[!-~])\n")


def split_pieces(text: str, piece_chars: int) -> list[str]:
    """Consecutive pieces of ``text``, each cut at the last cut point within ``piece_chars``
    characters (or the first after, for a longer run without one); ``[text]`` if
    ``piece_chars <= 0`` or the text is short."""
    if piece_chars <= 0 or len(text) <= piece_chars:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > piece_chars:
        cut = _last_cut(text, start + 1, start + piece_chars)
        if cut < 0:
            match = _CUT.search(text, start + piece_chars + 1)
            if match is None:
                break
            cut = match.start()
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _last_cut(text: str, low: int, high: int) -> int:
    """The largest cut point in ``[low, high]`` (``low >= 1``), or -1."""
    i = text.rfind("\n", low, high + 1)
    while i >= low:
        if "!" <= text[i - 1] <= "~":
            return i
        i = text.rfind("\n", low, i)
    return -1
