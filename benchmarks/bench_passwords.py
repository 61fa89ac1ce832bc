"""Password and keyword-secret redaction before and after issue 13 item 3: recall on
planted credentials, what is kept among planted placeholders, and what changes on real
repositories.

    python benchmarks/bench_passwords.py --corpus /work/corpus [--before-ref main]
        [--json out.json] [--show N]

* **Planted credentials**: realistic secrets (passwords and keys that contain words such as
  ``Secret``, ``Pass``, ``Key`` or ``Token``, and ones that do not) assigned to credential
  keys in eight formats: Python, JavaScript, Java, Go, JSON, YAML, ``.env`` and INI, one
  file per (format, key, value). A credential counts as found when its value no longer
  appears in the redacted file.
* **Planted placeholders**: values that name the secret rather than being one
  (``password = "password"``, ``"<your-password>"``, ``"${DB_PASSWORD}"``,
  ``os.environ[...]``, ``process.env.X``, ``"changeme"``, ...) in the same formats; each one
  redacted is a false positive.
* **Real repositories**: every file of ``--corpus`` as the pipeline reads it (file filters,
  exact dedup), password and key spans of both versions; the spans only one version finds
  are listed (values masked) for classification by hand.

"Before" is ``filters/pii.py`` as committed at ``--before-ref`` (loaded from git into a
temporary module); "after" is the working tree's.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pii_decontam import load_records  # noqa: E402
from filters import pii as after_pii  # noqa: E402

# Values of the planted credentials: the three, words in passwords and keys, and
# word-free ones (random, passphrases) as a control.
SECRETS = (
    "hunter2-Very-Secret-991", "S3cr3t!Passw0rd-2024", "Tr0ub4dor-Token-88",
    "MySecretPass2023!", "Passw0rd!Winter", "keyboard-Cat-7731", "tokenRing#4451",
    "BlueSecret_Horse99", "Summer2024Pass", "p4ss-Phrase-Kiwi", "Adm1nKey!2022",
    "SecretSauce#12", "x7Gp2qLw9Rk", "correct-horse-battery-9", "Zq8!mN3#vT6w",
    "orange-Tiger-Lamp-42",
)
# Key names: (snake_case, camelCase, UPPER_CASE) of the same credential.
KEYS = (
    ("password", "password", "PASSWORD"),
    ("db_password", "dbPassword", "DB_PASSWORD"),
    ("secret_key", "secretKey", "SECRET_KEY"),
    ("api_key", "apiKey", "API_KEY"),
    ("auth_token", "authToken", "AUTH_TOKEN"),
    ("client_secret", "clientSecret", "CLIENT_SECRET"),
    ("passwd", "passwd", "PASSWD"),
)
# format -> (path, language, template with {snake}, {camel}, {upper}, {value})
FORMATS = {
    "python": ("app/settings.py", "python", '{upper} = "{value}"\n'),
    "javascript": ("src/config.js", "javascript", "const {camel} = '{value}';\n"),
    "java": ("src/main/java/app/Config.java", "java",
             'class Config {{\n    private static final String {upper} = "{value}";\n}}\n'),
    "go": ("config/main.go", "go", 'package config\n\nconst {camel} = "{value}"\n'),
    "json": ("config/app.json", "json", '{{\n  "{snake}": "{value}"\n}}\n'),
    "yaml": ("deploy/values.yaml", "yaml", "database:\n  {snake}: {value}\n"),
    "dotenv": (".env", "", "{upper}={value}\n"),
    "ini": ("conf/settings.ini", "", "[database]\n{snake} = {value}\n"),
}
# Placeholders: (format, line). The key's own words, templates, references, env lookups.
PLACEHOLDERS = (
    ("python", 'password = "password"\n'), ("python", 'password = "<your-password>"\n'),
    ("python", 'password = "${DB_PASSWORD}"\n'), ("python", 'password = os.environ["DB_PASSWORD"]\n'),
    ("python", 'DB_PASSWORD = "db_password"\n'), ("python", 'password = "your_password_here"\n'),
    ("python", 'SECRET_KEY = "secret-key"\n'), ("python", 'password = "%(password)s"\n'),
    ("python", 'password = "changeme"\n'), ("python", 'api_key = "<API_KEY>"\n'),
    ("javascript", "const password = process.env.DB_PASSWORD;\n"),
    ("javascript", "const password = 'YOUR_PASSWORD';\n"),
    ("javascript", "const apiKey = `${API_KEY}`;\n"), ("javascript", "const token = 'your-token-here';\n"),
    ("java", 'class C {\n    String password = System.getenv("DB_PASSWORD");\n}\n'),
    ("java", 'class C {\n    String password = "********";\n}\n'),
    ("go", 'package c\n\nvar password = os.Getenv("DB_PASSWORD")\n'),
    ("go", 'package c\n\nconst password = "password"\n'),
    ("json", '{\n  "password": "{{ db_password }}"\n}\n'), ("json", '{\n  "password": "<password>"\n}\n'),
    ("yaml", "database:\n  password: ${DB_PASSWORD}\n"), ("yaml", 'database:\n  password: "{{ .Values.password }}"\n'),
    ("yaml", "database:\n  password: changeme\n"), ("dotenv", "DB_PASSWORD=${DB_PASSWORD}\n"),
    ("dotenv", "SECRET_KEY=your-secret-key\n"), ("dotenv", "DB_PASSWORD=\n"),
    ("ini", "[db]\npassword = %(db_password)s\n"), ("ini", "[db]\npassword = <password>\n"),
)


def load_before(ref: str):
    """``filters/pii.py`` as committed at ``ref``, imported as a separate module."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:filters/pii.py"],
                            capture_output=True, text=True, check=True).stdout
    with tempfile.TemporaryDirectory(prefix="pii_before_") as folder:
        path = Path(folder) / "pii_before.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("pii_before", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["pii_before"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return module


