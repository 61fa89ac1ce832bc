"""Completion and fill-in-the-middle from a run folder's checkpoint and tokenizer.

Prompts are built by the shard writer's own code (:func:`tokenize_shards.encode.encode_layouts`
with the encoding tokenizer, so special-token text inside a prompt stays plain text), hence
in exactly the training layout. Infilling follows DeepSeek-Coder's code-insertion example:
the prompt is ``<｜fim▁begin｜>prefix<｜fim▁hole｜>suffix<｜fim▁end｜>`` and the model writes
the middle until ``<｜end▁of▁sentence｜>``. Unless the run used document masking, a prompt
starts after an ``<｜end▁of▁sentence｜>``, the context every training document began in.
No KV cache: every new token re-reads the context, which small models can afford.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import torch
from tokenizers import Tokenizer

from tokenize_shards.encode import encode_layouts
from tokenize_shards.fim import PLAIN, PSM, Layout, Special
from tokenize_shards.tokenizer import encoding_tokenizer, special_ids
from trainer.model import ModelConfig, Transformer
from trainer.train import TOKENIZER, load_checkpoint


@dataclass(frozen=True)
class Sampling:
    """Greedy when ``temperature`` is 0; else softmax sampling over the ``top_k`` best (0: all)."""

    temperature: float = 0.0
    top_k: int = 0
    seed: int = 0


@dataclass(frozen=True)
class LoadedRun:
    """A trained model (eval mode) with its tokenizer and the document boundary it learned."""

    model: Transformer
    tokenizer: Tokenizer          # the encoding tokenizer (special-token text stays text)
    document_masking: bool


def load_run(run_dir: str, device: str = "cpu") -> LoadedRun:
    """The trained model (eval mode) and tokenizer of a run folder."""
    state = load_checkpoint(Path(run_dir))
    model = Transformer(ModelConfig(**state["model_config"]))
    model.load_state_dict(state["model"])
    model.to(device).eval()
    tokenizer = encoding_tokenizer((Path(run_dir) / TOKENIZER).read_text(encoding="utf-8"))
    return LoadedRun(model, tokenizer, bool(state["train_config"]["document_masking"]))


def prompt_ids(tokenizer: Tokenizer, layout: Layout, document_masking: bool) -> list[int]:
    """Token ids of a (partial) document layout, after the boundary the model trained with."""
    [ids] = encode_layouts(tokenizer, special_ids(tokenizer), [layout], 0, np.dtype(np.int64))
    start = [] if document_masking else [special_ids(tokenizer).eos]
    return start + ids.tolist()


def completion_prompt_ids(tokenizer: Tokenizer, prompt: str, document_masking: bool = False) -> list[int]:
    return prompt_ids(tokenizer, Layout(PLAIN, (prompt,)), document_masking)


def fim_prompt_ids(tokenizer: Tokenizer, prefix: str, suffix: str, document_masking: bool = False) -> list[int]:
    """``<｜fim▁begin｜>prefix<｜fim▁hole｜>suffix<｜fim▁end｜>`` as token ids (PSM, as trained)."""
    items = (Special("fim_begin"), prefix, Special("fim_hole"), suffix, Special("fim_end"))
    return prompt_ids(tokenizer, Layout(PSM, items), document_masking)


def stop_ids(tokenizer: Tokenizer) -> set[int]:
    ids = special_ids(tokenizer)
    return {ids.eos, ids.eot}


@torch.no_grad()
def generate_ids(model: Transformer, prompt: list[int], max_new_tokens: int, stop: set[int],
                 sampling: Sampling = Sampling()) -> list[int]:
    """New token ids after ``prompt``, up to ``max_new_tokens`` or a stop id (not returned)."""
    if not prompt:
        raise ValueError("empty prompt")
    device = next(model.parameters()).device
    generator = torch.Generator(device=device).manual_seed(sampling.seed)
    ids = torch.tensor([prompt], dtype=torch.long, device=device)
    new: list[int] = []
    for _ in range(max_new_tokens):
        logits, _ = model(ids[:, -model.config.max_seq_len:])
        logits = logits[0, -1].float()
        if sampling.temperature <= 0:
            next_id = int(logits.argmax())
        else:
            logits = logits / sampling.temperature
            if sampling.top_k:
                kth = torch.topk(logits, min(sampling.top_k, logits.numel())).values[-1]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            next_id = int(torch.multinomial(torch.softmax(logits, -1), 1, generator=generator))
        if next_id in stop:
            break
        new.append(next_id)
        ids = torch.cat([ids, ids.new_tensor([[next_id]])], dim=1)
    return new


def complete(run: LoadedRun, prompt: str, max_new_tokens: int = 64, sampling: Sampling = Sampling()) -> str:
    """The text the model writes after ``prompt``."""
    ids = completion_prompt_ids(run.tokenizer, prompt, run.document_masking)
    new = generate_ids(run.model, ids, max_new_tokens, stop_ids(run.tokenizer), sampling)
    return run.tokenizer.decode(new, skip_special_tokens=True)


def fill_in_middle(run: LoadedRun, prefix: str, suffix: str, max_new_tokens: int = 64,
                   sampling: Sampling = Sampling()) -> str:
    """The middle the model writes between ``prefix`` and ``suffix``."""
    ids = fim_prompt_ids(run.tokenizer, prefix, suffix, run.document_masking)
    new = generate_ids(run.model, ids, max_new_tokens, stop_ids(run.tokenizer), sampling)
    return run.tokenizer.decode(new, skip_special_tokens=True)


def run_completion(run_dir: str, prompt: str, suffix: Optional[str], max_new_tokens: int,
                   sampling: Sampling = Sampling(), device: str = "cpu") -> str:
    """What ``repocurate complete`` prints: the completion, or the middle when given a suffix."""
    run = load_run(run_dir, device)
    if suffix is None:
        return complete(run, prompt, max_new_tokens, sampling)
    return fill_in_middle(run, prompt, suffix, max_new_tokens, sampling)
