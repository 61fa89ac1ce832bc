"""Benchmark decontamination [DeepSeek-Coder §2.4]: 10-gram overlap, exact short strings."""
from __future__ import annotations

import gzip
import json
import pickle

import pytest

from filters.benchmark_data import BenchmarkText, humaneval_path, load_humaneval, load_jsonl, load_sources
from filters.decontaminate import CODE_TOKENS, Decontaminator

NEAR_MISS_OF_HUMANEVAL_0 = '''
def any_pair_within(values, limit):
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            if i != j and abs(a - b) < limit:
                return True
    return False
'''


@pytest.fixture(scope="module")
def humaneval() -> dict[str, dict]:
    with gzip.open(humaneval_path(), "rt") as handle:
        return {row["task_id"]: row for row in map(json.loads, handle)}


@pytest.fixture(scope="module")
def decontaminator() -> Decontaminator:
    return Decontaminator.from_sources(["humaneval"])


def record(content: str, path: str = "src/util.py") -> dict:
    return {"path": path, "language": "Python", "content": content, "size": len(content)}


def one_task(text: str, task_id: str = "Bench/1", benchmark: str = "Bench", **options) -> Decontaminator:
    return Decontaminator([BenchmarkText(benchmark, task_id, text)], **options)


def test_humaneval_loads_offline_from_the_package():
    texts = load_humaneval()
    assert {text.task_id for text in texts} == {f"HumanEval/{i}" for i in range(164)}
    assert {text.benchmark for text in texts} == {"HumanEval"}


def test_file_embedding_a_humaneval_canonical_solution_is_removed(humaneval, decontaminator):
    task = humaneval["HumanEval/0"]
    content = "import math\n\n" + task["prompt"] + task["canonical_solution"] + "\n\nprint(1)\n"
    verdict = decontaminator.check(record(content))
    assert verdict.reason == "decontamination:HumanEval"
    assert verdict.detail.startswith("HumanEval/0: ")


def test_solution_body_alone_is_removed(humaneval, decontaminator):
    body = humaneval["HumanEval/12"]["canonical_solution"]
    verdict = decontaminator.check(record("def pick(strings):\n" + body))
    assert verdict.detail.startswith("HumanEval/12: ")


def test_humaneval_test_assertions_are_removed(humaneval, decontaminator):
    assertions = humaneval["HumanEval/7"]["test"].split("def check(candidate):")[1]
    verdict = decontaminator.check(record("def test_groups():\n" + assertions))
    assert verdict.detail.startswith("HumanEval/7: ")


def test_reformatted_copy_is_still_removed(humaneval, decontaminator):
    task = humaneval["HumanEval/0"]
    squeezed = " ".join((task["prompt"] + task["canonical_solution"]).split())
    assert decontaminator.check(record(squeezed)) is not None


def test_near_miss_with_renamed_variables_is_kept(decontaminator):
    assert decontaminator.check(record(NEAR_MISS_OF_HUMANEVAL_0)) is None


def test_nine_shared_tokens_are_kept_and_ten_removed():
    decontaminator = one_task("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda")
    assert decontaminator.check(record("x alpha beta gamma delta epsilon zeta eta theta iota y")) is None
    assert decontaminator.check(record("x alpha beta gamma delta epsilon zeta eta theta iota kappa")) is not None


def test_detail_names_task_and_matched_tokens():
    decontaminator = one_task("a1 a2 a3 a4 a5 a6 a7 a8 a9 a10", task_id="Bench/7")
    verdict = decontaminator.check(record("(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10)"))
    assert verdict == ("decontamination:Bench", "Bench/7: a1 a2 a3 a4 a5 a6 a7 a8 a9 a10")


def test_short_benchmark_string_must_occur_exactly():
    decontaminator = one_task("print(fizz_buzz(15))")
    assert decontaminator.check(record("if ok:\n    print( fizz_buzz( 15 ) )\n")) is not None
    assert decontaminator.check(record("print(fizz_buzz(150))\n")) is None
    assert decontaminator.check(record("fizz_buzz(15)\n")) is None


def test_short_string_under_three_tokens_is_ignored():
    decontaminator = one_task("fizz_buzz(15)")
    assert decontaminator.short_string_count == 0
    assert decontaminator.check(record("fizz_buzz(15)\n")) is None


