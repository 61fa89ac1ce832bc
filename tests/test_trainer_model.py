"""The transformer: causality, document masking, rotary scaling, GQA, presets, FLOPs."""
from __future__ import annotations

import pytest
import torch

from trainer.model import (ModelConfig, Transformer, count_parameters, document_causal_mask,
                           flops_per_token, rotary_tables)
from trainer.presets import padded_vocab
from trainer.train import config_from_preset, model_config_for

SMALL = ModelConfig(vocab_size=97, dim=32, n_layers=2, n_heads=4, n_kv_heads=2, max_seq_len=16)


def model(config: ModelConfig = SMALL) -> Transformer:
    torch.manual_seed(0)
    return Transformer(config).eval()


def test_logits_have_one_row_per_token_and_vocabulary_column():
    logits, loss = model()(torch.randint(0, 97, (3, 10)))
    assert logits.shape == (3, 10, 97) and loss is None


def test_initial_loss_is_close_to_uniform_guessing():
    tokens = torch.randint(0, 97, (4, 16))
    _, loss = model()(tokens[:, :-1], targets=tokens[:, 1:])
    assert abs(loss.item() - torch.log(torch.tensor(97.0)).item()) < 0.2


def test_a_later_token_does_not_change_earlier_logits():
    m, tokens = model(), torch.randint(0, 97, (1, 12))
    changed = tokens.clone()
    changed[0, 8] = (changed[0, 8] + 1) % 97
    with torch.no_grad():
        assert torch.equal(m(tokens)[0][0, :8], m(changed)[0][0, :8])
        assert not torch.allclose(m(tokens)[0][0, 8:], m(changed)[0][0, 8:])


def test_document_mask_is_causal_within_documents_and_blocks_across_them():
    positions = torch.tensor([[0, 1, 2, 0, 1]])
    mask = document_causal_mask(positions)[0, 0]
    expected = torch.tensor([
        [1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0],
        [1, 1, 1, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 1, 1],
    ], dtype=torch.bool)
    assert torch.equal(mask, expected)


def test_with_document_masking_a_document_is_blind_to_the_one_before():
    m = model()
    first_doc, second_doc = torch.randint(0, 97, (1, 6)), torch.randint(0, 97, (1, 5))
    other_first = (first_doc + 1) % 97
    positions = torch.tensor([[0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4]])
    with torch.no_grad():
        packed, _ = m(torch.cat([first_doc, second_doc], 1), positions, document_masking=True)
        repacked, _ = m(torch.cat([other_first, second_doc], 1), positions, document_masking=True)
        alone, _ = m(second_doc)
    torch.testing.assert_close(packed[0, 6:], repacked[0, 6:])
    torch.testing.assert_close(packed[0, 6:], alone[0], atol=1e-5, rtol=1e-5)


def test_linear_rope_scaling_divides_positions_by_the_factor():
    plain_cos, plain_sin = rotary_tables(SMALL)
    scaled_cos, scaled_sin = rotary_tables(ModelConfig(**{**SMALL.to_dict(), "rope_scaling": 4.0}))
    torch.testing.assert_close(scaled_cos[8], plain_cos[2])
    torch.testing.assert_close(scaled_sin[12], plain_sin[3])


def test_rope_base_sets_the_slowest_rotation():
    cos, _ = rotary_tables(ModelConfig(**{**SMALL.to_dict(), "rope_base": 100_000.0}))
    half = SMALL.head_dim // 2
    expected = torch.cos(torch.tensor(1.0 / 100_000.0 ** ((half - 1) / half), dtype=torch.float64)).float()
    torch.testing.assert_close(cos[1, -1], expected)


def test_grouped_query_attention_shrinks_key_and_value_projections():
    grouped = model()
    full = model(ModelConfig(**{**SMALL.to_dict(), "n_kv_heads": 0}))
    assert grouped.layers[0].attention.wk.weight.shape == (16, 32)
    assert full.layers[0].attention.wk.weight.shape == (32, 32)


def test_tied_embeddings_share_one_matrix_and_untied_do_not():
    tied = model()
    untied = model(ModelConfig(**{**SMALL.to_dict(), "tie_embeddings": False}))
    assert tied.output.weight is tied.tok_embeddings.weight
    assert count_parameters(untied) - count_parameters(tied) == 97 * 32


def test_heads_must_divide_the_width():
    with pytest.raises(ValueError, match="n_heads"):
        Transformer(ModelConfig(vocab_size=10, dim=30, n_layers=1, n_heads=4))


def test_flops_per_token_is_six_per_matmul_weight_plus_attention():
    m = model(ModelConfig(**{**SMALL.to_dict(), "tie_embeddings": False}))
    matmul_weights = sum(p.numel() for name, p in m.named_parameters()
                         if p.dim() == 2 and not name.startswith("tok_embeddings"))
    assert flops_per_token(m.config, 16) == 6 * matmul_weights + 12 * 2 * 32 * 16


@pytest.mark.parametrize("name, millions", [("tiny", 2.2), ("small", 134.2), ("medium", 374.0), ("1b", 1056.3)])
def test_preset_sizes_match_their_documented_parameter_counts(name, millions):
    with torch.device("meta"):
        m = Transformer(model_config_for(config_from_preset(name, max_steps=1), 32_007))
    assert round(count_parameters(m) / 1e6, 1) == millions


def test_vocabulary_is_padded_to_a_multiple_of_64():
    assert padded_vocab(32_007) == 32_064 and padded_vocab(64) == 64
