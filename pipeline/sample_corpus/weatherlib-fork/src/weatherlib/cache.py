# Copyright 2024 Nordwind Labs
"""An on-disk JSON cache for API responses."""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any, Optional


class DiskCache:
    def __init__(self, ttl: float = 300.0, directory: Path = Path.home() / ".cache" / "weatherlib"):
        self.ttl = ttl
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / (hashlib.sha256(key.encode()).hexdigest() + ".json")

    def get(self, key: str) -> Optional[Any]:
        path = self._path(key)
        if not path.exists() or time.time() - path.stat().st_mtime > self.ttl:
            return None
        return json.loads(path.read_text())

    def put(self, key: str, value: Any) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._path(key).write_text(json.dumps(value))
