"""任务: the task ledger by department or chapter, search, CSV/XLSX export, and the import of an
official 分工方案 table.

The department box is a dropdown filtered as typed (a department's short names are in its label, so
林草局 finds 自治区林业和草原局); it takes only its own choices, so a typed word never becomes a filter
that matches nothing. The import replaces the ownership everyone sees: it is offered to admins only
(app.py shows it) and `import_owners` refuses anyone else (`state.require_admin`)."""

from __future__ import annotations

import os
from pathlib import Path

import gradio as gr
import pandas as pd

from ..ledger_rows import SelectionError, select, task_row, write_rows
from ..owners import (
    TableError,
    default_official_path,
    import_official,
    owners_for,
    resolve_department,
    save_official,
)
from .html import chapter_choices, esc, user_markdown
from .state import DEPARTMENTS, DOC, LEDGER, export_folder, log, require_admin, safe_filename_part

TASK_HEADERS = ["编号", "引用", "任务", "指标", "时限", "牵头单位", "配合单位", "依据"]
# the columns of `commands.tasks.task_row` the table shows; 篇章 and 理由 are in the exports
_TASK_COLUMNS = (0, 1, 3, 4, 5, 6, 7, 8)


def task_table_rows(rows: list[list[str]]) -> list[list[str]]:
    """Exported ledger rows (编号 引用 篇章 任务 指标 时限 牵头 配合 依据 理由) -> the table's columns."""
    return [[row[i] for i in _TASK_COLUMNS] for row in rows]


def department_choices(departments) -> list[tuple[str, str]]:
    """("自治区林业和草原局（林草局、林业草原局）", "自治区林业和草原局"): short names in the label, so
    that typing one in the dropdown's filter finds the department. A short name the label already
    contains (林业和草原局, or 自治区发改委 beside 发改委) is left out."""
    out = [("全部部门", "")]
    for d in departments:
        short = [s for s in d.short if s not in d.name]
        short = [s for s in short if not any(o != s and o in s for o in short)]
        out.append((d.name + (f"（{'、'.join(short)}）" if short else ""), d.name))
    return out


def task_chapter_choices(doc, ledger) -> list[tuple[str, str]]:
    """The 指标 tab's chapter choices that hold tasks (总体要求 sets direction, no tasks)."""
    def holds_tasks(ref: str) -> bool:  # as tasks.filter_tasks selects them
        return any(ref in (t.chapter, t.ref) or t.ref.startswith(ref + "·") for t in ledger)

    return [(label, ref) for label, ref in chapter_choices(doc) if not ref or holds_tasks(ref)]


def search_tasks(tasks, owners, query: str, departments=()) -> list:
    """Tasks whose id, ref, title, text, targets, timing or departments contain `query`
    (case-insensitive); a department's short name finds the tasks it leads or joins:
    search_tasks(…, "林草局") ⊇ the tasks of 自治区林业和草原局."""
    q = (query or "").strip()
    if not q:
        return list(tasks)
    dept = next((d.name for d in departments if q in d.names or q == d.name.removeprefix("自治区")), None)
    key = q.casefold()

    def hit(t) -> bool:
        a = owners[t.id]
        if dept and (dept in a.lead or dept in a.co):
            return True
        fields = (t.id, t.ref, t.title, t.text, *map(str, t.targets), *t.timing, *a.lead, *a.co)
        return any(key in f.casefold() for f in fields)

    return [t for t in tasks if hit(t)]


def import_report_html(report, name: str) -> str:
    """What an import did: how many rows, and each skipped row and warning by its line number."""
    head = (f"已从《{esc(name)}》导入 <b>{report.imported}</b> 行分工，表中相应任务的依据变为“依据分工方案”。"
            if report.imported else f"《{esc(name)}》中没有可导入的行，原有分工未改动。")
    if report.errors:
        head += f" {len(report.errors)} 行有误，已跳过："
    items = [f'<li class="bad">第{line}行：{esc(msg)}（已跳过）</li>' for line, msg in report.errors]
    items += [f'<li class="warn">第{line}行：{esc(msg)}</li>' for line, msg in report.warnings]
    listing = f"<ul>{''.join(items)}</ul>" if items else ""
    return f'<div class="import-report"><p>{head}</p>{listing}</div>'


def import_error_html(name: str, message: str) -> str:
    """One line: which file, what is wrong with it, and that nothing changed."""
    return (f'<div class="import-report import-error"><p class="bad">未导入《{esc(name)}》：{esc(message)}。'
            "原有分工和任务表未改动。</p></div>")