def planted_credentials() -> list[tuple[str, str, str, str, str, str]]:
    """``(format, path, language, content, value, key)`` for every format, key and value."""
    rows = []
    for format_name, (path, language, template) in FORMATS.items():
        for snake, camel, upper in KEYS:
            for value in SECRETS:
                content = template.format(snake=snake, camel=camel, upper=upper, value=value)
                rows.append((format_name, path, language, content, value, snake))
    return rows


def recall_table(redactors: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    rows = planted_credentials()
    found = {name: collections.Counter() for name in redactors}
    total = collections.Counter()
    worded = collections.Counter()
    worded_found = {name: collections.Counter() for name in redactors}
    for format_name, path, language, content, value, _ in rows:
        total[format_name] += 1
        has_word = any(w in value.lower() for w in ("pass", "secret", "key", "token"))
        worded[format_name] += has_word
        for name, redactor in redactors.items():
            if value not in redactor.redact(content, language, path)[0]:
                found[name][format_name] += 1
                worded_found[name][format_name] += has_word
    lines = ["| format | planted | " + " | ".join(f"found {name}" for name in redactors)
             + " | " + " | ".join(f"with a word, found {name}" for name in redactors) + " |",
             "|---|---:|" + "---:|" * (2 * len(redactors))]
    for format_name in FORMATS:
        lines.append(f"| {format_name} | {total[format_name]} | "
                     + " | ".join(f"{found[n][format_name] / total[format_name]:.3f}" for n in redactors) + " | "
                     + " | ".join(f"{worded_found[n][format_name]}/{worded[format_name]}" for n in redactors) + " |")
    n_total = sum(total.values())
    lines.append(f"| **all** | **{n_total}** | "
                 + " | ".join(f"**{sum(found[n].values()) / n_total:.3f}**" for n in redactors) + " | "
                 + " | ".join(f"**{sum(worded_found[n].values())}/{sum(worded.values())}**" for n in redactors) + " |")
    by_key = {name: collections.Counter() for name in redactors}
    for format_name, path, language, content, value, key in rows:
        for name, redactor in redactors.items():
            by_key[name][key] += value not in redactor.redact(content, language, path)[0]
    per_key = len(rows) // len(KEYS)
    lines += ["", "By key (all formats): " + "; ".join(
        f"`{key[0]}` " + " / ".join(f"{by_key[n][key[0]]}" for n in redactors) + f" of {per_key}" for key in KEYS)
        + " (before / after)"]
    summary = {name: {"found": sum(found[name].values()), "planted": n_total,
                      "by_format": {f: found[name][f] / total[f] for f in FORMATS},
                      "by_key": dict(by_key[name])} for name in redactors}
    return lines, summary


def placeholder_table(redactors: dict[str, Any]) -> tuple[list[str], dict[str, int]]:
    redacted = collections.Counter()
    lines = ["| placeholder | " + " | ".join(redactors) + " |", "|---|" + "---|" * len(redactors)]
    for format_name, content in PLACEHOLDERS:
        path, language, _ = FORMATS[format_name]
        cells = []
        for name, redactor in redactors.items():
            changed = redactor.redact(content, language, path)[0] != content
            redacted[name] += changed
            cells.append("redacted" if changed else "kept")
        shown = next(line for line in content.splitlines() if "=" in line or ": " in line).strip()
        shown = shown.replace("|", "\\|").replace("`", "\\`")
        lines.append(f"| {format_name}: `{shown}` | " + " | ".join(cells) + " |")
    return lines, dict(redacted)


def corpus_changes(records, before, after) -> tuple[dict[str, collections.Counter], list[tuple[str, Any, Any]]]:
    """Password/key span counts of both versions, and the spans only one of them finds."""
    counts = {"before": collections.Counter(), "after": collections.Counter()}
    differing = []
    for record in records:
        spans = {}
        for name, redactor in (("before", before), ("after", after)):
            found = {(s.start, s.end, s.kind) for s in redactor.spans(record["content"], record["language"], record["path"])
                     if s.kind in ("password", "key")}
            counts[name].update(kind for _, _, kind in found)
            spans[name] = found
        for side, other in (("after", "before"), ("before", "after")):
            for span in sorted(spans[side] - spans[other]):
                differing.append((f"only {side}", record, span))
    return counts, differing


def describe(record, span, mask: bool) -> str:
    start, end, kind = span
    content = record["content"]
    value = content[start:end]
    shown = f"{value[:3]}…({len(value)})" if mask else value
    line_start = content.rfind("\n", 0, start) + 1
    line_end = content.find("\n", end)
    line = content[line_start:start] + f"«{shown}»" + content[end: line_end if line_end >= 0 else len(content)]
    return f"{kind} | {record['repo_name']}/{record['path']} | {line.strip()[:140]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", default=[], help="folder of repositories (repeatable)")
    parser.add_argument("--before-ref", default="main", help="git ref of the 'before' filters/pii.py")
    parser.add_argument("--show", type=int, default=60, help="differing corpus spans to print")
    parser.add_argument("--json", help="also write the numbers here")
    args = parser.parse_args(argv)

    before = load_before(args.before_ref).Redactor()
    after = after_pii.Redactor()
    redactors = {"before": before, "after": after}
    recall_lines, recall = recall_table(redactors)
    placeholder_lines, placeholders = placeholder_table(redactors)
    print("Planted credentials (found = value gone from the output):\n")
    print("\n".join(recall_lines))
    print(f"\nPlanted placeholders ({len(PLACEHOLDERS)}; redacted = false positive):\n")
    print("\n".join(placeholder_lines))
    summary: dict[str, Any] = {"recall": recall, "placeholders_redacted": placeholders,
                               "placeholders": len(PLACEHOLDERS)}
    for corpus in args.corpus:
        records = load_records([corpus])
        counts, differing = corpus_changes(records, before, after)
        print(f"\nCorpus {corpus}: {len(records)} files; password/key spans before "
              f"{dict(counts['before'])}, after {dict(counts['after'])}; "
              f"{sum(1 for d in differing if d[0] == 'only after')} only after, "
              f"{sum(1 for d in differing if d[0] == 'only before')} only before:\n")
        for side, record, span in differing[: args.show]:
            print(f"  {side} | {describe(record, span, mask=False)}")
        summary[corpus] = {"files": len(records), "before": dict(counts["before"]), "after": dict(counts["after"]),
                           "differing": [f"{side} | {describe(r, s, mask=True)}" for side, r, s in differing]}
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
