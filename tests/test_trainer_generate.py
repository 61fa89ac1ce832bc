"""Prompts in the training layout (FIM as DeepSeek-Coder's code insertion) and decoding."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from tokenize_shards.encode import EncodeSettings, encode_samples
from tokenize_shards.fim import PSM, fim_layout
from tokenize_shards.special_tokens import FIM_HOLE
from tokenize_shards.tokenizer import encoding_tokenizer, special_ids, train_tokenizer
from trainer.generate import Sampling, completion_prompt_ids, fim_prompt_ids, generate_ids

CODE = "def area(radius):\n    return 3.14159 * radius * radius\n\n\nprint(area(2.0))\n"


@pytest.fixture(scope="module")
def tokenizer():
    return encoding_tokenizer(train_tokenizer([CODE * 4], vocab_size=400).to_str())


def training_document(tokenizer, sample_id: str) -> tuple[list[int], tuple]:
    """A PSM document as the shard writer encodes it, and its layout's text pieces."""
    settings = EncodeSettings(fim_rate=1.0, fim_spm_rate=0.0, seed=0, piece_chars=16, dtype=np.dtype(np.uint16))
    [document] = encode_samples(tokenizer, special_ids(tokenizer),
                                [{"sample_id": sample_id, "text": CODE, "languages": ["python"]}], settings)
    assert document.mode == PSM
    layout = fim_layout(CODE, sample_id, rate=1.0, spm_rate=0.0, seed=0)
    return document.tokens.tolist(), layout.items


@pytest.mark.parametrize("sample_id", ["a", "b", "c"])
def test_fim_prompt_equals_the_training_document_up_to_the_middle(tokenizer, sample_id):
    document, (_, prefix, _, suffix, _, middle, _) = training_document(tokenizer, sample_id)
    prompt = fim_prompt_ids(tokenizer, prefix, suffix, document_masking=True)
    ids = special_ids(tokenizer)
    assert prompt == document[:len(prompt)]
    assert prompt[-1] == ids.fim_end and document[-1] == ids.eos
    assert tokenizer.decode(document[len(prompt):-1]) == middle


def test_without_document_masking_a_prompt_follows_an_end_of_sentence(tokenizer):
    masked = fim_prompt_ids(tokenizer, "x = ", "\n", document_masking=True)
    assert fim_prompt_ids(tokenizer, "x = ", "\n") == [special_ids(tokenizer).eos] + masked
    assert completion_prompt_ids(tokenizer, "x")[0] == special_ids(tokenizer).eos


def test_special_token_text_in_a_prompt_stays_plain_text(tokenizer):
    prompt = fim_prompt_ids(tokenizer, f"s = '{FIM_HOLE}'\n", "", document_masking=True)
    assert prompt.count(special_ids(tokenizer).fim_hole) == 1


class Scripted(nn.Module):
    """Predicts ``script[len(context)]``, ``runner_up`` second; records context lengths."""

    def __init__(self, script: list[int], runner_up: int, vocab: int = 10, max_seq_len: int = 64):
        super().__init__()
        self.script, self.runner_up, self.vocab = script, runner_up, vocab
        self.config = type("Config", (), {"max_seq_len": max_seq_len})
        self.anchor = nn.Parameter(torch.zeros(1))
        self.seen: list[int] = []

    def forward(self, ids: torch.Tensor):
        self.seen.append(ids.shape[1])
        logits = torch.zeros(1, ids.shape[1], self.vocab)
        logits[0, -1, self.runner_up] = 4.0
        logits[0, -1, self.script[min(len(self.seen) - 1, len(self.script) - 1)]] = 5.0
        return logits, None


def test_greedy_decoding_stops_before_a_stop_token():
    assert generate_ids(Scripted([3, 4, 9, 5], runner_up=1), [1, 2], 10, stop={9}) == [3, 4]


def test_decoding_stops_after_max_new_tokens():
    assert generate_ids(Scripted([3, 4, 5, 6], runner_up=1), [1], 2, stop={9}) == [3, 4]


def test_context_is_cropped_to_the_model_length():
    model = Scripted([3] * 6, runner_up=1, max_seq_len=4)
    generate_ids(model, [1, 2, 3], 4, stop=set())
    assert model.seen == [3, 4, 4, 4]


def test_top_k_one_sampling_is_greedy():
    sampled = generate_ids(Scripted([3, 4, 5], runner_up=1), [1], 3, set(), Sampling(temperature=2.0, top_k=1))
    assert sampled == [3, 4, 5]


def test_sampling_is_repeatable_with_a_seed_and_varies_across_seeds():
    def draw(seed: int) -> list[int]:
        return generate_ids(Scripted([3] * 40, runner_up=1), [1], 40, set(), Sampling(temperature=1.0, seed=seed))
    assert draw(0) == draw(0)
    assert draw(0) != draw(1)
