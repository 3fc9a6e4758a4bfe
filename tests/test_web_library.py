"""The 文库 in the web app without a browser: its list, the admin's add and remove and their refusal for
anyone else, the 原文 chooser, the chat's 问答范围 and the 指标 tab's comparison across documents, called
as plain functions on a library in a fresh folder holding a 2027 plan made from the bundled one."""

import dataclasses

import gradio as gr
import pytest
from corpus_files import corpus_file
from library_docs import plan_variant

from assistant.accounts import Account
from assistant.documents.intake import add_document
from assistant.web import chat, compare, library, shelf, source, state

LABEL = "2027内蒙古计划"
CHIEF, REVIEWER = gr.Request(username="chief"), gr.Request(username="reviewer")


@pytest.fixture
def lib(tmp_path, monkeypatch):
    """The library the web app reads (PLAN_ASSISTANT_LIBRARY_DIR), with the 2027 plan added as d1."""
    monkeypatch.setattr(shelf, "CONFIG", dataclasses.replace(state.CONFIG, library_dir=str(tmp_path / "library")))
    monkeypatch.setattr(state, "ACCOUNTS", {"chief": Account("chief", "scrypt:1:1:1:AA==:AA==", "admin"),
                                            "reviewer": Account("reviewer", "scrypt:1:1:1:AA==:AA==", "user")})
    add_document(shelf.library(), plan_variant(tmp_path / "2027年计划.txt", 2027))
    return shelf.library()


def test_the_list_shows_each_document_with_its_metadata(lib):
    page = library.library_html(lib.entries)
    d1 = lib.get("d1")
    assert "文库共 2 份文件（主文件 1 份，加入的 1 份）" in page
    row = page.split('<tr data-doc="d1">')[1].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in row.split("<td>")[1:]] == [
        "d1", LABEL, "2027年内蒙古自治区国民经济和社会发展计划", "内蒙古自治区", "2027", "计划", "问到时检索",
        d1.added[:10], d1.sha256[:12]]
    assert '<div class="card" data-doc="plan">' in page and "主文件" in page


def test_an_admin_adds_a_file_after_seeing_its_metadata_and_removes_it(lib, tmp_path):
    path = plan_variant(tmp_path / "2025年计划.txt", 2025)
    summary, title, year, region, kind, form = library.inspect_upload(str(path), CHIEF)
    assert "2025内蒙古计划" in summary and (title, year, region, kind) == (
        "2025年内蒙古自治区国民经济和社会发展计划", "2025", "内蒙古自治区", "plan") and form["visible"] is True
    status, table, removable, _, _ = library.add_upload(str(path), title, "2024", region, kind, True, CHIEF)
    assert status.startswith("已加入文库：2024内蒙古计划（d2）") and 'data-doc="d2"' in table
    assert [i for _, i in removable["choices"]] == ["d1", "d2"] and shelf.library().get("d2").companion
    assert shelf.default_scope() == ["plan", "d2"]
    with pytest.raises(gr.Error, match="文库中已有同一份文件：2024内蒙古计划（d2）"):
        library.add_upload(str(path), title, "", region, kind, False, CHIEF)
    with pytest.raises(gr.Error, match="年份应为四位数字"):
        library.add_upload(str(path), title, "去年", region, kind, False, CHIEF)
    status, table, _ = library.remove_document("d2", CHIEF)
    assert status == "已从文库移除：2024内蒙古计划" and 'data-doc="d2"' not in table
    assert [e.id for e in shelf.library().entries] == ["plan", "d1"]
    with pytest.raises(gr.Error, match="主文件（计划本身）不能从文库中移除"):
        library.remove_document("plan", CHIEF)


def test_a_file_that_is_no_document_is_one_message_and_changes_nothing(lib, tmp_path):
    empty, letter = tmp_path / "空.txt", tmp_path / "通知.txt"
    empty.write_text("", encoding="utf-8")
    letter.write_text("关于召开会议的通知\n请各单位准时参加。", encoding="utf-8")
    with pytest.raises(gr.Error, match="^'文件“空.txt”是空的'$"):
        library.inspect_upload(str(empty), CHIEF)
    with pytest.raises(gr.Error, match="^'《通知.txt》：没有读出文件的章节结构"):
        library.add_upload(str(letter), "", "", "", None, False, CHIEF)
    assert [e.id for e in shelf.library().entries] == ["plan", "d1"]


