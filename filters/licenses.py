"""Per-repository license detection and the permissive-only filter [issue 14; The Stack §3].

A repository's license is an SPDX expression built from what the repository itself says:

* **license texts** (:func:`detect_text`): ``LICENSE*``, ``LICENCE*``, ``COPYING*``,
  ``UNLICENSE``, ``NOTICE``, ``COPYRIGHT*`` at the root, REUSE's ``LICENSES/``, and the
  ``License`` section of the root README, matched against the characteristic sentences of
  43 license texts and 18 short notices (``TEXT_RULES``, ``NOTICE_RULES``) after normalising
  case, punctuation and whitespace;
* **package metadata** (:func:`detect_metadata`): ``package.json``, ``pyproject.toml``,
  ``setup.cfg``, ``setup.py``, ``PKG-INFO`` (license, license expression and trove
  classifiers), ``Cargo.toml``, ``composer.json``, ``*.gemspec``, ``pom.xml``, ``*.nuspec``,
  R's ``DESCRIPTION``, and Debian's machine-readable ``debian/copyright``;
* ``SPDX-License-Identifier`` headers in the first 4 KB of every crawled file.

Combination (:func:`combine`): package metadata carries structure (a crate's
``MIT OR Apache-2.0``) that two license files cannot, so it is the base; a license text or
header whose licenses the base does not name (same family: ``GPL-2.0-only`` and
``GPL-2.0-or-later`` are one family) is added with ``AND``; without metadata, the distinct
expressions of all sources are joined with ``AND``. A vague metadata name (``BSD``,
``GPL``) takes the exact license of the texts when they name one of its family.

Why not ScanCode in the pipeline: ``scancode-toolkit`` 32.5 imports its plugin manager even
through ``licensedcode`` and fails with pluggy >= 1.5, which pytest 9 requires, so it cannot
share an environment with the test extra; it is also 750 MB installed and loads its index in
7.7 s per worker. On the 72 real repositories of ``benchmarks/bench_licenses.py`` this
detector's expression is compared with ScanCode's run on the whole repository
(``benchmarks/RESULTS.md``, "Licenses (issue 14)"), and ScanCode stays the benchmark's reference.

Plain functions over plain data; no Beam, no pipeline imports.
"""
from __future__ import annotations

import configparser
import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence

STAGE = "licenses"
NONE_REASON = "license:none"
NOT_PERMITTED_REASON = "license:not_permitted"
MODES = ("all", "permissive")

# Permissive licenses, in the spirit of The Stack's permissive set (licenses rated permissive
# by the Blue Oak Council, no copyleft: MPL, EPL, LGPL, GPL, AGPL, CDDL are excluded).
PERMISSIVE_LICENSES: tuple[str, ...] = (
    "0BSD", "AFL-3.0", "BlueOak-1.0.0", "Apache-1.1", "Apache-2.0", "Artistic-2.0", "BSD-2-Clause",
    "BSD-2-Clause-Patent", "BSD-3-Clause", "BSD-3-Clause-Clear", "BSL-1.0", "CC-BY-4.0",
    "CC0-1.0", "ECL-2.0", "ISC", "MIT", "MIT-0", "MS-PL", "NCSA", "PostgreSQL", "PSF-2.0",
    "Python-2.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "WTFPL", "X11", "Zlib",
    "LicenseRef-scancode-public-domain",
)
PUBLIC_DOMAIN = "LicenseRef-scancode-public-domain"

LICENSE_FILE_PREFIXES = ("license", "licence", "copying", "unlicense", "notice", "copyright")
README_PREFIX = "readme"
METADATA_NAMES = frozenset({
    "package.json", "pyproject.toml", "setup.cfg", "setup.py", "PKG-INFO", "Cargo.toml",
    "composer.json", "pom.xml", "DESCRIPTION",
})
METADATA_SUFFIXES = (".gemspec", ".nuspec")
DEBIAN_COPYRIGHT = "debian/copyright"
MAX_TEXT_CHARS = 200_000
HEADER_CHARS = 4096


@dataclass(frozen=True)
class LicensesConfig:
    """The ``licenses`` stage: detect and record (``mode: all``), or keep only repositories
    whose every license is in ``allowed`` (``mode: permissive``; an ``A OR B`` needs one
    allowed branch). ``enabled: false`` skips detection (the manifest's license only)."""

    enabled: bool = True
    mode: str = "all"
    allowed: tuple[str, ...] = PERMISSIVE_LICENSES

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode: {self.mode!r} is not one of {', '.join(MODES)}")
        unknown = [a for a in self.allowed if not is_license_id(a)]
        if unknown:
            raise ValueError(f"allowed: not SPDX license ids: {', '.join(map(repr, unknown))}")


class Detection(NamedTuple):
    """A repository's licenses: ``expression`` (SPDX, ``""`` for none found) and the paths
    (``path`` or ``path:header``) it came from, sorted."""

    expression: str
    files: tuple[str, ...]


# --- SPDX expressions -----------------------------------------------------------------

@lru_cache(maxsize=1)
def _licensing():
    from license_expression import get_spdx_licensing
    return get_spdx_licensing()


def is_license_id(name: str) -> bool:
    """A known SPDX license id (any case) or a ``LicenseRef-`` id."""
    if re.fullmatch(r"LicenseRef-[A-Za-z0-9.\-]+", name):
        return True
    if not re.fullmatch(r"[A-Za-z0-9.\-+]+", name):
        return False
    return not _licensing().validate(name).errors


@lru_cache(maxsize=4096)
def normalize(expression: str) -> Optional[str]:
    """The SPDX expression in canonical spelling (``gpl-2.0+`` -> ``GPL-2.0-or-later``),
    duplicates removed; ``None`` when it is not a valid expression of known ids."""
    text = expression.strip()
    if not text:
        return None
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=False)
    except Exception:
        return None
    if parsed is None:
        return None
    unknown = [k for k in licensing.license_keys(parsed) if not k.startswith("LicenseRef-")
               and licensing.validate(k).errors]
    if unknown:
        return None
    return str(licensing.dedup(parsed))


def license_keys(expression: str) -> list[str]:
    if not expression:
        return []
    return sorted(_licensing().license_keys(_licensing().parse(expression, validate=False)))


