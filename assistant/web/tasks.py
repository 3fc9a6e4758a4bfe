"""任务: the task ledger by department or chapter, search, CSV/XLSX export, and the import of an
official 分工方案 table."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pandas as pd

from ..ledger_rows import SelectionError, select, task_row, write_rows
from ..owners import default_official_path, import_official, owners_for, resolve_department, save_official
from .html import chapter_choices, esc, user_markdown
from .state import DEPARTMENTS, DOC, LEDGER, export_folder, log, safe_filename_part

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


def import_report_html(report, name: str, saved: str | None = None) -> str:
    """What an import did: how many rows, and each skipped row and warning by its line number."""
    head = (f"已从《{esc(name)}》导入 <b>{report.imported}</b> 行分工"
            + (f"，保存到 <code>{esc(saved)}</code>" if saved else "") + "。"
            if report.imported else f"《{esc(name)}》中没有可导入的行，原有分工未改动。")
    if report.errors:
        head += f" {len(report.errors)} 行有误，已跳过："
    items = [f'<li class="bad">第{line}行：{esc(msg)}（已跳过）</li>' for line, msg in report.errors]
    items += [f'<li class="warn">第{line}行：{esc(msg)}</li>' for line, msg in report.warnings]
    listing = f"<ul>{''.join(items)}</ul>" if items else ""
    return f'<div class="import-report"><p>{head}</p>{listing}</div>'


# ---- callbacks and the tab ---------------------------------------------------------------------

def current_owners() -> dict:
    """Who owns each task: suggestions overlaid with the imported official table, read afresh so an
    import (here or by `plan-assistant owners import`) shows at once."""
    try:
        return owners_for(LEDGER)
    except (OSError, ValueError, TypeError, KeyError) as e:  # a damaged JSON file: say which
        raise gr.Error(f"无法读取已导入的分工数据 {default_official_path()}：{e}") from e


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
    return table, csv_path, xlsx_path, line


def initial_tasks():
    """The tab's first view; a damaged import file must not stop the app from starting."""
    try:
        return show_tasks("", "", "")
    except gr.Error as e:
        log.error("%s", e.message)
        return pd.DataFrame([], columns=TASK_HEADERS), None, None, user_markdown(e.message)


def import_owners(path: str | None, dept: str | None, chapter: str | None, query: str | None):
    """Import an official 分工方案 table (CSV/XLSX) in place of the one imported before; report its
    bad rows by line number; redraw the table. Returns (report, table, CSV, XLSX, count line)."""
    if not path:
        return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
    name = Path(path).name
    try:
        report = import_official(path, LEDGER, DEPARTMENTS)
    except Exception as e:  # an unreadable or unsupported file is the user's input, not our bug
        log.warning("importing %s failed: %s", name, e)
        raise gr.Error(f"无法读取《{name}》：{type(e).__name__}: {e}") from e
    saved = None
    if report.imported:
        try:
            saved = str(save_official(report.entries, default_official_path(), source=name))
        except OSError as e:
            raise gr.Error(f"无法保存分工数据到 {default_official_path()}：{e}") from e
        gr.Info(f"已导入 {report.imported} 行分工")
    else:
        gr.Warning("没有可导入的行，原有分工未改动")
    if report.errors:
        gr.Warning(f"{len(report.errors)} 行有误已跳过：" + "；".join(f"第{n}行" for n, _ in report.errors[:8])
                   + ("…" if len(report.errors) > 8 else ""))
    return (import_report_html(report, name, saved), *show_tasks(dept, chapter, query))


def build_tab() -> None:
    table0, csv0, xlsx0, line0 = initial_tasks()
    with gr.Tab("任务", id="tasks") as tab:
        with gr.Row(equal_height=True):
            dept = gr.Dropdown(department_choices(DEPARTMENTS), value="", label="按部门筛选（可输入简称，如 林草局）",
                               filterable=True, allow_custom_value=True, scale=3, elem_id="task-dept")
            chapter = gr.Dropdown(task_chapter_choices(DOC, LEDGER), value="", label="按章节筛选", scale=3,
                                  elem_id="task-chapter")
            query = gr.Textbox(label="搜索任务", placeholder="如：防沙治沙、稀土、年底前、林草局", submit_btn="搜索",
                               scale=3, elem_id="task-search")
        with gr.Row(equal_height=True):
            count = gr.Markdown(line0, elem_id="task-count")
            download_csv = gr.DownloadButton("下载 CSV", value=csv0, size="md", scale=0, min_width=120,
                                             elem_id="tasks-csv")
            download_xlsx = gr.DownloadButton("下载 Excel", value=xlsx0, size="md", scale=0, min_width=120,
                                              elem_id="tasks-xlsx")
        table = gr.Dataframe(table0, interactive=False, wrap=True, max_height=560,
                             column_widths=["12%", "9%", "31%", "8%", "6%", "12%", "10%", "12%"],
                             elem_id="tasks-table")
        with gr.Accordion("导入官方分工方案（CSV / Excel）", open=False, elem_id="import-box"):
            gr.Markdown("表头需要 **任务**（或 **引用**、**编号**）列和 **牵头单位** 列，可有 **配合单位** 列；"
                        "多个单位用顿号分隔。导入后替换此前导入的分工，表中依据变为“依据分工方案”。"
                        f"<br><span class='muted'>保存位置：{esc(default_official_path())}"
                        "（可用环境变量 PLAN_ASSISTANT_DATA_DIR 指定目录）</span>")
            upload = gr.File(label="选择分工方案文件", file_types=[".csv", ".xlsx"], type="filepath",
                             elem_id="import-file")
            report = gr.HTML(elem_id="import-report")

        filters = [dept, chapter, query]
        shown = [table, download_csv, download_xlsx, count]
        dept.change(show_tasks, filters, shown, api_name="tasks")
        chapter.change(show_tasks, filters, shown, api_visibility="private")
        query.submit(show_tasks, filters, shown, api_visibility="private")
        tab.select(show_tasks, filters, shown, api_visibility="private")  # an import elsewhere shows
        upload.upload(import_owners, [upload, *filters], [report, *shown], api_visibility="private")
