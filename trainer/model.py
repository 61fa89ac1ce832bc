"""A decoder-only transformer in the DeepSeek-Coder (LLaMA) style, in one file.

Pre-norm blocks with RMSNorm, rotary position embeddings (base and linear position scaling
configurable, as DeepSeek-Coder's 16K context uses base 100,000 and factor 4), a SwiGLU MLP,
optional grouped-query attention (``n_kv_heads < n_heads``), attention through
``torch.nn.functional.scaled_dot_product_attention`` and tied or untied embeddings.

Document masking: when ``position_ids`` restart at 0 inside a window, a new document begins
there; :func:`document_causal_mask` turns that into a block-diagonal causal mask, so a token
attends only to earlier tokens of its own document.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class ModelConfig:
    """Shape of the network; ``ffn_hidden=0`` means LLaMA's 8/3 * dim rounded up to 256."""

    vocab_size: int
    dim: int
    n_layers: int
    n_heads: int
    n_kv_heads: int = 0          # 0: same as n_heads (multi-head attention)
    ffn_hidden: int = 0
    max_seq_len: int = 1024
    rope_base: float = 10_000.0
    rope_scaling: float = 1.0    # linear position interpolation factor (positions / factor)
    norm_eps: float = 1e-6
    tie_embeddings: bool = True

    @property
    def kv_heads(self) -> int:
        return self.n_kv_heads or self.n_heads

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads

    @property
    def hidden(self) -> int:
        if self.ffn_hidden:
            return self.ffn_hidden
        return 256 * math.ceil(8 * self.dim / 3 / 256)

    def validate(self) -> None:
        if self.dim % self.n_heads:
            raise ValueError(f"dim {self.dim} is not a multiple of n_heads {self.n_heads}")
        if self.n_heads % self.kv_heads:
            raise ValueError(f"n_heads {self.n_heads} is not a multiple of n_kv_heads {self.kv_heads}")
        if self.head_dim % 2:
            raise ValueError(f"head_dim {self.head_dim} must be even for rotary embeddings")

    def to_dict(self) -> dict:
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        normed = x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + self.eps)
        return normed.type_as(x) * self.weight


def rotary_tables(config: ModelConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin tables of shape (max_seq_len, head_dim / 2), with linear position scaling."""
    half = config.head_dim // 2
    inv_freq = 1.0 / (config.rope_base ** (torch.arange(half, dtype=torch.float64) / half))
    positions = torch.arange(config.max_seq_len, dtype=torch.float64) / config.rope_scaling
    angles = torch.outer(positions, inv_freq)
    return angles.cos().float(), angles.sin().float()


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs (first half, second half) of ``x`` (B, H, T, D) by per-position angles (B, 1, T, D/2)."""
    x1, x2 = x.float().chunk(2, dim=-1)
    rotated = torch.cat((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)
    return rotated.type_as(x)


def document_causal_mask(position_ids: torch.Tensor) -> torch.Tensor:
    """Boolean (B, 1, T, T) mask: causal and block-diagonal over documents (a 0 starts one)."""
    segments = torch.cumsum((position_ids == 0).int(), dim=-1)
    same_doc = segments.unsqueeze(-1) == segments.unsqueeze(-2)
    length = position_ids.shape[-1]
    causal = torch.ones(length, length, dtype=torch.bool, device=position_ids.device).tril()
    return (same_doc & causal).unsqueeze(1)


class Attention(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.n_heads, self.kv_heads, self.head_dim = config.n_heads, config.kv_heads, config.head_dim
        self.wq = nn.Linear(config.dim, config.n_heads * config.head_dim, bias=False)
        self.wk = nn.Linear(config.dim, config.kv_heads * config.head_dim, bias=False)
        self.wv = nn.Linear(config.dim, config.kv_heads * config.head_dim, bias=False)
        self.wo = nn.Linear(config.n_heads * config.head_dim, config.dim, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                mask: Optional[torch.Tensor]) -> torch.Tensor:
        batch, length, _ = x.shape
        q = self.wq(x).view(batch, length, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.wk(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.wv(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        if self.kv_heads != self.n_heads:
            repeat = self.n_heads // self.kv_heads
            k, v = k.repeat_interleave(repeat, dim=1), v.repeat_interleave(repeat, dim=1)
        if mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.wo(out.transpose(1, 2).reshape(batch, length, -1))


class SwiGLU(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.w1 = nn.Linear(config.dim, config.hidden, bias=False)  # gate
        self.w3 = nn.Linear(config.dim, config.hidden, bias=False)  # up
        self.w2 = nn.Linear(config.hidden, config.dim, bias=False)  # down

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.attention_norm = RMSNorm(config.dim, config.norm_eps)
        self.attention = Attention(config)
        self.ffn_norm = RMSNorm(config.dim, config.norm_eps)
        self.feed_forward = SwiGLU(config)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                mask: Optional[torch.Tensor]) -> torch.Tensor:
        x = x + self.attention(self.attention_norm(x), cos, sin, mask)
        return x + self.feed_forward(self.ffn_norm(x))


class Transformer(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        config.validate()
        self.config = config
        self.tok_embeddings = nn.Embedding(config.vocab_size, config.dim)
        self.layers = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.norm = RMSNorm(config.dim, config.norm_eps)
        self.output = nn.Linear(config.dim, config.vocab_size, bias=False)
        if config.tie_embeddings:
            self.output.weight = self.tok_embeddings.weight
        cos, sin = rotary_tables(config)
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)
        self.apply(self._init_weights)
        for name, param in self.named_parameters():  # GPT-2 scaled init of residual projections
            if name.endswith(("wo.weight", "w2.weight")):
                nn.init.normal_(param, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layers))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, tokens: torch.Tensor, position_ids: Optional[torch.Tensor] = None,
                targets: Optional[torch.Tensor] = None, document_masking: bool = False,
                ) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Logits (B, T, V), and the mean cross-entropy when ``targets`` are given.

        ``position_ids`` (B, T) default to 0..T-1; with ``document_masking`` attention is
        also cut where they restart at 0.
        """
        length = tokens.shape[1]
        if length > self.config.max_seq_len:
            raise ValueError(f"sequence of {length} tokens exceeds max_seq_len {self.config.max_seq_len}")
        if position_ids is None:
            position_ids = torch.arange(length, device=tokens.device).unsqueeze(0).expand_as(tokens)
        cos = self.rope_cos[position_ids].unsqueeze(1)
        sin = self.rope_sin[position_ids].unsqueeze(1)
        mask = document_causal_mask(position_ids) if document_masking else None
        x = self.tok_embeddings(tokens)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        logits = self.output(self.norm(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.float().view(-1, logits.shape[-1]), targets.reshape(-1))
        return logits, loss


def count_parameters(model: nn.Module) -> int:
    """Distinct parameters (a tied embedding counts once)."""
    return sum(p.numel() for p in model.parameters())


def flops_per_token(config: ModelConfig, seq_len: int) -> float:
    """Training FLOPs per token, PaLM appendix B: 6 * N_matmul + 12 * layers * dim * seq_len.

    N_matmul counts every weight used in a matrix multiply (the output head included, the
    embedding lookup not); the second term is attention's scores and weighted sum.
    """
    attn = config.dim * config.head_dim * (config.n_heads + 2 * config.kv_heads) + config.dim * config.dim
    mlp = 3 * config.dim * config.hidden
    n_matmul = config.n_layers * (attn + mlp) + config.dim * config.vocab_size
    return 6.0 * n_matmul + 12.0 * config.n_layers * config.dim * seq_len
