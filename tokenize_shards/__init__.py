"""Tokenizer, FIM, Megatron indexed shards and their reader (pipeline step 7).

The reader is the public face for training code (see :mod:`tokenize_shards.reader`);
the Beam stage is :class:`tokenize_shards.beam_stage.WriteShards`.
"""
from __future__ import annotations

from tokenize_shards.indexed_dataset import IndexFormatError
from tokenize_shards.manifest import ShardChecksumError
from tokenize_shards.reader import Shards, Window, Windows, open_shards

__all__ = ["IndexFormatError", "ShardChecksumError", "Shards", "Window", "Windows", "open_shards"]
