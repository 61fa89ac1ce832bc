"""Run any :class:`filters.base.FileFilter` as a datatrove pipeline step."""
from __future__ import annotations

from typing import Any, Optional

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from filters.base import FileFilter

# Metadata keys tried in order: this project's record, then The Stack's and common reader names.
PATH_KEYS = ("path", "max_stars_repo_path", "file_path", "filename")
LANGUAGE_KEYS = ("language", "lang", "programming_language")


def _first(metadata: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((metadata[key] for key in keys if metadata.get(key) is not None), None)


def document_record(doc: Document) -> dict[str, Any]:
    """The file record a rule sees for ``doc``: ``text`` as ``content``; ``path``, ``language``
    (lower-cased, so The Stack's ``"HTML"`` reads ``"html"``) and ``size`` from the metadata,
    falling back to ``""``, ``""`` and the text's UTF-8 byte count."""
    metadata = doc.metadata
    path = _first(metadata, PATH_KEYS)
    language = _first(metadata, LANGUAGE_KEYS)
    size = metadata.get("size")
    return {
        "path": str(path) if path is not None else "",
        "language": str(language).lower() if language is not None else "",
        "content": doc.text,
        "size": int(size) if size is not None else len(doc.text.encode("utf-8", errors="replace")),
    }


class DatatroveFileFilter(BaseFilter):
    """Drops a document when ``rule`` rejects its record: returns ``(False, verdict.reason)``, so
    datatrove counts ``dropped_<reason>``; the verdict's detail goes to
    ``doc.metadata["filter_detail"]`` for an exclusion writer."""

    name = "repocurate file filter"

    def __init__(self, rule: FileFilter, exclusion_writer: Optional[DiskWriter] = None):
        self.rule = rule
        self.name = f"repocurate:{rule.name}"  # before super().__init__, which names the stats
        super().__init__(exclusion_writer)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        verdict = self.rule.check(document_record(doc))
        if verdict is None:
            return True
        doc.metadata["filter_detail"] = verdict.detail
        return False, verdict.reason
