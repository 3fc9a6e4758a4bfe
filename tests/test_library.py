"""What the edges of the library rest on, on the real plan and a 2027 plan made from it
(tests/library_docs.py): a file inspected before it is added, refs of any document resolved as people
type them, one target row per document and indicator, and a library changed by another process seen
by a running Assistant."""

from __future__ import annotations

import json

import pytest
from library_docs import plan_variant

from assistant.answering.compare import rows_by_indicator
from assistant.documents.intake import add_document, document_of, find_node, inspect_file, primary_entry
from assistant.documents.library import Library
from assistant.documents.refs import UnknownRef
from assistant.errors import LibraryError

LABEL = "2027内蒙古计划"


@pytest.fixture
def library(tmp_path, doc):
    return Library.open(tmp_path / "library", primary_entry(doc))


def test_inspect_file_reads_the_metadata_and_adds_nothing(tmp_path, library):
    path = plan_variant(tmp_path / "计划.txt", 2027)
    doc, meta = inspect_file(path)
    assert meta == {"title": "2027年内蒙古自治区国民经济和社会发展计划", "year": 2027, "region": "内蒙古自治区",
                    "kind": "plan", "label": LABEL}
    assert [n.ref for n in doc.parts] == ["一", "二", "三", "四"]
    assert inspect_file(path, year=2028, region="宁夏回族自治区")[1]["label"] == "2028宁夏计划"
    assert not (library.folder / "library.json").exists()


def test_a_bad_file_is_one_line_and_leaves_the_library_as_it_was(tmp_path, library):
    add_document(library, plan_variant(tmp_path / "计划.txt", 2027))
    manifest = (library.folder / "library.json").read_text(encoding="utf-8")
    files = sorted(p.name for p in (library.folder / "files").iterdir())
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    (tmp_path / "again.txt").write_bytes((tmp_path / "计划.txt").read_bytes())
    cases = {"empty.txt": "文件“empty.txt”是空的", "notes.txt": "没有读出文件的章节结构", "tool.exe": "不支持的文件类型",
             "again.txt": f"文库中已有同一份文件：{LABEL}", "missing.txt": "找不到文件"}
    for name, message in cases.items():
        with pytest.raises(LibraryError) as e:
            add_document(library, tmp_path / name)
        assert str(e.value).startswith(message) and "\n" not in str(e.value)
    assert (library.folder / "library.json").read_text(encoding="utf-8") == manifest
    assert sorted(p.name for p in (library.folder / "files").iterdir()) == files
    assert [e.id for e in library.entries] == ["plan", "d1"]


def test_refs_of_any_document_resolve_as_people_type_them(tmp_path, library, doc):
    entry, _ = add_document(library, plan_variant(tmp_path / "计划.txt", 2027))
    assert find_node(library, f"{LABEL}·四（三）")[1].ref == f"{LABEL}·四(三)"
    assert find_node(library, f"[{LABEL}·专栏二]")[1].ref == f"{LABEL}·专栏2"
    assert find_node(library, "四(三)", key="d1")[1].ref == f"{LABEL}·四(三)"
    assert find_node(library, "四(三)", key=LABEL)[0] is entry
    primary, node = find_node(library, "四（三）", primary=doc)
    assert primary.primary and node is doc.get("四(三)")
    assert "850亿斤" in find_node(library, f"{LABEL}·主要预期目标")[1].text
    with pytest.raises(UnknownRef):
        find_node(library, f"{LABEL}·五(一)")  # a part this document does not have
    with pytest.raises(UnknownRef):
        find_node(library, "四(三)")  # a bare ref, without the primary to look it up in
    with pytest.raises(LibraryError, match="文库中没有“d9”"):
        find_node(library, "四(三)", key="d9")
    assert document_of(library, entry) is document_of(library, entry)  # read once


