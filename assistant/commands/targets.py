"""`plan-assistant targets [--chapter 四] [--format table|csv|json]`: every quantitative target."""

from __future__ import annotations

import unicodedata

from ..documents.parse import Document
from ..documents.targets import extract_targets, filter_targets, targets_csv, targets_json

FORMATS = ("table", "csv", "json")


def display_width(s: str) -> int:
    """Columns a terminal gives `s`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def table(rows: list[list[str]]) -> str:
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    )


def cmd_targets(args, doc: Document) -> int:
    from ..cli import UserError

    fmt = "json" if args.json else args.format
    if fmt not in FORMATS:
        raise UserError(f"未知格式“{fmt}”（可选：{'|'.join(FORMATS)}）")
    targets = filter_targets(doc, extract_targets(doc), args.chapter)
    if fmt == "json":
        print(targets_json(targets))
    elif fmt == "csv":
        print(targets_csv(targets), end="")
    else:
        rows = [["引用", "指标", "目标值", "性质"]]
        rows += [[t.ref, t.indicator, t.amount, t.kind_text or "-"] for t in targets]
        print(table(rows))
        print(f"共 {len(targets)} 项量化目标")
    return 0


def register(sub) -> None:
    s = sub.add_parser("targets", help="列出计划中的全部量化目标（指标、目标值、单位、性质、出处）")
    s.add_argument("--chapter", help="只列某一部分或引用下的目标，如 四、四(一)、专栏2")
    s.add_argument("--format", default="table", help="table（默认）| csv | json")
    s.add_argument("--json", action="store_true", help="等同于 --format json")
    s.set_defaults(func=cmd_targets)
