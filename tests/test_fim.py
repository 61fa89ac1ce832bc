"""Fill-in-the-middle at document level: layouts, rate, seeding, and encoded structure."""
from __future__ import annotations

import numpy as np
import pytest

from tokenize_shards.encode import EncodeSettings, encode_samples
from tokenize_shards.fim import PLAIN, PSM, SPM, Special, fim_layout, render
from tokenize_shards.special_tokens import SPECIAL_TOKENS
from tokenize_shards.tokenizer import encoding_tokenizer, special_ids, train_tokenizer

CODE = "import os\n\n\ndef main():\n    print(os.getcwd())\n\n\nif __name__ == '__main__':\n    main()\n"


@pytest.fixture(scope="module")
def tokenizer():
    return encoding_tokenizer(train_tokenizer([CODE * 3, "class A:\n    pass\n"], 400).to_str())


def test_a_document_not_drawn_for_fim_is_its_text_then_end_of_sentence():
    layout = fim_layout(CODE, "s1", rate=0.0, spm_rate=0.0, seed=0)
    assert layout.mode == PLAIN
    assert layout.items == (CODE, Special("eos"))


def test_psm_puts_prefix_then_suffix_then_middle():
    layout = fim_layout(CODE, "s1", rate=1.0, spm_rate=0.0, seed=0)
    begin, prefix, hole, suffix, end, middle, eos = layout.items
    assert layout.mode == PSM
    assert (begin, hole, end, eos) == (Special("fim_begin"), Special("fim_hole"), Special("fim_end"), Special("eos"))
    assert prefix + middle + suffix == CODE


def test_spm_puts_suffix_then_prefix_then_middle():
    layout = fim_layout(CODE, "s1", rate=1.0, spm_rate=1.0, seed=0)
    hole, suffix, begin, prefix, end, middle, eos = layout.items
    assert layout.mode == SPM
    assert (hole, begin, end, eos) == (Special("fim_hole"), Special("fim_begin"), Special("fim_end"), Special("eos"))
    assert prefix + middle + suffix == CODE


def test_fim_and_spm_rates_hold_over_many_documents():
    modes = [fim_layout(CODE, f"doc-{i}", rate=0.5, spm_rate=0.3, seed=7).mode for i in range(4000)]
    fim = sum(m != PLAIN for m in modes)
    assert abs(fim / 4000 - 0.5) < 0.04
    assert abs(modes.count(SPM) / fim - 0.3) < 0.05


def test_split_points_are_uniform_over_every_character_offset():
    text = "0123456789"
    cuts = set()
    for i in range(2000):
        items = fim_layout(text, f"d{i}", rate=1.0, spm_rate=0.0, seed=0).items
        prefix, middle = items[1], items[5]
        cuts.update({len(prefix), len(prefix) + len(middle)})
    assert cuts == set(range(len(text) + 1))


def test_the_split_depends_only_on_seed_and_sample_id():
    first = [fim_layout(CODE, f"d{i}", rate=0.5, spm_rate=0.5, seed=3) for i in range(50)]
    again = [fim_layout(CODE, f"d{i}", rate=0.5, spm_rate=0.5, seed=3) for i in range(50)]
    other_seed = [fim_layout(CODE, f"d{i}", rate=0.5, spm_rate=0.5, seed=4) for i in range(50)]
    assert first == again
    assert first != other_seed


def test_render_writes_special_tokens_as_their_text():
    layout = fim_layout("abc", "s1", rate=1.0, spm_rate=0.0, seed=0)
    rendered = render(layout)
    assert rendered.startswith(SPECIAL_TOKENS["fim_begin"]) and rendered.endswith(SPECIAL_TOKENS["eos"])


def encode(tokenizer, texts, rate, spm_rate=0.0):
    samples = [{"sample_id": f"s{i}", "text": t, "languages": ["Python"]} for i, t in enumerate(texts)]
    settings = EncodeSettings(rate, spm_rate, 0, 16, np.dtype(np.uint16))
    return samples, encode_samples(tokenizer, special_ids(tokenizer), samples, settings)


@pytest.mark.parametrize("spm_rate", [0.0, 1.0])
def test_encoded_fim_documents_decode_to_their_rearranged_text(tokenizer, spm_rate):
    samples, documents = encode(tokenizer, [CODE, CODE[::-1], ""], 1.0, spm_rate)
    for sample, document in zip(samples, documents):
        layout = fim_layout(sample["text"], sample["sample_id"], rate=1.0, spm_rate=spm_rate, seed=0)
        assert tokenizer.decode(document.tokens.tolist(), skip_special_tokens=False) == render(layout)


def test_each_encoded_document_carries_exactly_its_framing_special_ids(tokenizer):
    planted = f"x = '{SPECIAL_TOKENS['fim_hole']}{SPECIAL_TOKENS['eos']}'\n" + CODE
    ids = special_ids(tokenizer)
    for rate, expected in ((0.0, [ids.eos]), (1.0, [ids.fim_begin, ids.fim_hole, ids.fim_end, ids.eos])):
        _, (document,) = encode(tokenizer, [planted], rate)
        assert [t for t in document.tokens.tolist() if t in set(ids)] == expected
        assert document.tokens[-1] == ids.eos
