from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch.lsh import _optimal_param

from dedup.components import clusters, exact_jaccard
from dedup.lsh import band_keys, candidate_pairs, estimate_jaccard, estimate_jaccards, optimal_bands
from dedup.minhash import signatures
from dedup.shingles import shingle_strings


def code_like_text(rng: random.Random, n_tokens: int = 400) -> str:
    names = [f"{rng.choice('abcdefgh')}{rng.randrange(10**6)}" for _ in range(n_tokens)]
    return "".join(name + rng.choice([" = ", "(", ")\n", ", ", ".", " + "]) for name in names)


def edited(text: str, rng: random.Random, edits: int) -> str:
    words = text.split(" ")
    for _ in range(edits):
        words[rng.randrange(len(words))] = f"edit{rng.randrange(10**6)}"
    return " ".join(words)


# --- band parameters -------------------------------------------------------------------------

@pytest.mark.parametrize("num_perm", [128, 256])
@pytest.mark.parametrize("threshold", [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
def test_optimal_bands_match_datasketch(threshold, num_perm):
    assert optimal_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_threshold_0_7_with_256_permutations_is_25_bands_of_10_rows():
    assert optimal_bands(0.7, 256) == (25, 10)


def test_weights_are_passed_through_like_datasketch():
    assert optimal_bands(0.7, 128, 0.2, 0.8) == _optimal_param(0.7, 128, 0.2, 0.8)


@pytest.mark.parametrize("num_perm", [16, 64, 200])
def test_quadrature_picks_what_datasketchs_quad_picks(num_perm):
    for threshold in (0.1, 0.3, 0.45, 0.85, 0.9):
        for weights in ((0.05, 0.95), (0.9, 0.1)):
            assert optimal_bands(threshold, num_perm, *weights) == _optimal_param(threshold, num_perm, *weights)


# --- band keys and candidates ----------------------------------------------------------------

def test_band_keys_are_equal_exactly_where_the_band_values_are():
    sigs = np.array([[1, 2, 3, 4], [1, 2, 3, 5], [9, 2, 3, 4]], dtype=np.uint32)
    keys = band_keys(sigs, b=2, r=2)
    assert keys.shape == (3, 2) and keys.dtype == np.uint64
    assert keys[0, 0] == keys[1, 0] and keys[0, 1] != keys[1, 1]
    assert keys[0, 0] != keys[2, 0] and keys[0, 1] == keys[2, 1]


def test_equal_values_in_different_bands_give_different_keys():
    keys = band_keys(np.array([[7, 7, 7, 7]], dtype=np.uint64), b=2, r=2)
    assert keys[0, 0] != keys[0, 1]


def test_bands_that_do_not_fit_the_signature_are_rejected():
    with pytest.raises(ValueError):
        band_keys(np.zeros((2, 10), dtype=np.uint32), b=3, r=4)


def test_each_bucket_pairs_its_members_with_its_smallest_index():
    keys = np.array([[5], [1], [5], [5], [2]], dtype=np.uint64)
    assert candidate_pairs(keys).tolist() == [[0, 2], [0, 3]]


def test_pairs_found_in_several_bands_are_listed_once_and_sorted():
    keys = np.array([[1, 8], [2, 9], [1, 8], [2, 9]], dtype=np.uint64)
    assert candidate_pairs(keys).tolist() == [[0, 2], [1, 3]]


def test_planted_near_duplicates_are_candidates_and_unrelated_texts_are_not():
    rng = random.Random(7)
    originals = [code_like_text(rng) for _ in range(20)]
    texts = originals + [edited(originals[3], rng, 3), edited(originals[11], rng, 3)]
    b, r = optimal_bands(0.7, 256)
    pairs = candidate_pairs(band_keys(signatures(texts), b, r))
    assert pairs.tolist() == [[3, 20], [11, 21]]


# --- Jaccard estimates -----------------------------------------------------------------------

def test_estimated_jaccard_is_the_fraction_of_equal_values():
    a = np.array([1, 2, 3, 4], dtype=np.uint32)
    assert estimate_jaccard(a, np.array([1, 2, 0, 0], dtype=np.uint32)) == 0.5


def test_estimated_jaccard_is_close_to_the_exact_jaccard():
    rng = random.Random(8)
    original = code_like_text(rng, 600)
    copy = edited(original, rng, 40)
    exact = exact_jaccard(shingle_strings(original), shingle_strings(copy))
    assert 0.3 < exact < 0.9
    estimate = estimate_jaccard(*signatures([original, copy]))
    assert abs(estimate - exact) < 0.1


def test_vectorized_estimates_equal_pairwise_estimates():
    sigs = signatures([code_like_text(random.Random(s), 50) for s in range(4)] + ["a b c d e f"] * 2)
    pairs = np.array([[0, 1], [2, 3], [4, 5]])
    assert estimate_jaccards(sigs, pairs).tolist() == [estimate_jaccard(sigs[i], sigs[j]) for i, j in pairs]


def test_candidates_cluster_around_the_best_ranked_repository():
    rng = random.Random(9)
    base = code_like_text(rng)
    texts = [base, edited(base, rng, 2), code_like_text(rng), edited(base, rng, 2)]
    b, r = optimal_bands(0.7, 256)
    stars = {0: 5, 1: 50, 2: 500, 3: 1}
    survivor = clusters(candidate_pairs(band_keys(signatures(texts), b, r)).tolist(), {i: -s for i, s in stars.items()})
    assert survivor == {0: 1, 1: 1, 3: 1}
