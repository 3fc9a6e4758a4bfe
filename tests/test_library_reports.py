"""The library on the eight real reports of tests/corpus, added from .docx beside the bundled plan: a
comparison question answered with one cited row per province (values read by hand from each file, not
with this code), a year-on-year question citing the 2025 report and the 2026 plan, a question about last
year's report answered from that report with qualified refs, and bad files refused in one Chinese line
with the library left as it was."""

from __future__ import annotations

import re

import pytest
from corpus_files import CORPUS, corpus_file

from assistant.api import Assistant
from assistant.config import Config
from assistant.documents import formats
from assistant.documents.intake import add_document
from assistant.errors import LibraryError

# this year's GDP growth target of each report, read by hand: label -> the amount as the report writes it
GDP = {
    "2025内蒙古政府工作报告": "6%左右", "2025北京政府工作报告": "5%左右", "2025四川政府工作报告": "5.5%以上",
    "2025宁夏政府工作报告": "5.5%左右", "2025广东政府工作报告": "5%左右", "2025甘肃政府工作报告": "5.5%左右",
    "2025福建政府工作报告": "5.0%—5.5%", "2025黑龙江政府工作报告": "5%左右",
}
ROW = re.compile(r"^\d+\. (\S+?)：(.+) \[(\S+)\]$")


@pytest.fixture(scope="module")
def shelf_assistant(assistant, tmp_path_factory):
    """The assistant of the session (its plan index reused) over a library holding the eight reports."""
    folder = tmp_path_factory.mktemp("library")
    a = Assistant.load(Config.load(index_dir=assistant.config.index_dir, library_dir=str(folder)), progress=False)
    for name in GDP:
        region = name[4:].removesuffix("政府工作报告")
        path = next(p for p in sorted(CORPUS.glob("*.docx")) if region in p.name)
        add_document(a.shelf.library, path)
    return a


def rows(text: str) -> list[tuple[str, str, str]]:
    return [m.groups() for m in map(ROW.match, text.splitlines()) if m]


def test_each_province_gets_one_cited_row_with_its_own_target(shelf_assistant):
    answer = shelf_assistant.ask("各省2025年地区生产总值增长目标分别是多少？")
    found = rows(answer.text)
    assert sorted(label for label, _, _ in found) == sorted(GDP)
    for label, text, ref in found:
        assert GDP[label] in text and ref.startswith(label + "·")
        node = shelf_assistant.shelf.sources([shelf_assistant.shelf.library.get(label).id])[0].doc.get(ref)
        assert text in node.full_text()  # the row is the report's own words, at the ref it cites
    assert [c.ref for c in answer.citations] == [ref for _, _, ref in found]
    # sorted by the target: 6% first, then the 5.5% ones, the range (5.25 in the middle), the 5% ones
    assert found[0][0] == "2025内蒙古政府工作报告" and found[4][0] == "2025福建政府工作报告"


def test_a_threshold_keeps_the_rows_above_it(shelf_assistant):
    text = shelf_assistant.ask("哪些省份的地区生产总值增长目标高于5.5%？").text
    assert [label for label, _, _ in rows(text)] == ["2025内蒙古政府工作报告"] and "高于5.5%的有1份" in text


def test_year_on_year_cites_the_report_and_the_plan(shelf_assistant):
    library = shelf_assistant.shelf.library
    report = library.get("2025内蒙古政府工作报告")
    answer = shelf_assistant.ask("2025年的GDP增长目标是多少，2026年计划呢？", docs=["plan", report.id])
    assert [c.ref for c in answer.citations] == ["2025内蒙古政府工作报告·二", "主要预期目标"]
    assert "6%左右" in answer.text and "5%左右" in answer.text
    jobs = shelf_assistant.ask("城镇新增就业目标比去年多还是少？")
    assert {c.ref for c in jobs.citations} == {"主要预期目标", "2025内蒙古政府工作报告·二"}
    assert "与上一年持平" in jobs.text  # 18万人以上 in both


def test_last_years_report_is_asked_by_name_and_cited_by_document(shelf_assistant):
    answer = shelf_assistant.ask("去年的政府工作报告里稀土怎么说的？")
    assert answer.citations and all(c.ref.startswith("2025内蒙古政府工作报告·") for c in answer.citations)
    assert "稀土" in answer.text


def _pdf_like(path, data: bytes):
    path.write_bytes(data)
    return path


def test_bad_files_are_one_line_and_leave_the_library_as_it_was(shelf_assistant, tmp_path, monkeypatch):
    library = shelf_assistant.shelf.library
    manifest = (library.folder / "library.json").read_text(encoding="utf-8")
    files = sorted(p.name for p in (library.folder / "files").iterdir())
    renamed = tmp_path / "报告.docx"
    renamed.write_text("2025年政府工作报告\n一、工作回顾\n去年经济增长5%。\n", encoding="utf-8")
    corrupt = _pdf_like(tmp_path / "损坏.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog" + b"\x00" * 64)
    empty = tmp_path / "空白.txt"
    empty.write_text(" \n\u3000\n", encoding="utf-8")
    cases = [renamed, corrupt, empty, corpus_file("2025年北京市政府工作报告.docx")]
    for path in cases:
        with pytest.raises(LibraryError) as e:
            add_document(library, path)
        message = str(e.value)
        assert message and "\n" not in message and re.search(r"[\u4e00-\u9fff]", message)
    monkeypatch.setattr(formats, "MAX_BYTES", 1024)  # a limit every report is over
    with pytest.raises(LibraryError, match="超过"):
        add_document(library, corpus_file("2025年广东省政府工作报告.docx"))
    assert (library.folder / "library.json").read_text(encoding="utf-8") == manifest
    assert sorted(p.name for p in (library.folder / "files").iterdir()) == files
