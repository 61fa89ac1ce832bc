from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from dedup.minhash import (
    MERSENNE_PRIME,
    MinHashParams,
    _permute_legacy,
    empty_signature,
    hashes_signature,
    permutations,
    signature,
    signatures,
)
from dedup.shingles import fast_shingle_batches, shingle_strings, tokens

WORDS = [
    "def", "return", "self", "x", "Foo", "BAR", "baz_1", "_private", "i18n", "λx", "naïve", "日本",
    "a_rather_long_identifier_name_over_sixteen_bytes",
    "t" * 64, "u" * 65, "Z" * 300,  # around the vectorized/long token boundary
]
SEPARATORS = [" ", "  ", "(", ")\n", ".", "\t", " = ", "é", "→", "\ud800"]


def random_text(rng: random.Random, n_tokens: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(n_tokens))


def random_texts(seed: int = 0, count: int = 30) -> list[str]:
    rng = random.Random(seed)
    return [random_text(rng, rng.choice([0, 1, 2, 4, 5, 6, 40, 400])) for _ in range(count)]


def our_shingle_hashes(text: str, **options) -> np.ndarray:
    return np.concatenate([batch.hashes for batch in fast_shingle_batches([text], **options)])


def datasketch_minhash(strings: list[str], scheme: str, hashfunc=None) -> MinHash:
    minhash = MinHash(num_perm=256, seed=1, scheme=scheme, **({"hashfunc": hashfunc} if hashfunc else {}))
    minhash.update_batch(strings if hashfunc else [s.encode("utf-8", "surrogatepass") for s in strings])
    return minhash


# --- tokens and shingles ---------------------------------------------------------------------

def test_tokens_are_maximal_runs_of_ascii_word_characters():
    assert tokens("def f(x_1):  return naïve+日本") == ["def", "f", "x_1", "return", "na", "ve"]


def test_tokens_keep_case_unless_lowercase_is_asked():
    assert tokens("Foo BAR") == ["Foo", "BAR"]
    assert tokens("Foo BAR", lowercase=True) == ["foo", "bar"]


def test_word_chars_define_what_separates_tokens():
    assert tokens("a.b c-d", word_chars="abcd.") == ["a.b", "c", "d"]


def test_non_ascii_word_chars_are_rejected():
    with pytest.raises(ValueError):
        MinHashParams(word_chars="abcé")


def test_shingles_are_windows_of_n_tokens_joined_by_a_space():
    assert shingle_strings("a b c d", n=3) == ["a b c", "b c d"]


def test_text_shorter_than_n_tokens_is_one_shingle_of_all_its_tokens():
    assert shingle_strings("a, b", n=5) == ["a b"]


def test_text_without_tokens_has_no_shingles_and_the_all_max_signature():
    assert shingle_strings("+-*/ ", n=5) == []
    assert (signature("+-*/ ") == empty_signature(MinHashParams())).all()


# --- compatibility with datasketch -----------------------------------------------------------

@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_permutations_are_datasketchs(scheme):
    a, b = permutations(256, 1, scheme)
    expected = MinHash(num_perm=256, seed=1, scheme=scheme).permutations
    assert (a == np.asarray(expected[0])).all() and (b == np.asarray(expected[1])).all()


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
@pytest.mark.parametrize("lowercase", [False, True])
def test_datasketch_mode_is_bit_exact_with_datasketch_sha1_minhash(scheme, lowercase):
    texts = random_texts(seed=1)
    ours = signatures(texts, MinHashParams(hash_mode="datasketch", scheme=scheme, lowercase=lowercase))
    for text, sig in zip(texts, ours):
        theirs = datasketch_minhash(shingle_strings(text, lowercase=lowercase), scheme).hashvalues
        assert theirs.dtype == sig.dtype and (theirs == sig).all()


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
@pytest.mark.parametrize("options", [{}, {"lowercase": True}, {"word_chars": "abcdefxyzABC_."}])
def test_fast_mode_equals_datasketch_fed_our_shingle_hashes(scheme, options):
    texts = random_texts(seed=2)
    ours = signatures(texts, MinHashParams(scheme=scheme, **options))
    for text, sig in zip(texts, ours):
        strings = shingle_strings(text, **options)
        hashes = our_shingle_hashes(text, **options).tolist()
        assert len(hashes) == len(strings)
        lookup = dict(zip(strings, hashes))
        assert [lookup[s] for s in strings] == hashes  # a function of the shingle string
        assert (datasketch_minhash(strings, scheme, hashfunc=lookup.__getitem__).hashvalues == sig).all()


