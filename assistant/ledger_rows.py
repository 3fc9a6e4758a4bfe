"""The task ledger as rows: the columns every export uses (CLI and web), the row of one task, the
selection by chapter and department, and writing rows as CSV, XLSX or a terminal listing."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from .documents.refs import normalize_ref
from .owners import BASIS_LABELS, Assignment, load_departments, resolve_department
from .tasks import Ledger, Task, filter_tasks

NO_DEADLINE = "计划未写明"  # the 时限 of a task whose clause names no time
COLUMNS = ("编号", "引用", "篇章", "任务", "指标", "时限", "牵头单位", "配合单位", "依据", "理由")


class SelectionError(ValueError):
    """A chapter or department that selects nothing; the message says what to type instead."""


def task_row(task: Task, a: Assignment) -> list[str]:
    return [task.id, task.ref, task.chapter or "", task.text, "；".join(map(str, task.targets)),
            task.deadline or NO_DEADLINE, "、".join(a.lead), "、".join(a.co), BASIS_LABELS[a.basis], a.reason]


def select(ledger: Ledger, owners: dict[str, Assignment], chapter: str | None, dept: str | None) -> list[Task]:
    if chapter:
        chapter = normalize_ref(chapter)
        if not filter_tasks(ledger, chapter):
            raise SelectionError(f"没有“{chapter}”这一篇章或引用（篇章用 一、二……十四）")
    tasks = filter_tasks(ledger, chapter)
    if dept:
        found = resolve_department(dept, load_departments())
        name = found.name if found else dept
        tasks = [t for t in tasks if name in owners[t.id].lead or name in owners[t.id].co]
        if not found and not tasks:
            raise SelectionError(f"部门名录中没有“{dept}”（可用全称或简称，如 林草局、自治区林业和草原局）")
    return tasks


def write_rows(rows: list[list[str]], fmt: str, output: str | None) -> None:
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "任务台账"
        ws.append(list(COLUMNS))
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        for col, width in zip("ABCDEFGHIJ", (22, 16, 6, 60, 18, 10, 24, 30, 14, 40), strict=True):
            ws.column_dimensions[col].width = width
        wb.save(output)
        return
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buf)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    else:  # table: one block per task, readable in a terminal
        for row in rows:
            extras = "；".join(f"{k}：{v}" for k, v in zip(COLUMNS[4:6], row[4:6], strict=True)
                              if v and v != NO_DEADLINE)
            buf.write(f"[{row[0]}] {row[3]}\n    牵头：{row[6]}" + (f"  配合：{row[7]}" if row[7] else "")
                      + f"  （{row[8]}）" + (f"\n    {extras}" if extras else "") + "\n")
    text = buf.getvalue()
    if output:  # utf-8-sig so that Excel opens the CSV in Chinese correctly
        Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        sys.stdout.write(text)