def test_numeric_only_ngrams_are_not_indexed_by_default():
    numbers = "data = [" + ", ".join(str(i) for i in range(12)) + "]"
    file = record("xs = (" + ", ".join(str(i) for i in range(10)) + ")")
    assert one_task(numbers).check(file) is None
    assert one_task(numbers, index_low_information=True).check(file) is not None


def test_a_hex_digit_table_does_not_match_a_task_that_lists_hex_digits():
    """HumanEval/78 lists "0123456789ABCDEF" digit by digit; a hex table in unrelated code
    (commons-lang3's CharSequenceTranslator) shares its window of digits and one letter."""
    task = "primes = ('2', '3', '5', '7', 'B', 'D')\ndigits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'A', 'B']"
    table = record("static final char[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B'};")
    assert one_task(task).check(table) is None
    assert one_task(task, index_low_information=True).check(table) is not None


def test_a_window_with_one_word_of_the_task_is_still_indexed():
    task = "values = [1, 2, 3, 4, 5, 6, 7, 8, 9]\nreturn sorted_values"
    assert one_task(task).check(record("x = [1, 2, 3, 4, 5, 6, 7, 8, 9]\nreturn sorted_values\n")) is not None


def test_code_tokens_count_punctuation():
    text = "fn(a, b) + gn(c)"  # names of two letters: a window of single characters identifies nothing
    assert one_task(text, token_pattern=CODE_TOKENS).check(record("fn(a, b) + gn(c)")) is not None
    assert one_task(text, token_pattern=CODE_TOKENS).check(record("fn a b gn c")) is None


def test_ngram_in_two_tasks_is_named_by_the_first_loaded():
    shared = "one two three four five six seven eight nine ten"
    decontaminator = Decontaminator([
        BenchmarkText("Bench", "Bench/1", shared), BenchmarkText("Bench", "Bench/2", shared),
    ])
    assert decontaminator.check(record(shared)).detail.startswith("Bench/1: ")


def test_extra_jsonl_set_adds_its_benchmark(tmp_path):
    path = tmp_path / "mbpp_test.jsonl"
    rows = [
        {"task_id": 11, "text": "Write a function to remove first and last occurrence of a given character",
         "code": "def remove_Occ(s,ch): return s", "test_list": ["assert remove_Occ(\"hello\",\"l\") == \"heo\""]},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    decontaminator = Decontaminator.from_sources([], [str(path)])
    verdict = decontaminator.check(record("# helper to remove first and last occurrence of a given character\n"))
    assert verdict == ("decontamination:mbpp_test",
                       "11: to remove first and last occurrence of a given character")
    assert decontaminator.check(record('assert remove_Occ("hello","l") == "heo"')) is not None


def test_jsonl_benchmark_field_and_default_task_id(tmp_path):
    path = tmp_path / "extra.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        row = {"benchmark": "DS-1000", "prompt": "p q r s t", "canonical_solution": " u v w x y"}
        handle.write("\n" + json.dumps(row) + "\n")
    assert load_jsonl(str(path)) == [BenchmarkText("DS-1000", "extra/2", "p q r s t u v w x y")]


def test_jsonl_row_without_text_names_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"task_id": "a", "text": "x y z"}) + "\n" + json.dumps({"task_id": "b"}) + "\n")
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        load_jsonl(str(path))


def test_unknown_builtin_benchmark_is_an_error():
    with pytest.raises(ValueError, match="unknown benchmark"):
        load_sources(["mbpp"])


def test_clean_file_is_kept(decontaminator):
    assert decontaminator.check(record("def add(a, b):\n    return a + b\n")) is None


@pytest.mark.parametrize("text", ["print(fizz_buzz(15))", "print(fizz_buzz(15)) and some more words here"])
def test_index_survives_pickling_for_beam_workers(text):
    copy = pickle.loads(pickle.dumps(one_task(text)))
    assert copy.check(record(text)) is not None


def test_tokenize_is_the_word_regex_on_ascii_and_unicode_text():
    import re

    decontaminator = Decontaminator([])
    texts = ["def f(x_1, y):\n\treturn x_1+y  # ok\x1c\x7f", "a__b 9x \\n\\t", "", "ünïcode wörds_2 ok", "x\u00a0y\u2028z"]
    for text in texts:
        assert decontaminator.tokenize(text) == re.findall(r"\w+", text), repr(text)