def task_cards_html(rows: list[list[str]], limit: int = 100) -> str:
    """The table as cards for a narrow screen: the task, then 牵头/配合, 时限, 指标, 依据, ref. Past
    `limit` cards a note says so, above the cards (below them it would be 13,000 px down a phone)."""
    def line(label: str, value: str) -> str:
        return f'<div class="card-line"><span class="card-key">{label}</span>{esc(value)}</div>' if value else ""

    cards = "".join(
        f'<div class="card"><div class="card-title">{esc(r[3])}</div>'
        + line("牵头", r[6]) + line("配合", r[7]) + line("时限", r[5]) + line("指标", r[4])
        + f'<div class="card-meta">[{esc(r[1])}] {esc(r[0])} · {esc(r[8])}</div></div>' for r in rows[:limit])
    more = (f'<p class="cards-limit muted">只显示前 {limit} 条（共 {len(rows)} 条）：请用部门、章节或搜索缩小范围，'
            "或下载表格。</p>" if len(rows) > limit else "")
    return f'{more}<div class="cards" id="tasks-card-list">{cards}</div>'


# ---- callbacks and the tab ---------------------------------------------------------------------

def current_owners() -> dict:
    """Who owns each task: suggestions overlaid with the imported official table, read afresh so an
    import (here or by `plan-assistant owners import`) shows at once."""
    try:
        return owners_for(LEDGER)
    except (OSError, ValueError, TypeError, KeyError) as e:  # a damaged JSON file
        log.error("reading the imported assignments failed: %s", e)
        raise gr.Error("无法读取已导入的分工数据（文件已损坏）：请重新导入分工方案") from e


def task_files(rows: list[list[str]], label: str) -> tuple[str, str]:
    """(CSV path, XLSX path) of the ledger rows, written as `plan-assistant tasks` writes them."""
    stem = "2026计划任务台账" + (f"-{label}" if label else "")

    def write(folder: Path) -> None:
        write_rows(rows, "csv", str(folder / f"{stem}.csv"))
        write_rows(rows, "xlsx", str(folder / f"{stem}.xlsx"))

    folder = export_folder("tasks", [label, rows], write)
    return str(folder / f"{stem}.csv"), str(folder / f"{stem}.xlsx")


def show_tasks(dept: str | None, chapter: str | None, query: str | None):
    """(table, CSV file, XLSX file, count line) for the tasks of `chapter` ("" = all) that `dept`
    (full or short name, "" = any) leads or joins and whose row contains `query`."""
    dept, query = (dept or "").strip(), (query or "").strip()
    owners = current_owners()
    try:
        tasks = select(LEDGER, owners, chapter or None, dept or None)
    except SelectionError as e:
        raise gr.Error(str(e)) from e
    tasks = search_tasks(tasks, owners, query, DEPARTMENTS)
    rows = [task_row(t, owners[t.id]) for t in tasks]
    found = resolve_department(dept, DEPARTMENTS) if dept else None
    label = "-".join(safe_filename_part(p) for p in (chapter or "", found.name if found else dept) if p)
    csv_path, xlsx_path = task_files(rows, label)
    official = sum(owners[t.id].basis == "official" for t in tasks)
    line = f"共 **{len(tasks)}** 条任务"
    if chapter:
        line += f"（{user_markdown(chapter)}）"
    if found:
        line += f"，{user_markdown(found.name)}牵头或配合"
    line += f"；其中 {official} 条依据分工方案，其余依据部门职能推断。" if official else "；均依据部门职能推断（尚未导入分工方案）。"
    table = pd.DataFrame(task_table_rows(rows), columns=TASK_HEADERS)
    return table, csv_path, xlsx_path, line, task_cards_html(rows)


def initial_tasks():
    """The tab's first view; a damaged import file must not stop the app from starting."""
    try:
        return show_tasks("", "", "")
    except gr.Error as e:
        log.error("%s", e.message)
        return pd.DataFrame([], columns=TASK_HEADERS), None, None, user_markdown(e.message), ""


MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a 分工方案 of every task of the plan is well under 1 MB


