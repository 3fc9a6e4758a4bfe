"""文库: the documents answered beside the plan (last year's government work report, next year's plan,
other provinces' reports), each with its metadata. Everyone sees the list; admins add a file (.docx,
.pdf, .txt, .md: the metadata read from it is shown, to be corrected, before it is added) and remove
one. Every admin callback checks the user again (state.require_admin): hiding the box is not the guard.

After an add its index is built in the background (once the Assistant is loaded), so the first
question over it waits less."""

from __future__ import annotations

import threading
from pathlib import Path

import gradio as gr

from ..documents.intake import SUFFIXES, add_document, inspect_file
from ..errors import LibraryError
from . import shelf, state
from .html import esc

KIND_CHOICES = [("计划", "plan"), ("政府工作报告", "report"), ("其他", "other")]


def role_of(entry) -> str:
    return "主文件" if entry.primary else ("随主文件一并检索" if entry.companion else "问到时检索")


def library_html(entries) -> str:
    """The documents as a table (wide screens) and as cards (narrow ones)."""
    def cells(e) -> list[str]:
        return [e.id, e.label, e.title, e.region or "未知", str(e.year or "未知"),
                shelf.KIND_NAMES.get(e.kind, e.kind), role_of(e), (e.added or "")[:10] or "—", e.sha256[:12]]

    heads = ["编号", "名称", "标题", "地区", "年份", "类型", "检索", "加入日期", "SHA-256"]
    rows = "".join(f'<tr data-doc="{esc(e.id)}">' + "".join(f"<td>{esc(c)}</td>" for c in cells(e)) + "</tr>"
                   for e in entries)
    table = ('<div class="wide-only table-scroll"><table class="admin-table library-table"><thead><tr>'
             + "".join(f"<th>{h}</th>" for h in heads) + f"</tr></thead><tbody>{rows}</tbody></table></div>")
    cards = "".join(
        f'<div class="card" data-doc="{esc(e.id)}"><div class="card-title">{esc(e.label)}'
        f'<span class="card-kind">{esc(role_of(e))}</span></div><div class="card-line">{esc(e.title)}</div>'
        f'<div class="card-meta">{esc(e.id)} · {esc(e.region or "地区未知")} · {esc(e.year or "年份未知")} · '
        f'{esc(shelf.KIND_NAMES.get(e.kind, e.kind))} · {esc(e.sha256[:12])}</div></div>' for e in entries)
    count = f'<p class="muted">文库共 {len(entries)} 份文件（主文件 1 份，加入的 {len(entries) - 1} 份）。</p>'
    return f'{count}{table}<div class="cards narrow-only" id="library-cards">{cards}</div>'


def summary_markdown(doc, meta: dict) -> str:
    parts = [n.title for n in doc.nodes if n.kind == "part"]
    return (f"**读出的信息**（请核对，可修改后加入）：名称将为 **{esc(meta['label'])}**；"
            f"共 {len(parts)} 个部分：{esc('；'.join(parts[:12]))}{'……' if len(parts) > 12 else ''}")


def file_message(path: str, error: Exception) -> str:
    """The error of a file, naming it once (the readers' messages name it already)."""
    name = Path(path).name
    return str(error) if name in str(error) else f"《{name}》：{error}"


def year_of(text) -> int | None:
    text = str(text or "").strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise gr.Error("年份应为四位数字，如 2025")
    return int(text)


# ---- callbacks and the tab ---------------------------------------------------------------------

def show_library():
    lib = shelf.library()
    removable = [(c, i) for c, i in shelf.document_choices(lib) if i != lib.entries[0].id]
    return library_html(lib.entries), gr.update(choices=removable, value=None)


def inspect_upload(path: str | None, request: gr.Request = None):
    """The metadata read from the uploaded file, into the form: (summary, title, year, region, kind, form)."""
    state.require_admin(request)
    if not path:
        return "", "", "", "", None, gr.update(visible=False)
    try:
        doc, meta = inspect_file(path)
    except LibraryError as e:
        raise gr.Error(file_message(path, e)) from e
    return (summary_markdown(doc, meta), meta["title"], str(meta["year"] or ""), meta.get("region") or "",
            meta["kind"], gr.update(visible=True))