def family(key: str) -> str:
    """``GPL-2.0-or-later`` and ``GPL-2.0-only`` are one family (``GPL-2.0``)."""
    return re.sub(r"(-only|-or-later|\+)$", "", key)


def _paren(expression: str) -> str:
    return f"({expression})" if " " in expression else expression


def _operands(expression: str, op: str) -> list[str]:
    """The top-level operands of ``expression`` under ``op`` (itself when it is not one)."""
    from license_expression import AND, OR
    kind = AND if op == "AND" else OR
    try:
        parsed = _licensing().parse(expression, validate=False)
    except Exception:
        return [expression]
    if isinstance(parsed, kind):
        return [str(a) for a in parsed.args]
    return [expression]


def join(expressions: Iterable[str], op: str = "AND") -> str:
    """Distinct expressions joined with ``op`` (nested ``op``s flattened), sorted
    (deterministic). Under ``AND``, ``X-only`` next to ``X-or-later`` keeps the latter: a
    bare GNU text does not say "only", a notice beside it says "or later"."""
    parts = sorted({o for e in expressions if e for o in _operands(e, op)})
    if op == "AND":
        later = {p[:-len("-or-later")] for p in parts if p.endswith("-or-later")}
        parts = [p for p in parts if not (p.endswith("-only") and p[:-len("-only")] in later)]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    text = f" {op} ".join(_paren(p) for p in parts)
    return normalize(text) or text


def is_permitted(expression: str, allowed: Iterable[str]) -> bool:
    """True when the expression can be satisfied with ``allowed`` licenses only: every
    operand of ``AND``, one of ``OR``; ``A WITH exception`` as ``A`` (an exception only adds
    permissions). An empty expression is not permitted."""
    if not expression:
        return False
    allowed_keys = {a.lower() for a in allowed}
    licensing = _licensing()
    try:
        parsed = licensing.parse(expression, validate=False)
    except Exception:
        return False
    return _permitted(parsed, allowed_keys)


def _permitted(node, allowed: set[str]) -> bool:
    from license_expression import AND, OR, LicenseWithExceptionSymbol
    if isinstance(node, AND):
        return all(_permitted(a, allowed) for a in node.args)
    if isinstance(node, OR):
        return any(_permitted(a, allowed) for a in node.args)
    if isinstance(node, LicenseWithExceptionSymbol):
        return node.license_symbol.key.lower() in allowed
    return getattr(node, "key", str(node)).lower() in allowed


# --- names ---------------------------------------------------------------------------