def import_owners(path: str | None, dept: str | None, chapter: str | None, query: str | None,
                  request: gr.Request = None):
    """Import an official 分工方案 table (CSV/XLSX) in place of the one imported before; report its
    bad rows by line number; redraw the table. Returns (report, table, CSV, XLSX, count line, cards).
    A file that cannot be read is one line in the report (and a toast); the table stays as it was.
    Admins only."""
    require_admin(request)
    if not path:
        return (gr.skip(),) * 7
    name = Path(path).name
    keep = (gr.skip(),) * 5

    def fail(message: str):
        gr.Warning(f"未导入《{name}》：{message}")
        return (import_error_html(name, message), gr.update(value=None), *keep)

    size = os.path.getsize(path)
    if size > MAX_IMPORT_BYTES:
        return fail(f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB 的上限，"
                    "请确认选的是分工方案表")
    try:
        report = import_official(path, LEDGER, DEPARTMENTS)
    except TableError as e:
        return fail(str(e))
    except Exception as e:  # an unreadable file is the user's input, not our bug: never its traceback
        log.warning("importing %s failed: %r", name, e)
        return fail("文件已损坏或不是分工方案表格，请上传 CSV 或 .xlsx 文件")
    if report.imported:
        try:
            save_official(report.entries, default_official_path(), source=name)
        except OSError as e:
            log.error("saving the imported assignments failed: %s", e)
            return fail("无法保存分工数据（数据目录不可写），请联系管理员")
        gr.Info(f"已导入 {report.imported} 行分工")
    else:
        gr.Warning("没有可导入的行，原有分工未改动")
    if report.errors:
        gr.Warning(f"{len(report.errors)} 行有误已跳过：" + "；".join(f"第{n}行" for n, _ in report.errors[:8])
                   + ("…" if len(report.errors) > 8 else ""))
    return (import_report_html(report, name), gr.update(value=None), *show_tasks(dept, chapter, query))


def build_tab() -> gr.Accordion:
    """The tab; returns the import box, hidden until app.py shows it to an admin."""
    table0, csv0, xlsx0, line0, cards0 = initial_tasks()
    with gr.Tab("任务", id="tasks") as tab:
        with gr.Row(equal_height=True, elem_classes="filter-row"):
            dept = gr.Dropdown(department_choices(DEPARTMENTS), value=None, label="按部门筛选（输入名称或简称，如 林草局）",
                               filterable=True, allow_custom_value=False, scale=3, elem_id="task-dept")
            chapter = gr.Dropdown(task_chapter_choices(DOC, LEDGER), value="", label="按章节筛选", scale=3,
                                  elem_id="task-chapter")
            query = gr.Textbox(label="搜索任务", placeholder="如：防沙治沙、稀土、汛期前、林草局", submit_btn="搜索",
                               scale=3, elem_id="task-search")
        with gr.Row(equal_height=True, elem_classes="count-row"):
            count = gr.Markdown(line0, elem_id="task-count")
            download_csv = gr.DownloadButton("下载 CSV", value=csv0, size="sm", scale=0, min_width=90,
                                             elem_id="tasks-csv", elem_classes="download")
            download_xlsx = gr.DownloadButton("下载 Excel", value=xlsx0, size="sm", scale=0, min_width=90,
                                              elem_id="tasks-xlsx", elem_classes="download")
        table = gr.Dataframe(table0, interactive=False, wrap=True, max_height=560,
                             column_widths=["12%", "9%", "31%", "8%", "8%", "12%", "10%", "10%"],
                             elem_id="tasks-table", elem_classes="wide-only")
        cards = gr.HTML(cards0, elem_id="tasks-cards", elem_classes="narrow-only")
        with gr.Accordion("导入官方分工方案（CSV / Excel，仅管理员）", open=False, visible=False,
                          elem_id="import-box") as import_box:
            gr.Markdown("表头需要 **任务**（或 **引用**、**编号**）列和 **牵头单位** 列，可有 **配合单位** 列；"
                        "多个单位用顿号分隔。CSV 可为 UTF-8 或 GBK 编码；旧版 .xls 请先另存为 .xlsx。"
                        "导入后替换此前导入的分工，表中依据变为“依据分工方案”。")
            upload = gr.File(label="选择分工方案文件", file_types=[".csv", ".xlsx", ".xls", ".txt"], type="filepath",
                             elem_id="import-file")
            report = gr.HTML(elem_id="import-report")

        filters = [dept, chapter, query]
        shown = [table, download_csv, download_xlsx, count, cards]
        dept.change(show_tasks, filters, shown, api_name="tasks")
        chapter.change(show_tasks, filters, shown, api_visibility="private")
        query.submit(show_tasks, filters, shown, api_visibility="private")
        tab.select(show_tasks, filters, shown, api_visibility="private")  # an import elsewhere shows
        upload.upload(import_owners, [upload, *filters], [report, upload, *shown], api_name="import_owners",
                      api_visibility="private")
    return import_box
