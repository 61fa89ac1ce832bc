"""Write a file atomically (temporary name in the same folder, then rename) and hash it."""
from __future__ import annotations

import hashlib
import os
from typing import Iterable, NamedTuple, Union

from pipeline.storage import FileSystems


class Written(NamedTuple):
    path: str
    sha256: str
    n_bytes: int


def write_atomically(folder: str, name: str, chunks: Iterable[Union[bytes, memoryview]]) -> Written:
    """Write ``chunks`` to ``folder/name`` (local or any Beam filesystem); returns its sha256."""
    path = FileSystems.join(folder, name)
    temporary = FileSystems.join(folder, f".tmp-{name}")
    digest, size = hashlib.sha256(), 0
    with FileSystems.create(temporary) as handle:
        for chunk in chunks:
            view = memoryview(chunk).cast("B")
            digest.update(view)
            handle.write(view)
            size += view.nbytes
    if FileSystems.exists(path):
        if "://" not in path and os.path.isdir(path) and not os.path.islink(path):
            FileSystems.delete([temporary])  # a folder there is not ours: never remove its tree
            raise IsADirectoryError(f"{path} is a folder that repocurate did not write; move it away and run again")
        FileSystems.delete([path])
    FileSystems.rename([temporary], [path])
    return Written(path, digest.hexdigest(), size)
