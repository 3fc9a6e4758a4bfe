"""log: what was asked, read from the conversation log; log purge: delete old rows.

    plan-assistant log --since 2026-03-01 --refused
    plan-assistant log --feedback down --format csv > wrong.csv
    plan-assistant log --format eval > candidates.jsonl     # eval/-format items to review
    plan-assistant log purge --before 2026-01-01
"""

from __future__ import annotations

import json
import sys


def _records(args):
    from ..config import Config
    from ..records import Records

    config = Config.load(plan=args.plan)
    # read even when logging is off: off means nothing is written, not that old rows are hidden
    return _wrap(lambda: Records(config.records_location, config.log_retention_days))


def _wrap(call):
    from ..cli import UserError
    from ..records import RecordsError

    try:
        return call()
    except RecordsError as e:
        raise UserError(str(e)) from None


def line_of(r: dict) -> str:
    mode = {"extractive": "摘录", "llm": "大模型", "fallback": "回退"}.get(r["mode"], r["mode"])
    flags = [mode] + (["拒答"] if r["refused"] else [])
    if r["vote"]:
        flags.append({"up": "👍", "down": "👎"}[r["vote"]] + "".join(f" {x}" for x in (r["reason"], r["comment"]) if x))
    refs = " ".join(f"[{ref}]" for ref in r["refs"])
    return (f"#{r['id']} {r['time'][:19].replace('T', ' ')} {r['user'] or '-'} 〔{'，'.join(flags)}〕 "
            f"{r['latency_ms']:.0f}ms\n  问：{r['question']}\n  引：{refs or '（无）'}")


def cmd_log(args) -> int:
    from ..cli import UserError
    from ..private import open_private  # an export holds what the log holds: owner-only
    from ..records import eval_items, log_rows, rows_csv, rows_xlsx

    if args.log_command == "purge":
        return cmd_purge(args)
    fmt = "json" if args.json else args.format
    if fmt == "xlsx" and not args.output:
        raise UserError("--format xlsx 需要 --output 文件名")
    records = _records(args)
    rows = _wrap(lambda: log_rows(records, since=args.since, until=args.until, user=args.user,
                                  refused=True if args.refused else None, vote=args.feedback, limit=args.limit))
    if fmt == "json":
        out = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        out = rows_csv(rows)
    elif fmt == "eval":
        out = eval_items(rows)
    elif fmt == "xlsx":
        with open_private(args.output, "wb") as f:
            f.write(rows_xlsx(rows))
        print(f"已写入 {len(rows)} 条记录到 {args.output}", file=sys.stderr)
        return 0
    else:
        out = "".join(line_of(r) + "\n" for r in rows)
        if not records.readable:
            print("还没有记录（记录数据库尚未创建）", file=sys.stderr)
    if args.output:
        with open_private(args.output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as f:
            f.write(out)
        print(f"已写入 {len(rows)} 条记录到 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0


def cmd_purge(args) -> int:
    records = _records(args)
    n = _wrap(lambda: records.purge(args.before))
    print(f"已删除 {args.before} 之前的 {n} 条问答记录（及其评价）")
    return 0


def register(sub) -> None:
    s = sub.add_parser("log", help="查看问答记录（谁问了什么、拒答、评价）；log purge 删除旧记录")
    s.add_argument("--since", metavar="DATE", help="从这一天起（含），YYYY-MM-DD")
    s.add_argument("--until", metavar="DATE", help="到这一天前（不含），YYYY-MM-DD")
    s.add_argument("--user", help="只看这个用户（空字符串：未登录的提问）")
    s.add_argument("--refused", action="store_true", help="只看拒答的问题")
    s.add_argument("--feedback", choices=["up", "down"], help="只看得到 👍（up）或 👎（down）的回答")
    s.add_argument("--limit", type=int, help="只看最近的 N 条")
    s.add_argument("--json", action="store_true", help="等同 --format json")
    s.add_argument("--format", choices=["table", "csv", "json", "eval", "xlsx"], default="table",
                   help="eval：eval/ 格式的 JSON 行（问题与引用），供审核后加入问答集")
    s.add_argument("--output", "-o", help="写入文件（xlsx 必需）")
    s.set_defaults(func=cmd_log, needs_doc=False, log_command=None)
    sub_log = s.add_subparsers(dest="log_command")
    p = sub_log.add_parser("purge", help="删除某天之前的全部问答记录、评价和保存的对话")
    p.add_argument("--before", metavar="DATE", required=True, help="YYYY-MM-DD：删除这一天之前的")
    p.set_defaults(func=cmd_log, needs_doc=False)
