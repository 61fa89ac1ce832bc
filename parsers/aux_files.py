"""Configuration files that import resolution reads even when they are not kept as source."""
from __future__ import annotations

AUX_FILE_NAMES = frozenset({
    "go.mod", "go.work", "tsconfig.json", "jsconfig.json", "package.json", "composer.json",
    "Cargo.toml", "setup.cfg", "pyproject.toml", "setup.py",
})


def is_aux_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name in AUX_FILE_NAMES or (name.startswith("tsconfig.") and name.endswith(".json"))