def add_upload(path: str | None, title: str, year, region: str, kind: str | None, companion: bool,
               request: gr.Request = None):
    """Add the uploaded file with the metadata as confirmed; (status, list, remove choices, file, form)."""
    state.require_admin(request)
    if not path:
        raise gr.Error("请先选择要加入的文件")
    try:
        with shelf.WRITE_LOCK:
            entry, _doc = add_document(shelf.library(), path, (title or "").strip() or None, year_of(year),
                                       (region or "").strip() or None, kind or None, bool(companion))
    except LibraryError as e:
        raise gr.Error(file_message(path, e)) from e
    state.log.info("library: %s added %s (%s)", getattr(request, "username", None), entry.id, entry.label)
    if state.assistant_ready():  # else the first question over it builds its index
        threading.Thread(target=build_index, args=(entry,), daemon=True).start()
    table, removable = show_library()
    status = f"已加入文库：{esc(entry.label)}（{esc(entry.id)}）。其中的引用写作“{esc(entry.label)}·二(三)”。"
    return status, table, removable, None, gr.update(visible=False)


def build_index(entry) -> None:
    try:
        state.get_assistant().shelf.corpus(entry)
    except Exception:  # the first question over it builds it again and says what failed
        state.log.exception("building the index of %s failed", entry.id)


def remove_document(key: str | None, request: gr.Request = None):
    state.require_admin(request)
    if not key:
        raise gr.Error("请先选择要移除的文件")
    try:
        with shelf.WRITE_LOCK:
            entry = shelf.library().remove(key)
    except LibraryError as e:
        raise gr.Error(str(e)) from e
    state.log.info("library: %s removed %s (%s)", getattr(request, "username", None), entry.id, entry.label)
    table, removable = show_library()
    return f"已从文库移除：{esc(entry.label)}", table, removable


def build_tab() -> tuple[gr.Tab, gr.Column]:
    """The tab, and the admins' box (app.py shows it to admins on page load)."""
    with gr.Tab("文库", id="library") as tab:
        gr.Markdown("计划之外、一并问答的文件：往年政府工作报告、下一年的计划、其他省份的报告。问答时可在"
                    "“问答范围”中选择文件；原文页可打开任何一份。", elem_classes="muted")
        listing = gr.HTML(library_html(shelf.library().entries), elem_id="library-list", padding=False)
        with gr.Column(visible=False, variant="panel", elem_id="library-admin") as admin_box:
            gr.Markdown("#### 加入或移除文件（仅管理员）")
            upload = gr.File(label=f"加入文件（{'、'.join(SUFFIXES)}）", file_types=list(SUFFIXES),
                             type="filepath", height=140, elem_id="library-upload")
            with gr.Column(visible=False, elem_id="library-form") as form:
                summary = gr.Markdown(elem_id="library-summary")
                with gr.Row():
                    title = gr.Textbox(label="标题", scale=3, elem_id="library-title")
                    year = gr.Textbox(label="年份", scale=1, min_width=90, elem_id="library-year")
                    region = gr.Textbox(label="地区", scale=1, min_width=120, elem_id="library-region")
                    kind = gr.Dropdown(KIND_CHOICES, label="类型", scale=1, min_width=120, elem_id="library-kind")
                companion = gr.Checkbox(label="随主文件一并检索（不勾选：问题提到它的年份、地区或在问答范围中选中时才检索）",
                                        elem_id="library-companion")
                add = gr.Button("确认加入", variant="primary", elem_id="library-add")
            with gr.Row():
                removable = gr.Dropdown([], label="移除文件", scale=3, allow_custom_value=True,  # checked by the callback
                                        elem_id="library-remove-choice")
                remove = gr.Button("移除", variant="stop", scale=0, min_width=100, elem_id="library-remove")
            status = gr.Markdown(elem_id="library-status")
    # named (the browser test calls them as a caller of the Gradio API would) but not listed
    upload.upload(inspect_upload, upload, [summary, title, year, region, kind, form], api_name="library_inspect",
                  api_visibility="private")
    upload.clear(lambda: gr.update(visible=False), None, form, queue=False, api_visibility="private")
    add.click(add_upload, [upload, title, year, region, kind, companion], [status, listing, removable, upload, form],
              api_name="library_add", api_visibility="private")
    remove.click(remove_document, removable, [status, listing, removable], api_name="library_remove",
                 api_visibility="private")
    tab.select(show_library, None, [listing, removable], queue=False, api_visibility="private")
    return tab, admin_box
