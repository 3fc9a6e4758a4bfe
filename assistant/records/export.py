"""Log rows (as `log.log_rows` returns them) written out: CSV and XLSX with Chinese headers, and
eval items — `eval/`-format JSON lines (question, the cited refs as a starting point) so that a
reviewed failure becomes a test question.

    eval_items([{"id": 7, "question": "粮食产量目标是多少？", "refs": ["主要预期目标"], "refused": False, …}])
    -> '{"id": "log7", "question": "粮食产量目标是多少？", "kind": "review", "refs": ["主要预期目标"], …}\\n'
"""

from __future__ import annotations

import csv
import io
import json

MODE_LABELS = {"extractive": "原文摘录", "llm": "大模型生成", "fallback": "大模型失败，改用原文摘录"}
VOTE_LABELS = {"up": "👍", "down": "👎"}
COLUMNS = [  # (header, key, how the cell is written)
    ("编号", "id", None),
    ("时间", "time", None),
    ("用户", "user", None),
    ("来源", "source", None),
    ("问题", "question", None),
    ("此前轮数", "history_len", None),
    ("回答", "answer", None),
    ("引用", "refs", lambda v: "；".join(v)),
    ("模式", "mode", lambda v: MODE_LABELS.get(v, v)),
    ("回退原因", "fallback_reason", None),
    ("拒答", "refused", lambda v: "是" if v else "否"),
    ("耗时（毫秒）", "latency_ms", None),
    ("评价", "vote", lambda v: VOTE_LABELS.get(v, v)),
    ("原因", "reason", None),
    ("说明", "comment", None),
    ("问题原长（字）", "question_chars", None),  # only for a question cut to its first 2,000 characters
]
HEADERS = [h for h, _, _ in COLUMNS]


def cells(row: dict) -> list:
    return [("" if row.get(key) is None else (fmt(row[key]) if fmt else row[key])) for _, key, fmt in COLUMNS]


def rows_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADERS)
    w.writerows(cells(r) for r in rows)
    return out.getvalue()


def neutral(value):
    """A cell that a spreadsheet will not read as a formula ("=HYPERLINK(…)" typed as a question)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def rows_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "问答记录"
    ws.append(HEADERS)
    for r in rows:
        ws.append([neutral(c) for c in cells(r)])
    for letter, width in zip("ABCDEFGHIJKLMNOP", (7, 26, 10, 6, 40, 8, 60, 24, 14, 24, 6, 10, 6, 12, 30, 12),
                             strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def eval_item(row: dict) -> dict:
    """The eval item a reviewer starts from: a refused question is an out_of_scope candidate, any other
    one is kind "review" with the cited refs; evidence and expect are left for the reviewer to fill."""
    item = {"id": f"log{row['id']}", "question": row["question"],
            "kind": "out_of_scope" if row["refused"] else "review",
            "refs": [] if row["refused"] else list(row["refs"]), "evidence": "", "expect": []}
    if row.get("vote") == "down":
        item["feedback"] = "；".join(x for x in (row.get("reason"), row.get("comment")) if x)
    return item


def eval_items(rows: list[dict]) -> str:
    return "".join(json.dumps(eval_item(r), ensure_ascii=False) + "\n" for r in rows)
