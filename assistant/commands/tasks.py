"""`plan-assistant tasks | owners import | owner`: the task ledger and who leads each task.

    plan-assistant tasks --chapter 四 --dept 工信厅 --format xlsx --output 工信厅任务.xlsx
    plan-assistant owners import 分工方案.xlsx
    plan-assistant owner "防沙治沙任务由哪个部门牵头？" --json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..cli import UserError
from ..documents.parse import Document
from ..ledger_rows import COLUMNS, SelectionError, task_row, write_rows  # noqa: F401 (COLUMNS re-exported)
from ..ledger_rows import select as select_rows
from ..owners import (
    BASIS_LABELS,
    Assignment,
    default_official_path,
    import_official,
    owners_for,
    save_official,
)
from ..tasks import Ledger, Task, build_ledger, find_owner, owner_json

FORMATS = ("table", "csv", "xlsx", "json")


def _owners(ledger: Ledger, data: str | None) -> dict[str, Assignment]:
    try:
        return owners_for(ledger, data)
    except ValueError as e:  # a damaged JSON file: say which, rather than a traceback
        raise UserError(f"无法读取已导入的分工数据 {data or default_official_path()}：{e}") from e


def select(ledger: Ledger, owners: dict[str, Assignment], chapter: str | None, dept: str | None) -> list[Task]:
    try:
        return select_rows(ledger, owners, chapter, dept)
    except SelectionError as e:
        raise UserError(str(e)) from e


def cmd_tasks(args, doc: Document) -> int:
    if args.format == "xlsx" and not args.output:
        raise UserError("xlsx 格式需要 --output 文件名")
    ledger = build_ledger(doc)
    owners = _owners(ledger, args.data)
    tasks = select(ledger, owners, args.chapter, args.dept)
    if args.format == "json":
        data = [{**t.to_json(), "lead": list(owners[t.id].lead), "co": list(owners[t.id].co),
                 "basis": owners[t.id].basis, "reason": owners[t.id].reason} for t in tasks]
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    else:
        write_rows([task_row(t, owners[t.id]) for t in tasks], args.format, args.output)
    if args.output:
        print(f"已写出 {len(tasks)} 条任务到 {args.output}", file=sys.stderr)
    return 0


def cmd_owners_import(args, doc: Document) -> int:
    path = Path(args.file)
    if not path.exists():
        raise UserError(f"找不到文件 {args.file}")
    ledger = build_ledger(doc)
    try:
        report = import_official(path, ledger)
    except Exception as e:  # an unreadable or unsupported file is the user's input, not our bug
        raise UserError(f"无法读取 {path.name}：{e}") from e
    for line, message in report.errors:
        print(f"第{line}行：{message}（已跳过）", file=sys.stderr)
    for line, message in report.warnings:
        print(f"第{line}行：{message}", file=sys.stderr)
    if not report.imported:
        print("没有可导入的行，原有分工未改动", file=sys.stderr)
        return 1
    saved = save_official(report.entries, args.data or default_official_path(), source=path.name)
    print(f"已导入 {report.imported} 行分工（{len(report.errors)} 行有误已跳过），保存到 {saved}")
    return 0


def cmd_owner(args, doc: Document) -> int:
    ledger = build_ledger(doc)
    answers = find_owner(args.question, ledger, _owners(ledger, args.data), k=args.k)
    if args.json:
        print(json.dumps(owner_json(args.question, answers), ensure_ascii=False, indent=2))
        return 0
    if not answers:
        print("未找到相关任务，请换个说法或用 `plan-assistant tasks` 浏览台账")
        return 1
    for a in answers:
        co = f"；配合：{'、'.join(a.co)}" if a.co else ""
        print(f"[{a.ref}] {a.text}\n    牵头：{'、'.join(a.lead)}{co}（{BASIS_LABELS[a.basis]}）\n    {a.reason}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("tasks", help="导出任务台账（任务、指标、时限、牵头与配合单位）")
    s.add_argument("--chapter", help="只看某一篇章或引用，如 四、四(三)、专栏2")
    s.add_argument("--dept", help="只看某部门牵头或配合的任务（全称或简称）")
    s.add_argument("--format", choices=FORMATS, default="table")
    s.add_argument("--output", help="写入文件（xlsx 必填）")
    s.add_argument("--data", help="已导入分工的 JSON 文件（默认见 PLAN_ASSISTANT_DATA_DIR）")
    s.set_defaults(func=cmd_tasks)

    s = sub.add_parser("owners", help="管理官方分工方案")
    owners_sub = s.add_subparsers(dest="owners_command", required=True)
    imp = owners_sub.add_parser("import", help="导入分工表（CSV/XLSX，列：任务或引用、牵头单位、配合单位），替换已导入的分工")
    imp.add_argument("file")
    imp.add_argument("--data", help="保存到此 JSON 文件（默认见 PLAN_ASSISTANT_DATA_DIR）")
    imp.set_defaults(func=cmd_owners_import)

    s = sub.add_parser("owner", help="问某项任务由哪个部门牵头")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=3, help="列出几条相关任务")
    s.add_argument("--json", action="store_true")
    s.add_argument("--data", help="已导入分工的 JSON 文件")
    s.set_defaults(func=cmd_owner)