def test_legacy_reduction_equals_numpy_modulo_around_multiples_of_the_prime():
    p = MERSENNE_PRIME
    edges = [0, 1, p - 1, p, p + 1, p + 6, p + 7, 2 * p, 2 * p + 5, 7 * p, 2**64 - 1, 2**63 + 12345]
    x = np.array(edges, dtype=np.uint64)
    one, zero = np.uint64(1), np.uint64(0)
    expected = (x % np.uint64(p)) & np.uint64(2**32 - 1)
    assert (_permute_legacy(x, one, zero, np.empty_like(x)) == expected).all()


def test_fast_shingle_hashes_of_distinct_shingles_differ():
    text = " ".join(random_texts(seed=3, count=60))
    strings = shingle_strings(text)
    lookup = dict(zip(strings, our_shingle_hashes(text).tolist()))
    assert len(set(lookup.values())) == len(lookup)


def test_long_tokens_are_hashed_by_their_whole_content():
    prefix = "q" * 100
    a, b = (our_shingle_hashes(f"{prefix}{end} x y z w") for end in ("a", "b"))
    assert a[0] != b[0]
    assert (our_shingle_hashes(f"{prefix}a x y z w") == a).all()


# --- determinism and batching ----------------------------------------------------------------

def test_a_signature_does_not_depend_on_its_batch_neighbours():
    texts = random_texts(seed=4)
    alone = np.stack([signature(t) for t in texts])
    shuffled = list(range(len(texts)))
    random.Random(0).shuffle(shuffled)
    together = signatures([texts[i] for i in shuffled], MinHashParams(batch_chars=2000))
    assert (together == alone[shuffled]).all()


@pytest.mark.parametrize("batch_chars,max_temp_bytes", [(7, 1 << 20), (300, 4096), (1 << 20, 1)])
def test_batching_bounds_do_not_change_signatures(batch_chars, max_temp_bytes):
    texts = random_texts(seed=5)
    expected = signatures(texts)
    params = MinHashParams(batch_chars=batch_chars, max_temp_bytes=max_temp_bytes)
    assert (signatures(texts, params) == expected).all()


def test_a_long_text_cut_into_pieces_keeps_every_shingle():
    text = random_text(random.Random(6), 3000)
    assert (our_shingle_hashes(text, batch_chars=97) == our_shingle_hashes(text)).all()


def test_signatures_do_not_depend_on_python_hash_randomization():
    program = "from dedup.minhash import signature; print(signature('def f(x): return x + 1 # ok').tolist())"
    root = Path(__file__).resolve().parents[1]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program], cwd=root, capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {str(signature("def f(x): return x + 1 # ok").tolist()) + "\n"}


def test_signature_dtype_follows_the_scheme():
    assert signature("a b c d e").dtype == np.uint32
    assert signature("a b c d e", MinHashParams(scheme="legacy")).dtype == np.uint64


def test_unknown_hash_mode_is_rejected():
    with pytest.raises(ValueError):
        MinHashParams(hash_mode="md5")


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_signature_from_hashes_ignores_their_order_and_repeats(scheme):
    params = MinHashParams(num_perm=64, scheme=scheme)
    text = " ".join(f"w{i % 97}" for i in range(3000))
    hashes = np.concatenate([b.hashes for b in fast_shingle_batches([text])])
    shuffled = np.random.default_rng(1).permutation(np.concatenate([hashes, hashes[:100]]))
    assert np.array_equal(hashes_signature(shuffled, params), signature(text, params))


def test_signature_from_no_hashes_is_the_empty_signature():
    params = MinHashParams(num_perm=16)
    assert np.array_equal(hashes_signature(np.empty(0, dtype=np.uint32), params), empty_signature(params))
