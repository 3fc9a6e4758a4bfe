"""`plan-assistant library add FILE | list | remove ID`: the documents answered beside the plan."""

from __future__ import annotations

import json
import sys

from ..errors import LibraryError


def _open(args):
    from ..api import Assistant

    return Assistant.load(progress=not args.json)


def describe_entry(e) -> str:
    kind = {"plan": "计划", "report": "政府工作报告", "other": "其他"}.get(e.kind, e.kind)
    role = "主文件" if e.primary else ("随主文件一并检索" if e.companion else "问到时检索")
    return f"{e.id}  {e.label}  （{e.region or '地区未知'} · {e.year or '年份未知'} · {kind} · {role}）"


def cmd_library(args) -> int:
    from ..cli import UserError

    assistant = _open(args)
    library = assistant.shelf.library
    try:
        if args.action == "add":
            from ..documents.intake import add_document

            entry, doc = add_document(library, args.file, args.title, args.year, args.region, args.kind,
                                      args.companion)
            assistant.shelf.corpus(entry)  # its index now, with a progress bar, not at the first question
            parts = [n for n in doc.nodes if n.kind == "part"]
            if args.json:
                print(json.dumps(dict(entry.to_json(), parts=[p.title for p in parts]), ensure_ascii=False))
            else:
                print(f"已加入文库：{describe_entry(entry)}")
                print(f"标题：{entry.title}；{len(parts)} 个部分：" + "；".join(p.title for p in parts))
                print("若地区、年份或类型不对，请 remove 后用 --region/--year/--kind 重新加入。", file=sys.stderr)
        elif args.action == "remove":
            entry = library.remove(args.id)
            assistant.shelf.forget(entry.id)
            print(json.dumps(entry.to_json(), ensure_ascii=False) if args.json else f"已从文库移除：{entry.label}")
        elif args.json:
            print(json.dumps([e.to_json() for e in library.entries], ensure_ascii=False, indent=2))
        else:
            for e in library.entries:
                print(describe_entry(e))
    except LibraryError as e:
        raise UserError(str(e)) from e
    return 0


def register(sub) -> None:
    s = sub.add_parser("library", help="文库：计划之外的文件（往年政府工作报告、其他省份报告等）")
    acts = s.add_subparsers(dest="action", required=True)
    a = acts.add_parser("add", help="加入一个文件（.docx、.pdf、.txt、.md）")
    a.add_argument("file")
    a.add_argument("--title", help="标题（默认读文件自己的标题）")
    a.add_argument("--year", type=int, help="年份（默认从标题读）")
    a.add_argument("--region", help="地区，如 内蒙古自治区（默认从标题或落款读）")
    a.add_argument("--kind", choices=["plan", "report", "other"], help="类型（默认从标题读）")
    a.add_argument("--companion", action="store_true", help="与主文件一并检索（如本地区去年的政府工作报告）")
    r = acts.add_parser("remove", help="移除一个文件（主文件不能移除）")
    r.add_argument("id", help="list 中的编号或名称")
    acts.add_parser("list", help="列出文库中的文件")
    for p in (s, a, r):
        p.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_library, needs_doc=False)
