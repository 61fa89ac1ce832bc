"""ScanCode, the license benchmark's reference, run in its own environment (not the project's).

scancode-toolkit 32.5 needs pluggy < 1.5 (its plugin manager fails with newer pluggy even
when only ``licensedcode`` is imported), which pytest 9 cannot live with, so it is installed
in a separate virtual environment:

    python -m venv VENV && VENV/bin/pip install scancode-toolkit==32.5.0 'pluggy<1.5'

and ``benchmarks/bench_licenses.py --scancode-python VENV/bin/python`` runs this script there:

    VENV/bin/python benchmarks/scancode_reference.py files LIST.json OUT.json
        per file of LIST (a JSON list of paths): the SPDX expression of ScanCode's license
        detections in it (``licensedcode.detection.detect_licenses``, one index load)
    VENV/bin/python benchmarks/scancode_reference.py summaries DIR OUT.json
        per ``DIR/<repo>.json`` written by ``scancode --license --summary --classify --json``
        over the whole repository: its summary's declared license expression and every other
        expression found, in SPDX
"""
from __future__ import annotations

import json
import os
import sys


def files(list_path: str, out_path: str) -> None:
    from licensedcode import detection
    from licensedcode.cache import get_index

    index = get_index()
    out = {}
    for path in json.load(open(list_path)):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
        expressions = []
        for det in detection.detect_licenses(index=index, query_string=text):
            if det.license_expression_spdx and det.license_expression_spdx not in expressions:
                expressions.append(det.license_expression_spdx)
        out[path] = expressions
    json.dump(out, open(out_path, "w"), indent=1, sort_keys=True)


def summaries(directory: str, out_path: str) -> None:
    from licensedcode.cache import build_spdx_license_expression

    def spdx(expression):
        return build_spdx_license_expression(expression) if expression else ""

    out = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        summary = json.load(open(os.path.join(directory, name))).get("summary") or {}
        others = [o["value"] for o in summary.get("other_license_expressions") or [] if o.get("value")]
        out[name[:-len(".json")]] = {
            "declared": spdx(summary.get("declared_license_expression")),
            "other": sorted({spdx(o) for o in others}),
        }
    json.dump(out, open(out_path, "w"), indent=1, sort_keys=True)


if __name__ == "__main__":
    {"files": files, "summaries": summaries}[sys.argv[1]](sys.argv[2], sys.argv[3])
