from __future__ import annotations

import json

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.writers import JsonlWriter

from filters.datatrove_adapter import DatatroveFileFilter, document_record
from filters.file_filters import DataFileSizeFilter, XmlFilter

XML = '<?xml version="1.0"?>\n<root/>\n'


def doc(text: str, id: str, **metadata) -> Document:
    return Document(text=text, id=id, metadata=metadata)


def test_rejected_documents_are_dropped_and_kept_ones_pass_in_order():
    docs = [doc("x = 1\n", "a", path="a.py"), doc(XML, "b", path="b.xml"), doc("y = 2\n", "c", path="c.py")]
    kept = list(DatatroveFileFilter(XmlFilter()).run(iter(docs)))
    assert [d.id for d in kept] == ["a", "c"]


def test_drop_reason_is_counted_in_the_step_stats():
    step = DatatroveFileFilter(XmlFilter())
    list(step.run(iter([doc(XML, "b"), doc(XML, "c")])))
    assert step.stats["dropped_xml"].total == 2


def test_filter_returns_false_with_the_rule_reason():
    result = DatatroveFileFilter(DataFileSizeFilter()).filter(doc("{}", "a", language="json"))
    assert result == (False, "data_size:too_small")


def test_dropped_document_carries_the_verdict_detail():
    dropped = doc("{}", "a", language="json")
    DatatroveFileFilter(DataFileSizeFilter()).filter(dropped)
    assert dropped.metadata["filter_detail"] == "2 chars"


def test_record_reads_the_stack_metadata_names():
    record = document_record(doc("{}", "a", lang="JSON", max_stars_repo_path="cfg/a.json", size=2))
    assert record == {"path": "cfg/a.json", "language": "json", "content": "{}", "size": 2}


def test_record_falls_back_to_empty_path_and_language_and_utf8_size():
    assert document_record(doc("é", "a")) == {"path": "", "language": "", "content": "é", "size": 2}


def test_rule_runs_inside_a_local_datatrove_pipeline(tmp_path):
    docs = [
        doc("x = 1\n", "kept", path="a.py", language="python"),
        doc(XML, "dropped", path="b.xml", language="xml"),
    ]
    step = DatatroveFileFilter(XmlFilter(), exclusion_writer=JsonlWriter(str(tmp_path / "rejects"), compression=None))
    writer = JsonlWriter(str(tmp_path / "kept"), compression=None)
    LocalPipelineExecutor([docs, step, writer], logging_dir=str(tmp_path / "logs"), workers=1).run()

    def ids(folder: str) -> list[dict]:
        return [json.loads(line) for path in sorted((tmp_path / folder).iterdir()) for line in path.open()]

    assert [row["id"] for row in ids("kept")] == ["kept"]
    assert [(row["id"], row["metadata"]["filter_reason"]) for row in ids("rejects")] == [("dropped", "xml")]