def _norm(text: str) -> str:
    """Lower case, ``+`` as `` plus ``, every other run of non-alphanumerics one space,
    British ``licence`` as ``license``."""
    text = text.lower().replace("+", " plus ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " " + re.sub(r"\blicence(s?)\b", r"license\1", text).strip() + " "


# Free-form license names (normalised with _norm, without the outer spaces) -> SPDX.
# Names a family only ("BSD", "GPL") map to a VAGUE id resolved against the license texts.
VAGUE = {"LicenseRef-vague-BSD": ("BSD-", "BSD-3-Clause"),
         "LicenseRef-vague-GPL": ("GPL-", "GPL-1.0-or-later"),
         "LicenseRef-vague-LGPL": ("LGPL-", "LGPL-2.0-or-later")}
NAMES: dict[str, str] = {}


def _names(spdx: str, *names: str) -> None:
    for name in names:
        NAMES[_norm(name).strip()] = spdx


_names("MIT", "mit", "mit license", "the mit license", "mit licensed", "expat", "expat license",
       "mit expat", "mit style", "mit style license", "mit x11", "mit x11 license")
_names("MIT-0", "mit 0", "mit no attribution", "mit no attribution license", "mit no attribution license mit 0")
_names("X11", "x11", "x11 license")
_names("Apache-2.0", "apache 2", "apache 2 0", "apache2", "apache v2", "apache v2 0", "apache license 2 0",
       "apache license v2", "apache license v2 0", "apache license version 2", "apache license version 2 0",
       "the apache license version 2 0", "apache software license", "apache software license 2 0",
       "apache software license version 2 0", "asl 2", "asl 2 0", "apache", "apache license",
       "apache 2 0 license", "apache license 2")
_names("Apache-1.1", "apache 1 1", "apache software license 1 1", "apache license 1 1")
_names("LicenseRef-vague-BSD", "bsd", "bsd license", "bsd style", "bsd style license", "bsd like",
       "the bsd license")
_names("BSD-3-Clause", "new bsd", "new bsd license", "modified bsd", "modified bsd license", "revised bsd",
       "bsd 3", "bsd 3 clause", "3 clause bsd", "bsd 3 clause license", "3 clause bsd license",
       "bsd new", "bsd three clause", "three clause bsd", "bsd license 3 clause", "bsd 3 clause new or revised license")
_names("BSD-2-Clause", "simplified bsd", "simplified bsd license", "freebsd", "freebsd license", "bsd 2",
       "bsd 2 clause", "2 clause bsd", "bsd 2 clause license", "2 clause bsd license", "bsd simplified",
       "bsd two clause", "two clause bsd", "bsd 2 clause simplified license")
_names("0BSD", "0bsd", "zero clause bsd", "bsd zero clause", "bsd zero clause license")
_names("ISC", "isc", "isc license", "iscl", "isc license iscl")
_names("LicenseRef-vague-GPL", "gpl", "gnu gpl", "gnu general public license", "gnu general public license gpl",
       "general public license")
_names("GPL-2.0-only", "gplv2", "gpl v2", "gpl 2", "gpl 2 0", "gnu gpl v2", "gnu gplv2", "gpl version 2",
       "gnu general public license v2", "gnu general public license v2 gplv2", "gnu general public license version 2",
       "gpl 2 only", "gpl 2 0 only", "gplv2 only")
_names("GPL-2.0-or-later", "gplv2 plus", "gpl v2 plus", "gpl 2 plus", "gpl 2 0 plus", "gpl 2 0 or later",
       "gpl 2 or later", "gpl v2 or later", "gnu general public license v2 or later gplv2 plus",
       "gnu general public license v2 or later", "gplv2 or later", "gpl version 2 or later")
_names("GPL-3.0-only", "gplv3", "gpl v3", "gpl 3", "gpl 3 0", "gnu gpl v3", "gnu gplv3", "gpl version 3",
       "gnu general public license v3", "gnu general public license v3 gplv3", "gnu general public license version 3",
       "gpl 3 only", "gpl 3 0 only", "gplv3 only")
_names("GPL-3.0-or-later", "gplv3 plus", "gpl v3 plus", "gpl 3 plus", "gpl 3 0 plus", "gpl 3 0 or later",
       "gpl 3 or later", "gpl v3 or later", "gnu general public license v3 or later gplv3 plus",
       "gnu general public license v3 or later", "gplv3 or later", "gpl version 3 or later")
_names("LicenseRef-vague-LGPL", "lgpl", "gnu lgpl", "gnu lesser general public license",
       "gnu library or lesser general public license lgpl", "gnu library or lesser general public license")
_names("LGPL-2.0-or-later", "lgplv2 plus", "lgpl 2 plus", "gnu lesser general public license v2 or later lgplv2 plus",
       "gnu library general public license v2 or later")
_names("LGPL-2.1-only", "lgpl 2 1", "lgplv2 1", "lgpl v2 1", "lgpl 2 1 only")
_names("LGPL-2.1-or-later", "lgpl 2 1 plus", "lgplv2 1 plus", "lgpl 2 1 or later", "lgpl v2 1 or later")
_names("LGPL-2.0-only", "lgplv2", "lgpl 2", "lgpl v2", "gnu lesser general public license v2 lgplv2")
_names("LGPL-3.0-only", "lgplv3", "lgpl 3", "lgpl 3 0", "lgpl v3", "gnu lesser general public license v3 lgplv3")
_names("LGPL-3.0-or-later", "lgplv3 plus", "lgpl 3 plus", "lgpl 3 0 plus", "lgpl 3 0 or later",
       "gnu lesser general public license v3 or later lgplv3 plus")
_names("AGPL-3.0-only", "agpl", "agplv3", "agpl 3", "agpl 3 0", "agpl v3",
       "gnu affero general public license v3", "gnu affero general public license v3 agplv3")
_names("AGPL-3.0-or-later", "agplv3 plus", "agpl 3 plus", "agpl 3 0 or later", "agpl 3 0 plus",
       "gnu affero general public license v3 or later agplv3 plus")
_names("MPL-2.0", "mpl 2", "mpl 2 0", "mpl2", "mpl v2", "mozilla public license 2 0", "mozilla public license 2 0 mpl 2 0",
       "mozilla public license version 2 0")
_names("MPL-1.1", "mpl 1 1", "mozilla public license 1 1", "mozilla public license 1 1 mpl 1 1")
_names("EPL-1.0", "epl 1 0", "epl", "eclipse public license 1 0", "eclipse public license")
_names("EPL-2.0", "epl 2 0", "eclipse public license 2 0", "eclipse public license v2 0", "eclipse public license version 2 0")
_names("PSF-2.0", "psf", "psf 2", "psf 2 0", "psfl", "psf license", "python software foundation license",
       "python software foundation")
_names("Python-2.0", "python 2 0", "python license")
_names("Zlib", "zlib", "zlib license", "zlib libpng", "zlib libpng license")
_names(PUBLIC_DOMAIN, "public domain", "public domain dedication", "publicdomain")
_names("Unlicense", "unlicense", "the unlicense", "the unlicense unlicense", "unlicensed public domain")
_names("CC0-1.0", "cc0", "cc0 1 0", "cc0 1 0 universal", "cc0 1 0 universal cc0 1 0 public domain dedication",
       "creative commons zero")
_names("BSL-1.0", "boost", "boost software license", "boost software license 1 0", "bsl 1 0",
       "boost software license 1 0 bsl 1 0")
_names("WTFPL", "wtfpl", "do what the fuck you want to public license")
_names("Artistic-2.0", "artistic 2 0", "artistic license 2 0", "artistic license")
_names("Artistic-1.0-Perl", "perl", "perl 5", "same as perl", "artistic 1 0 perl")
_names("HPND", "hpnd", "historical permission notice and disclaimer", "historical permission notice and disclaimer hpnd")
_names("ZPL-2.1", "zpl 2 1", "zope public license", "zpl")
_names("AFL-3.0", "afl 3 0", "academic free license", "academic free license afl")
_names("CC-BY-4.0", "cc by 4 0", "cc by", "creative commons attribution 4 0")
_names("CC-BY-SA-4.0", "cc by sa 4 0", "cc by sa")
_names("EUPL-1.2", "eupl 1 2", "european union public license 1 2")
_names("OFL-1.1", "ofl 1 1", "sil open font license 1 1", "sil open font license")
_names("MS-PL", "ms pl", "microsoft public license")
_names("CDDL-1.0", "cddl", "cddl 1 0", "common development and distribution license 1 0")
_names("UPL-1.0", "upl", "upl 1 0", "universal permissive license")
_names("Unicode-DFS-2016", "unicode", "unicode dfs 2016")
_names("LicenseRef-UNLICENSED", "unlicensed", "proprietary", "all rights reserved",
       "other proprietary license", "commercial")

# Debian machine-readable copyright short names that are not SPDX ids
DEBIAN_NAMES = {"expat": "MIT", "public-domain": PUBLIC_DOMAIN, "publicdomain": PUBLIC_DOMAIN,
                "bsd-3-clause~": "BSD-3-Clause", "psf-2": "PSF-2.0", "python": "Python-2.0",
                "artistic": "Artistic-1.0-Perl", "perl": "Artistic-1.0-Perl", "boost-1.0": "BSL-1.0", "bsl-1": "BSL-1.0",
                "mpl-2": "MPL-2.0", "apache-2": "Apache-2.0", "zlib/libpng": "Zlib", "unicode": "Unicode-DFS-2016"}


def _slug(text: str) -> str:
    return "LicenseRef-" + (re.sub(r"[^A-Za-z0-9.]+", "-", text.strip()).strip("-")[:60] or "unknown")


def license_from_name(name: str) -> Optional[str]:
    """An SPDX id for one license name (an SPDX id, a common name, a trove classifier's
    last part or its parenthesised abbreviation), or ``None`` when unknown."""
    text = name.strip().strip("\"'")
    if not text:
        return None
    if is_license_id(text) and not text.lower().startswith("licenseref-"):
        return normalize(text)
    key = _norm(text).strip()
    if key in NAMES:
        return NAMES[key]
    key = re.sub(r"^(the|a) ", "", re.sub(r" (license|licensed|version)$", "", key))
    if key in NAMES:
        return NAMES[key]
    abbreviation = re.search(r"\(([^()]+)\)\s*$", text)
    if abbreviation:
        return license_from_name(abbreviation.group(1)) or license_from_name(text[:abbreviation.start()])
    return None


def expression_from_declared(value: str, list_op: str = "AND") -> Optional[str]:
    """A metadata license string as an SPDX expression: a valid expression as is
    (``MIT OR Apache-2.0``; Cargo's old ``MIT/Apache-2.0`` reads as ``OR``), else names
    joined by ``or``/``and``/``,`` mapped one by one (unknown names become ``LicenseRef-``)."""
    text = (value or "").strip()
    if not text or text.upper() in ("UNKNOWN", "NONE", "NOASSERTION") or text.upper().startswith("SEE LICENSE"):
        return None
    if len(text) > 200 or "\n" in text.strip():  # a license text pasted into a field
        return detect_text(text) or None
    spdxish = re.sub(r"\s*/\s*", " OR ", text) if re.fullmatch(r"[\w.+\-]+(\s*/\s*[\w.+\-]+)+", text) else text
    normalized = normalize(spdxish) if re.fullmatch(r"[\w.+\-() ]+", spdxish) else None
    if normalized and all(not k.startswith("LicenseRef-") for k in license_keys(normalized)):
        return normalized
    whole = license_from_name(text)
    if whole:
        return whole
    for separator, op in ((r"\s+or\s+|\s*\|\s*", "OR"), (r"\s+and\s+|\s*,\s*|\s*;\s*|\s*&\s*", list_op)):
        pieces = [p for p in re.split(separator, text, flags=re.IGNORECASE) if p.strip()]
        if len(pieces) > 1:
            subs = [expression_from_declared(p) for p in pieces]
            return join([s for s in subs if s], op) or None
    return _slug(text)


# --- license texts -------------------------------------------------------------------

class TextRule(NamedTuple):
    spdx: str
    all_of: tuple[tuple[str, ...], ...]   # every group must match one of its phrases
    none_of: tuple[str, ...] = ()


def _rule(spdx: str, *groups, none_of: Sequence[str] = ()) -> TextRule:
    norm = lambda p: _norm(p)  # noqa: E731
    return TextRule(spdx, tuple(tuple(norm(p) for p in ((g,) if isinstance(g, str) else g)) for g in groups),
                    tuple(norm(p) for p in none_of))


_BSD_BODY = ("redistribution and use in source and binary forms with or without modification are permitted "
             "provided that the following conditions are met")
_BSD_RETAIN = ("redistributions of source code must retain the above copyright notice",
               "redistributions of source code must retain the above copyright")
_BSD_ENDORSE = ("neither the name", "may not be used to endorse or promote", "may be used to endorse or promote",
                "names of its contributors may not be used", "name of the author may not be used",
                "names of the contributors may not be used")
_MIT_GRANT = "permission is hereby granted free of charge to any person obtaining a copy of this software"
_MIT_NOTICE = ("the above copyright notice and this permission notice shall be included",
               "the above copyright notice and this permission notice including the next paragraph shall be included")
_GNU_NOTICE = "as published by the free software foundation"

# Full license texts, by their characteristic sentences (the titles and dates of the GNU
# texts, the grant and conditions of the permissive ones). Order: more specific first.
TEXT_RULES: tuple[TextRule, ...] = (
    _rule("AGPL-3.0-only", "gnu affero general public license version 3 19 november 2007"),
    _rule("LGPL-3.0-only", "gnu lesser general public license version 3 29 june 2007"),
    _rule("LGPL-2.1-only", "gnu lesser general public license version 2 1 february 1999"),
    _rule("LGPL-2.0-only", "gnu library general public license version 2 june 1991"),
    _rule("GPL-3.0-only", "gnu general public license version 3 29 june 2007"),
    _rule("GPL-2.0-only", "gnu general public license version 2 june 1991"),
    _rule("GPL-1.0-only", "gnu general public license version 1 february 1989"),
    _rule("Apache-2.0", ("apache license version 2 0 january 2004", "apache license version 2 0 http www apache org licenses"),
          "terms and conditions for use reproduction and distribution"),
    _rule("Apache-1.1", "apache software license version 1 1"),
    _rule("MPL-2.0", "mozilla public license version 2 0"),
    _rule("MPL-1.1", "mozilla public license version 1 1"),
    _rule("EPL-2.0", ("eclipse public license v 2 0", "eclipse public license version 2 0"), "the accompanying program"),
    _rule("EPL-1.0", ("eclipse public license v 1 0", "eclipse public license version 1 0"), "the accompanying program"),
    _rule("CDDL-1.0", "common development and distribution license cddl version 1 0"),
    _rule("EUPL-1.2", "european union public license v 1 2"),
    _rule("BSL-1.0", "boost software license version 1 0"),
    _rule("Unlicense", "this is free and unencumbered software released into the public domain"),
    _rule("CC0-1.0", ("cc0 1 0 universal", "creative commons legal code cc0", "statement of purpose"),
          "cc0", none_of=("attribution 4 0",)),
    _rule("CC-BY-SA-4.0", "attribution sharealike 4 0 international"),
    _rule("CC-BY-4.0", "attribution 4 0 international", "creative commons", none_of=("sharealike", "noncommercial", "noderivatives")),
    _rule("BlueOak-1.0.0", "blue oak model license", "version 1 0 0"),
    _rule("WTFPL", "do what the fuck you want to public license"),
    _rule("Artistic-2.0", "the artistic license 2 0"),
    _rule("OFL-1.1", "sil open font license version 1 1"),
    _rule("MS-PL", "microsoft public license ms pl"),
    _rule("UPL-1.0", "universal permissive license upl"),
    _rule("ECL-2.0", "educational community license version 2 0"),
    _rule("NCSA", ("university of illinois ncsa open source license", "university of illinois open source license")),
    _rule("Python-2.0", "python software foundation license version 2", "beopen python open source license agreement"),
    _rule("PSF-2.0", "python software foundation license version 2", none_of=("beopen python open source license agreement",)),
    _rule("OpenSSL", "openssl license", "original ssleay license"),
    _rule("Unicode-DFS-2016", "unicode inc license agreement data files and software"),
    _rule("Zlib", "this software is provided as is without any express or implied warranty in no event will the authors be held liable",
          "permission is granted to anyone to use this software for any purpose including commercial applications and to alter it and redistribute it freely"),
    _rule("BSD-4-Clause", _BSD_BODY, _BSD_RETAIN, "all advertising materials mentioning features or use of this software must display"),
    _rule("BSD-3-Clause-Clear", _BSD_BODY, _BSD_RETAIN, "no express or implied licenses to any party s patent rights are granted by this license"),
    _rule("BSD-3-Clause", _BSD_BODY, _BSD_RETAIN, _BSD_ENDORSE,
          none_of=("all advertising materials mentioning features", "no express or implied licenses to any party s patent rights")),
    _rule("BSD-2-Clause", _BSD_BODY, _BSD_RETAIN, none_of=_BSD_ENDORSE + ("all advertising materials mentioning features",)),
    _rule("X11", _MIT_GRANT, _MIT_NOTICE, "x consortium"),
    _rule("MIT", (_MIT_GRANT, "permission is hereby granted free of charge to any person obtaining a copy of this"),
          _MIT_NOTICE, none_of=("x consortium",)),
    _rule("MIT-0", _MIT_GRANT, "without restriction", none_of=_MIT_NOTICE),
    _rule("ISC", ("permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted provided that the above copyright notice and this permission notice appear in all copies",
                  "permission to use copy modify and distribute this software for any purpose with or without fee is hereby granted provided that the above copyright notice and this permission notice appear in all copies")),
    _rule("0BSD", "permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted",
          none_of=("provided that the above copyright notice",)),
    _rule("PostgreSQL", "permission to use copy modify and distribute this software and its documentation for any purpose without fee and without a written agreement is hereby granted"),
)

_GNU_FAMILIES = ("GPL-", "LGPL-", "AGPL-")

# Short notices and statements ("licensed under the Apache License, Version 2.0").
NOTICE_RULES: tuple[TextRule, ...] = (
    _rule("AGPL-3.0-or-later", "gnu affero general public license", _GNU_NOTICE, "version 3 of the license or at your option any later version"),
    _rule("LGPL-3.0-or-later", "gnu lesser general public license", _GNU_NOTICE, "version 3 of the license or at your option any later version"),
    _rule("LGPL-2.1-or-later", "gnu lesser general public license", _GNU_NOTICE,
          ("version 2 1 of the license or at your option any later version", "version 2 1 of the license or any later version")),
    _rule("LGPL-2.0-or-later", "gnu library general public license", _GNU_NOTICE, "version 2 of the license or at your option any later version"),
    _rule("GPL-3.0-or-later", "gnu general public license", _GNU_NOTICE,
          ("version 3 of the license or at your option any later version", "version 3 or at your option any later version",
           "version 3 of the license or any later version")),
    _rule("GPL-2.0-or-later", "gnu general public license", _GNU_NOTICE,
          ("version 2 of the license or at your option any later version", "version 2 or at your option any later version",
           "version 2 of the license or any later version")),
    _rule("GPL-2.0-only", "gnu general public license", _GNU_NOTICE, "version 2 of the license",
          none_of=("any later version",)),
    _rule("GPL-3.0-only", "gnu general public license", _GNU_NOTICE, "version 3 of the license",
          none_of=("any later version",)),
    _rule("Apache-2.0", ("licensed under the apache license version 2 0", "licensed under the apache license v2 0",
                         "licensed under apache license version 2 0", "under the terms of the apache license version 2 0",
                         "released under the apache license version 2 0", "licensed under the apache 2 0 license",
                         "under the apache license 2 0", "licensed under the apache license 2 0",
                         "licenses this file to you under the apache license version 2 0")),
    _rule("MPL-2.0", "subject to the terms of the mozilla public license v 2 0"),
    _rule("MIT", ("licensed under the mit license", "released under the mit license", "distributed under the mit license",
                  "under the terms of the mit license", "licensed under the mit", "available under the mit license",
                  "released under mit license", "licensed under mit", "under the mit license")),
    _rule("BSD-3-Clause", ("under the 3 clause bsd license", "under the bsd 3 clause license", "under the new bsd license",
                           "under the modified bsd license", "under the revised bsd license")),
    _rule("BSD-2-Clause", ("under the 2 clause bsd license", "under the bsd 2 clause license", "under the simplified bsd license")),
    _rule("ISC", ("licensed under the isc license", "released under the isc license", "under the isc license")),
    _rule("Unlicense", "unlicense org"),
    _rule("CC0-1.0", ("creativecommons org publicdomain zero 1 0", "released under cc0", "dedicated to the public domain under cc0")),
    _rule("PSF-2.0", "under the terms of the psf license"),
    _rule(PUBLIC_DOMAIN, ("is in the public domain", "placed in the public domain", "released into the public domain",
                          "dedicated to the public domain")),
)


def _matches(rule: TextRule, norm: str) -> bool:
    return (all(any(p in norm for p in group) for group in rule.all_of)
            and not any(p in norm for p in rule.none_of))


def detect_text(text: str, notices: bool = True) -> str:
    """The SPDX expression of the license texts in ``text`` (``AND`` of every one found);
    short notices too unless ``notices`` is false. ``""`` when none is recognised.

    A full GNU text contains its own "version N or any later version" notice (in "How to
    apply"), so notices of a GNU family whose full text is present are not counted."""
    norm = _norm(text[:MAX_TEXT_CHARS])
    found = [r.spdx for r in TEXT_RULES if _matches(r, norm)]
    if "Python-2.0" in found and "PSF-2.0" in found:
        found.remove("PSF-2.0")
    if notices:
        gnu_text = any(f.startswith(_GNU_FAMILIES) for f in found)
        have = {family(f) for f in found}
        for rule in NOTICE_RULES:
            if gnu_text and rule.spdx.startswith(_GNU_FAMILIES):
                continue
            if family(rule.spdx) not in have and _matches(rule, norm):
                found.append(rule.spdx)
                have.add(family(rule.spdx))
        if PUBLIC_DOMAIN in found and len(found) > 1:  # "public domain" next to a real license: a remark
            found.remove(PUBLIC_DOMAIN)
    if (notices and len(text) <= MAX_DUAL_NOTICE and _DUAL.search(text)
            and not any(_matches(r, norm) for r in TEXT_RULES) and not any(f.startswith(_GNU_FAMILIES) for f in found)):
        named = names_in(text)  # "licensed under either of Apache-2.0 or MIT, at your option"
        if len(named) >= 2:
            return join(named, "OR")
    if not found:
        stripped = text.strip()
        if 0 < len(stripped) <= 100 and "\n" not in stripped:  # a LICENSE file that is only a name
            return license_from_name(stripped) or ""
    return join(found)


_DUAL = re.compile(r"\b(either|dual[- ]licen[sc]ed|at your option|your choice)\b", re.IGNORECASE)
MAX_DUAL_NOTICE = 3000


_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*\s*$|^(.+)\n([=\-~^*#]{3,})\s*$", re.MULTILINE)


# Words too common in a README to name a license there on their own.
_README_SKIP = frozenset({"python", "perl", "unicode", "commercial", "proprietary", "apache", "general public license",
                          "boost", "all rights reserved", "unlicensed", "epl", "zpl", "upl", "cc by", "cc by sa",
                          "artistic license", "mit style", "bsd like", "bsd style"})
MAX_README_SECTION = 3000


def readme_license_section(text: str) -> str:
    """The text of the README's ``License``/``Licence``/``Copying`` section (Markdown or
    reStructuredText headings), up to the next heading of the same or a higher level."""
    headings = []
    for m in _HEADING.finditer(text):
        if m.group(1):
            headings.append((m.start(), m.end(), len(m.group(1)), m.group(2)))
        else:
            headings.append((m.start(), m.end(), {"=": 1, "-": 2}.get(m.group(4)[0], 3), m.group(3)))
    for i, (start, end, level, title) in enumerate(headings):
        if re.fullmatch(r"(the\s+)?(licen[sc]e|licen[sc]ing|copying|copyright\s+(and|&)\s+licen[sc]e)s?\s*:?",
                        title.strip().strip("*_`").lower()):
            stop = next((s for s, _, lv, _ in headings[i + 1:] if lv <= level), len(text))
            return text[end:min(stop, end + MAX_README_SECTION)]
    return ""


def detect_readme(text: str) -> str:
    """Licenses the README's license section names: full texts, notices, or names
    (``MIT``, ``[Apache-2.0](LICENSE)``; two names read as ``OR`` when it says "either"
    or "dual")."""
    section = readme_license_section(text)
    if not section.strip():
        return ""
    found = detect_text(section)
    if found:
        return found
    names = names_in(section)
    return join(names, "OR" if _DUAL.search(section) else "AND")


def names_in(text: str) -> list[str]:
    """SPDX ids of the license names and ids a short text mentions (``MIT``,
    ``Apache License, Version 2.0``, ``BSD-3-Clause``), in order of length, no duplicates."""
    text = re.sub(r"\w+://\S+|\S+@\S+|\b[\w-]+(\.[\w-]+)+/\S*", " ", text)  # URLs name no license
    norm = _norm(text)
    names: list[str] = []
    for name in sorted(NAMES, key=len, reverse=True):
        if f" {name} " in norm and name not in _README_SKIP:
            if NAMES[name] not in names:
                names.append(NAMES[name])
            norm = norm.replace(f" {name} ", " ")
    for token in re.findall(r"[A-Za-z0-9.+\-]+", text):
        if re.search(r"\d|-", token) and is_license_id(token) and not token.lower().startswith("licenseref"):
            names.append(normalize(token) or token)
    names = [n for n in dict.fromkeys(names) if not n.startswith("LicenseRef-vague") or len(names) == 1]
    return [n for n in names if n != "LicenseRef-UNLICENSED"] or names


# --- package metadata ----------------------------------------------------------------

def _classifier_licenses(classifiers: Iterable[str]) -> list[str]:
    out = []
    for c in classifiers:
        parts = [p.strip() for p in str(c).split("::")]
        if len(parts) >= 2 and parts[0] == "License":
            spdx = license_from_name(parts[-1])
            if spdx and parts[-1] not in ("OSI Approved",):
                out.append(spdx)
    return out


def _pep621(license_value: Any, classifiers: Iterable[str]) -> Optional[str]:
    if isinstance(license_value, str):
        found = expression_from_declared(license_value)
        if found:
            return found
    elif isinstance(license_value, dict) and isinstance(license_value.get("text"), str):
        found = expression_from_declared(license_value["text"])
        if found:
            return found
    return join(_classifier_licenses(classifiers), "OR") or None


def _package_json(text: str) -> Optional[str]:
    data = json.loads(text)
    if not isinstance(data, dict):
        return None
    value = data.get("license")
    if isinstance(value, dict):
        value = value.get("type")
    if isinstance(value, str):
        return expression_from_declared(value)
    old = data.get("licenses")
    if isinstance(old, list):
        names = [x.get("type") if isinstance(x, dict) else x for x in old]
        return join([e for e in (expression_from_declared(str(n)) for n in names if n) if e], "OR") or None
    return None


def _pyproject(text: str) -> Optional[str]:
    data = tomllib.loads(text)
    project = data.get("project") or {}
    tool = data.get("tool") or {}
    poetry = tool.get("poetry") or {}
    flit = (tool.get("flit") or {}).get("metadata") or {}  # flit's own table, before PEP 621
    for table in (project, poetry, flit):
        found = _pep621(table.get("license"), table.get("classifiers") or ())
        if found:
            return found
    return None


def _setup_cfg(text: str) -> Optional[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    if not parser.has_section("metadata"):
        return None
    meta = parser["metadata"]
    return _pep621(meta.get("license") or meta.get("license_expression"),
                   [c for c in (meta.get("classifiers") or "").splitlines() if c.strip()])


_PY_LICENSE = re.compile(r"""\blicen[sc]e(?:_expression)?\s*=\s*(?P<q>['"])(?P<v>[^'"\n]{1,120})(?P=q)""")
_PY_CLASSIFIER = re.compile(r"""['"](License\s*::[^'"]+)['"]""")


def _setup_py(text: str) -> Optional[str]:
    m = _PY_LICENSE.search(text)
    return _pep621(m.group("v") if m else None, _PY_CLASSIFIER.findall(text))


def _pkg_info(text: str) -> Optional[str]:
    head = text.split("\n\n", 1)[0]
    fields: dict[str, list[str]] = {}
    current = None
    for line in head.splitlines():
        if line[:1] in (" ", "\t") and current:
            fields[current][-1] += "\n" + line.strip()
            continue
        name, _, value = line.partition(":")
        current = name.strip().lower()
        fields.setdefault(current, []).append(value.strip())
    for expression in fields.get("license-expression", []):
        found = expression_from_declared(expression)
        if found:
            return found
    return _pep621((fields.get("license") or [None])[0], fields.get("classifier", []))


def _cargo_toml(text: str) -> Optional[str]:
    data = tomllib.loads(text)
    value = (data.get("package") or {}).get("license")
    return expression_from_declared(value) if isinstance(value, str) else None


def _composer_json(text: str) -> Optional[str]:
    value = json.loads(text).get("license")
    if isinstance(value, list):  # composer: an array of licenses is a choice ("disjunctive")
        return join([e for e in (expression_from_declared(str(v)) for v in value) if e], "OR") or None
    return expression_from_declared(value) if isinstance(value, str) else None


_GEM = re.compile(r"""\.licen[sc]es?\s*=\s*(\[[^\]]*\]|(['"])[^'"]+\2)""")


def _gemspec(text: str) -> Optional[str]:
    m = _GEM.search(text)
    if not m:
        return None
    names = re.findall(r"""['"]([^'"]+)['"]""", m.group(1))
    return join([e for e in (expression_from_declared(n) for n in names) if e], "OR") or None


def _pom_xml(text: str) -> Optional[str]:
    block = re.search(r"<licenses>(.*?)</licenses>", text, re.DOTALL)
    if not block:
        return None
    names = re.findall(r"<name>\s*([^<]+?)\s*</name>", block.group(1))
    # Maven: several licenses let the user choose ("assumed that the user can select any")
    return join([e for e in (expression_from_declared(n) for n in names) if e], "OR") or None


def _nuspec(text: str) -> Optional[str]:
    m = re.search(r"<license\s+type\s*=\s*['\"]expression['\"]\s*>\s*([^<]+?)\s*</license>", text)
    return expression_from_declared(m.group(1)) if m else None


def _description(text: str) -> Optional[str]:
    m = re.search(r"^License:\s*(.+(?:\n[ \t]+.+)*)", text, re.MULTILINE)
    if not m:
        return None
    value = re.sub(r"\s*\+\s*file\s+LICEN[CS]E", "", " ".join(m.group(1).split()))
    value = re.sub(r"\bGPL-(\d)\b", r"GPL-\1.0-only", value)
    value = re.sub(r"\bGPL\s*\(>=\s*(\d)\)", r"GPL-\1.0-or-later", value)
    return expression_from_declared(value)


def debian_name(name: str) -> Optional[str]:
    """A Debian copyright-format short name (``GPL-2+``, ``Expat``, ``BSD-3-clause``,
    ``public-domain``) as an SPDX id; exceptions (``with X exception``) are dropped."""
    text = re.sub(r"\s+with\s+.*$", "", name.strip(), flags=re.IGNORECASE)
    if not text:
        return None
    lower = text.lower()
    if lower in DEBIAN_NAMES:
        return DEBIAN_NAMES[lower]
    m = re.fullmatch(r"gfdl-(niv-)?(\d\.\d)(\+)?(-no-invariants?)?", lower)
    if m:
        niv, version, plus, no_inv = m.groups()
        return normalize(f"GFDL-{version}{'-no-invariants' if niv or no_inv else ''}{'-or-later' if plus else '-only'}")
    m = re.fullmatch(r"(a?l?gpl)-?(\d(?:\.\d)?)(\+)?", lower)
    if m:
        fam, version, plus = m.groups()
        version = version if "." in version else f"{version}.0"
        return normalize(f"{fam.upper()}-{version}{'-or-later' if plus else '-only'}")
    return license_from_name(text) or normalize(text) or _slug(text)


def _debian_expression(value: str) -> Optional[str]:
    pieces = re.split(r"\s+or\s+", value.strip(), flags=re.IGNORECASE)
    alternatives = []
    for piece in pieces:
        parts = [debian_name(p) for p in re.split(r"\s+and\s+|\s*,\s*", piece, flags=re.IGNORECASE) if p.strip()]
        alternatives.append(join([p for p in parts if p], "AND"))
    return join([a for a in alternatives if a], "OR") or None


def detect_debian_copyright(text: str) -> str:
    """Licenses of a Debian ``copyright`` file: in the machine-readable format (DEP-5),
    the ``License:`` of every ``Files:`` paragraph except the packaging's (``debian/*``),
    joined with ``AND``; otherwise the license texts it contains."""
    paragraphs = re.split(r"\n\s*\n", text)
    if not re.search(r"^Format:.*(copyright-format|dep5|DEP-5)", paragraphs[0] if paragraphs else "",
                     re.MULTILINE | re.IGNORECASE):
        return detect_text(text)
    found = []
    for paragraph in paragraphs:
        files = re.search(r"^Files:\s*(.*(?:\n[ \t]+.*)*)", paragraph, re.MULTILINE)
        lic = re.search(r"^License:[ \t]*(.*)$", paragraph, re.MULTILINE)
        if not files or not lic or not lic.group(1).strip():
            continue
        patterns = files.group(1).split()
        if patterns and all(p.startswith("debian/") for p in patterns):
            continue
        expression = _debian_expression(lic.group(1))
        if expression:
            found.append(expression)
    return join(found)


METADATA_PARSERS = {
    "package.json": _package_json, "pyproject.toml": _pyproject, "setup.cfg": _setup_cfg,
    "setup.py": _setup_py, "PKG-INFO": _pkg_info, "Cargo.toml": _cargo_toml,
    "composer.json": _composer_json, "pom.xml": _pom_xml, "DESCRIPTION": _description,
    ".gemspec": _gemspec, ".nuspec": _nuspec,
}


def detect_metadata(path: str, text: str) -> str:
    """The license a package manifest declares (``""`` when none, or unreadable)."""
    name = path.rsplit("/", 1)[-1]
    parser = METADATA_PARSERS.get(name) or METADATA_PARSERS.get("." + name.rsplit(".", 1)[-1])
    if parser is None:
        return ""
    try:
        return parser(text) or ""
    except Exception:  # a manifest that does not parse declares nothing
        return ""


# --- which files, and the repository's expression -------------------------------------

def source_kind(path: str) -> Optional[str]:
    """``"text"``, ``"readme"``, ``"metadata"`` or ``"debian"`` for a license-bearing path
    (root files, ``LICENSES/*``, ``debian/copyright``), else ``None``."""
    if path == DEBIAN_COPYRIGHT:
        return "debian"
    parts = path.split("/")
    if len(parts) == 2 and parts[0] in ("LICENSES", "licenses"):
        return "text"
    if len(parts) != 1:
        return None
    name = parts[0]
    lower = name.lower()
    if name in METADATA_NAMES or lower.endswith(METADATA_SUFFIXES):
        return "metadata"
    if lower.startswith(LICENSE_FILE_PREFIXES):
        return "text"
    if lower.startswith(README_PREFIX):
        return "readme"
    return None


def is_license_source(path: str) -> bool:
    """Whether the crawl must keep this file's text for license detection."""
    return source_kind(path) is not None


_SPDX_HEADER = re.compile(r"SPDX-License-Identifier:\s*([^\n\r]*)")


def spdx_header(content: str) -> Optional[str]:
    """The expression of an ``SPDX-License-Identifier:`` line in the first 4 KB."""
    head = content[:HEADER_CHARS]
    if "SPDX-License-Identifier" not in head:
        return None
    m = _SPDX_HEADER.search(head)
    value = re.split(r"\*/|-->|[\"'`]|\s#|\s//", m.group(1))[0].strip().rstrip(".,;") if m else ""
    if not value:
        return None
    return normalize(value) or normalize(value.replace("/", " OR ")) or None


def _resolve_vague(expression: str, text_keys: Sequence[str]) -> str:
    for vague, (prefix, default) in VAGUE.items():
        if vague in expression:
            exact = sorted({k for k in text_keys if k.startswith(prefix)})
            expression = expression.replace(vague, _paren(join(exact)) if exact else default)
    return normalize(expression) or expression


def combine(metadata: Sequence[str], texts: Sequence[str], headers: Sequence[str]) -> str:
    """One SPDX expression from the metadata, license-text and header expressions
    (the rules in the module docstring)."""
    text_keys = [k for e in list(texts) + list(headers) for k in license_keys(e)]
    declared = [_resolve_vague(e, text_keys) for e in metadata if e]
    base_parts: list[str] = []
    for e in sorted(set(declared), key=lambda e: (-len(license_keys(e)), e)):
        fams = {family(k) for k in license_keys(e)}
        if not any(fams <= {family(k) for k in license_keys(b)} for b in base_parts):
            base_parts.append(e)
    if not base_parts:
        return join(list(texts) + list(headers))
    covered = {family(k) for b in base_parts for k in license_keys(b)}
    extra = [k for e in list(texts) + list(headers) for k in license_keys(e)
             if family(k) not in covered and not k.startswith("LicenseRef-vague")]
    return join(base_parts + extra)


def detect_repository(aux: Iterable[Mapping[str, Any]], files: Iterable[Mapping[str, Any]] = ()) -> Detection:
    """Detect a repository's licenses from its license-bearing texts (``aux`` records:
    ``path``, ``text``) and the SPDX headers of its crawled ``files`` (``path``, ``content``)."""
    metadata, texts, headers, used = [], [], [], []
    for record in sorted(aux, key=lambda a: a["path"]):
        path, text = record["path"], record["text"]
        kind = source_kind(path)
        if kind is None:
            continue
        if kind == "metadata":
            found = detect_metadata(path, text)
            target = metadata
        elif kind == "debian":
            found = detect_debian_copyright(text)
            target = texts
        elif kind == "readme":
            found = detect_readme(text)
            target = texts
        else:
            found = detect_text(text)
            target = texts
        if found:
            target.append(found)
            used.append(path)
    for record in sorted(files, key=lambda r: r["path"]):
        found = spdx_header(record.get("content") or "")
        if found and found not in headers:  # the first file of each distinct header names it
            headers.append(found)
            used.append(f"{record['path']}:header")
    expression = combine(metadata, texts, headers)
    return Detection(expression, tuple(sorted(set(used))) if expression else ())


# --- the stage -----------------------------------------------------------------------

class LicenseVerdict(NamedTuple):
    """What the stage decided for one repository."""

    license: str             # the expression the rank and the filter use
    detected: str
    files: tuple[str, ...]
    reason: Optional[str]    # None: kept; else license:none / license:not_permitted
    detail: str


def decide(declared: str, detection: Detection, config: LicensesConfig) -> LicenseVerdict:
    """``license``: the declared license (manifest or Parquet column; as SPDX when its names
    are known: ``mit,apache-2.0`` -> ``Apache-2.0 AND MIT``) when there is one, else the
    detected expression. A declaration is the curator's own statement about the
    repository (The Stack's column came from GitHub's license detection), so it is not
    second-guessed; the detection is kept beside it. In permissive mode the repository is
    kept only when ``license`` is permitted by ``allowed``."""
    declared = (declared or "").strip()
    chosen = (expression_from_declared(declared) or declared) if declared else detection.expression
    if config.mode == "permissive":
        if not chosen:
            return LicenseVerdict(chosen, detection.expression, detection.files, NONE_REASON,
                                  "no license text, package metadata or SPDX header found")
        if not is_permitted(chosen, config.allowed):
            return LicenseVerdict(chosen, detection.expression, detection.files, NOT_PERMITTED_REASON, chosen)
    return LicenseVerdict(chosen, detection.expression, detection.files, None, "")


def apply_licenses(files: Sequence[dict[str, Any]], aux: Sequence[Mapping[str, Any]],
                   config: LicensesConfig) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``licenses`` stage on one repository: ``(kept file records, reject records)``.

    Every file record gets ``license``, ``license_detected`` and ``license_files``; in
    permissive mode a repository without a permitted license is removed whole, one reject
    row per file (``license:none``, or ``license:not_permitted`` with the expression)."""
    from contract.records import reject_record

    if not files:
        return [], []
    declared = files[0].get("license", "") or ""
    if config.enabled:
        detection = detect_repository(aux, files)
    else:
        detection = Detection("", ())
    verdict = decide(declared, detection, config)
    if verdict.reason is not None:
        return [], [reject_record(r["repo_name"], r["path"], STAGE, verdict.reason, verdict.detail, r["size"])
                    for r in files]
    stamped = [{**r, "license": verdict.license, "license_detected": verdict.detected,
                "license_files": list(verdict.files)} for r in files]
    return stamped, []