@pytest.mark.parametrize("request_", [REVIEWER, gr.Request(username=None)])
def test_adding_and_removing_are_refused_to_anyone_but_an_admin(lib, tmp_path, request_):
    path = plan_variant(tmp_path / "2025年计划.txt", 2025)
    for call in (lambda: library.inspect_upload(str(path), request_),
                 lambda: library.add_upload(str(path), "", "", "", None, False, request_),
                 lambda: library.remove_document("d1", request_)):
        with pytest.raises(gr.Error, match="需要管理员权限"):
            call()
    assert [e.id for e in shelf.library().entries] == ["plan", "d1"]


def test_the_source_tab_opens_any_document(lib):
    tree, ref, section, *_ = source.open_document("d1")
    assert ref == f"{LABEL}·主要预期目标" and f'data-ref="{LABEL}·四(三)"' in tree and "超过850亿斤" in section
    assert "加强矿产资源开发利用" in source.open_section(f"{LABEL}·四(三)", None, "d1")
    _, found, _ = source.search("850亿斤", "d1")
    assert found.startswith("共 1 句、1 个段落")
    assert source.search("850亿斤")[1].startswith("原文中没有")  # the primary plan says 840
    with pytest.raises(gr.Error, match="文库中没有“d9”"):
        source.open_document("d9")
    assert source.refresh_choices("d9")["value"] == "plan" and source.refresh_choices("d1")["value"] == "d1"


def test_the_chat_scope_passes_a_choice_only_when_it_is_not_the_default(lib):
    shown = chat.scope_update(None)
    assert shown["visible"] is True and shown["value"] == ["plan"]
    assert [i for _, i in shown["choices"]] == ["plan", "d1"]
    assert shelf.chosen_docs(None) is None and shelf.chosen_docs(["plan"]) is None
    assert shelf.chosen_docs(["d1"]) == ["d1"] and shelf.chosen_docs(["plan", "d1"]) == ["plan", "d1"]
    assert shelf.chosen_docs(["d9"]) is None and shelf.chosen_docs(["d9", "d1"]) == ["d1"]
    assert chat.scope_update(["d9", "d1"])["value"] == ["d1"]


def test_without_added_documents_the_scope_and_the_comparison_are_hidden(tmp_path, monkeypatch):
    monkeypatch.setattr(shelf, "CONFIG", dataclasses.replace(state.CONFIG, library_dir=str(tmp_path / "none")))
    assert chat.scope_update(None)["visible"] is False and shelf.chosen_docs(["plan"]) is None
    assert compare.refresh(None)[0]["visible"] is False


def test_the_comparison_gives_one_value_per_document_with_a_bar_each(lib):
    box, indicators, view = compare.refresh(None)
    assert box["visible"] is True
    assert ("地区生产总值增长（2 份文件）", "地区生产总值增长") in indicators["choices"]
    view = compare.show("地区生产总值增长")
    rows = view.split("<tbody>")[1].split("<tr>")[1:]
    assert [r.split("<td>")[1].split("</td>")[0] for r in rows] == ["2026内蒙古计划", LABEL]
    assert "<td>5%左右</td><td>[主要预期目标]</td>" in rows[0]
    assert f"<td>5.5%左右</td><td>[{LABEL}·主要预期目标]</td>" in rows[1]
    widths = [float(w.split("%")[0]) for w in view.split("width:")[1:]]
    assert widths == [pytest.approx(100 * 5 / 5.5, abs=0.1), 100.0]
    assert compare.show("").startswith('<p class="muted">选择一个指标')


def test_a_docx_report_is_read_shown_for_confirmation_added_and_opened(lib):
    path = corpus_file("2025年内蒙古自治区政府工作报告.docx")
    summary, title, year, region, kind, _ = library.inspect_upload(str(path), CHIEF)
    assert (year, region, kind) == ("2025", "内蒙古自治区", "report") and title.startswith("2025年")
    status, table, *_ = library.add_upload(str(path), title, year, region, kind, False, CHIEF)
    label = shelf.library().get("d2").label
    assert status.startswith(f"已加入文库：{label}（d2）") and 'data-doc="d2"' in table
    assert (shelf.library().folder / "files" / "d2.docx").read_bytes() == path.read_bytes()
    tree, ref, section, *_ = source.open_document("d2")
    assert ref.startswith(label + "·") and f'data-ref="{label}·一"' in tree and section.startswith('<div class="node"')
