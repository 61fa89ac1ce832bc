"""The quality stage on one sample: drop files with reasons, redact, reassemble, drop tiny leftovers."""
from __future__ import annotations

from filters.base import Verdict
from filters.pii import Redactor
from filters.quality_stage import apply_quality
from parsers.samples import FileInfo, assemble_samples, split_sample


class DropPath:
    name = "drop_path"

    def __init__(self, path: str):
        self.path = path

    def check(self, record):
        return Verdict("test:dropped", record["path"]) if record["path"] == self.path else None


def make_sample(files: dict[str, str]) -> dict:
    infos = {p: FileInfo("python", c, len(c.encode())) for p, c in files.items()}
    (sample,), _ = assemble_samples("acme", [list(files)], infos, 1 << 20, lambda lang, p: f"# {p}")
    sample["file_sizes"] = [infos[p].size for p in sample["paths"]]
    return sample


BIG = "def area(width, height):\n    return width * height\n" * 4


def test_a_dropped_file_is_rejected_and_the_sample_reassembled_in_order():
    sample = make_sample({"a.py": BIG, "b.py": "import a\n", "c.py": BIG.replace("area", "volume")})
    kept, rejects, _ = apply_quality(sample, [DropPath("b.py")], None, min_sample_bytes=64)
    assert [(r["path"], r["stage"], r["reason"]) for r in rejects] == [("b.py", "quality", "test:dropped")]
    assert kept["paths"] == ["a.py", "c.py"] and [c for _, c in split_sample(kept)] == [BIG, BIG.replace("area", "volume")]


def test_a_sample_left_too_small_is_dropped_with_a_reason():
    sample = make_sample({"a.py": BIG, "b.py": "x = 1\n"})
    kept, rejects, _ = apply_quality(sample, [DropPath("a.py")], None, min_sample_bytes=64)
    assert kept is None
    assert [(r["path"], r["reason"]) for r in rejects] == [("a.py", "test:dropped"), ("b.py", "sample_too_small")]


def test_an_untouched_small_sample_is_kept():
    sample = make_sample({"b.py": "x = 1\n"})
    kept, rejects, _ = apply_quality(sample, [], None, min_sample_bytes=64)
    assert kept is not None and rejects == []


def test_kept_files_are_redacted_and_counted():
    sample = make_sample({"cfg.py": 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7REALKEY"\nCONTACT = "jane.doe@corp-mail.org"\n'})
    kept, _, counts = apply_quality(sample, [], Redactor(), min_sample_bytes=0)
    assert "AKIAIOSFODNN7REALKEY" not in kept["text"] and "jane.doe@corp-mail.org" not in kept["text"]
    assert counts["email"] == 1 and counts["key"] >= 1 and '"email": 1' in kept["redactions"]