def test_rows_by_indicator_gives_one_row_per_document(tmp_path, library, doc):
    entry, _ = add_document(library, plan_variant(tmp_path / "计划.txt", 2027))
    table = rows_by_indicator([(library.entries[0], doc), (entry, document_of(library, entry))])
    gdp = table["地区生产总值增长"]
    assert [(r.label, r.ref, r.level, r.value.text) for r in gdp] == [
        ("2026内蒙古计划", "主要预期目标", 5.0, "5%左右"), (LABEL, f"{LABEL}·主要预期目标", 5.5, "5.5%左右")]
    assert [r.value.text for r in table["粮食产量"]] == ["超过840亿斤", "超过850亿斤"]


@pytest.fixture(scope="module")
def own_assistant(assistant, tmp_path_factory):
    """An Assistant on the session's index with a library of its own (others keep theirs empty)."""
    from assistant.api import Assistant
    from assistant.config import Config

    folder = tmp_path_factory.mktemp("own-library")
    config = Config.load(index_dir=str(assistant.config.index_path), library_dir=str(folder), log="off")
    return Assistant.load(config, progress=False)


def test_a_document_added_elsewhere_is_answered_over_and_one_removed_is_gone(own_assistant, tmp_path, doc):
    a = own_assistant
    assert [e.id for e in a.library.entries] == ["plan"]
    # another process (the CLI, another worker) adds a document to the same folder
    elsewhere = Library.open(a.library.folder, primary_entry(doc))
    entry, _ = add_document(elsewhere, plan_variant(tmp_path / "计划.txt", 2027))
    assert [e.label for e in a.library.entries] == ["2026内蒙古计划", LABEL]
    answer = a.ask("2027年粮食产量目标是多少？")
    assert "超过850亿斤" in answer.text and [c.ref for c in answer.citations] == [f"{LABEL}·主要预期目标"]
    hits = a.retrieve("稀土产业有哪些举措", k=3, docs=[LABEL])
    assert hits and all(h.ref.startswith(LABEL + "·") for h in hits)
    assert [h.ref for h in a.retrieve("稀土产业有哪些举措", k=3, docs=["plan"])] == \
        [h.ref for h in a.retrieve("稀土产业有哪些举措", k=3)]
    with pytest.raises(LibraryError):
        a.retrieve("稀土", docs=["d9"])
    elsewhere.remove(entry.id)
    assert [e.id for e in a.library.entries] == ["plan"] and entry.id not in a.shelf._corpora
    assert a.ask("粮食产量目标是多少？").citations[0].ref == "主要预期目标"


def test_a_question_over_a_document_just_added_elsewhere_finds_it(own_assistant, tmp_path, doc):
    a = own_assistant
    elsewhere = Library.open(a.library.folder, primary_entry(doc))
    entry, _ = add_document(elsewhere, plan_variant(tmp_path / "计划.txt", 2027))
    # asked over it at once, with nothing read of the library in between (the web app's 问答范围)
    answer = a.ask("粮食产量目标是多少？", docs=[entry.id])
    assert "超过850亿斤" in answer.text and [c.ref for c in answer.citations] == [f"{LABEL}·主要预期目标"]
    elsewhere.remove(entry.id)


def test_a_manifest_that_cannot_be_read_keeps_the_entries_as_they_were(own_assistant, tmp_path, doc):
    a = own_assistant
    elsewhere = Library.open(a.library.folder, primary_entry(doc))
    entry, _ = add_document(elsewhere, plan_variant(tmp_path / "计划.txt", 2027))
    assert len(a.library.entries) == 2
    manifest = a.library.folder / "library.json"
    good = manifest.read_text(encoding="utf-8")
    manifest.write_text("{not json", encoding="utf-8")
    assert [e.label for e in a.library.entries] == ["2026内蒙古计划", LABEL]
    manifest.write_text(good, encoding="utf-8")
    elsewhere.remove(entry.id)
    assert json.loads(manifest.read_text(encoding="utf-8")) == [] and len(a.library.entries) == 1
