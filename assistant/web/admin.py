"""管理: what people asked, for the office that runs the assistant. Questions per day, refusal rate,
LLM fallback rate, p50/p95 latency, the most asked questions, the refused ones and the 👎 answers
with their reason, answer and citations; filtered by date and user; the log as CSV/XLSX, and chosen
rows as `eval/`-format JSON lines (a reviewed failure becomes a test question).

Shown only to admins (`state.is_admin`: an account with the admin role, or, without a login, a
browser on this machine when local_admin is on). Hiding the tab is not the guard: every callback
checks the user of its own request first (`require_admin`), so a non-admin calling these
endpoints through the Gradio API gets an error and no data. Everything from the log (questions,
answers, comments) is escaped before it reaches the page.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import gradio as gr

from ..records import (
    RecordsError,
    down_rows,
    eval_items,
    log_rows,
    refused_rows,
    rows_csv,
    rows_xlsx,
    summary,
    users,
)
from ..records.db import day_text
from ..records.export import MODE_LABELS
from . import state
from .html import esc

ALL_USERS = "（全部用户）"
NO_USER = "（未登录）"
ANSWER_CHARS = 400  # of an answer shown in the 👎 table (the whole answer is in the export)
QUESTION_CHARS = 80  # of a question shown in a table; the tooltip holds up to TOOLTIP_CHARS
TOOLTIP_CHARS = 2000
DENIED = state.DENIED
require_admin = state.require_admin


def tab_visibility(request: gr.Request = None):
    return gr.update(visible=state.is_admin(request))


def day_of(text: str | None, name: str) -> str | None:
    """A date field of the form: None when empty, else YYYY-MM-DD; a RecordsError naming the field."""
    if not (text or "").strip():
        return None
    try:
        return day_text(text)
    except RecordsError:
        raise RecordsError(f"{name}应为 YYYY-MM-DD（如 2026-03-01），而不是“{text.strip()[:20]}”") from None


def filters_of(since: str | None, until: str | None, user: str | None) -> dict:
    """The records filters for the form: `until` is inclusive on the page (exclusive in records),
    the user choice maps to a name, "" (rows without a user) or None (everyone). A bad date or a
    range that ends before it starts is a RecordsError that says which."""
    out = {"since": day_of(since, "起始日期"), "until": day_of(until, "截止日期"), "user": None}
    if out["since"] and out["until"] and out["until"] < out["since"]:
        raise RecordsError(f"截止日期 {out['until']} 早于起始日期 {out['since']}")
    if out["until"]:
        out["until"] = (date.fromisoformat(out["until"]) + timedelta(days=1)).isoformat()
    if user and user != ALL_USERS:
        out["user"] = "" if user == NO_USER else user
    return out


# ---- formatters ----------------------------------------------------------------------------------

def percent(x: float | None) -> str:
    """
    >>> percent(0.125), percent(None)
    ('12.5%', '—')
    """
    return "—" if x is None else f"{100 * x:.1f}%"


def millis(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f} ms"


def figures_html(s: dict) -> str:
    items = [("问题数", str(s["questions"])), ("拒答率", f'{percent(s["refusal_rate"])}（{s["refused"]} 条）'),
             ("大模型回退率", percent(s["fallback_rate"]) + (f'（{s["fallbacks"]}/{s["llm_answers"]}）'
                                                          if s["llm_answers"] else "（未用大模型）")),
             ("耗时 p50", millis(s["p50_ms"])), ("耗时 p95", millis(s["p95_ms"])),
             ("评价（有用 / 不对）", f'👍 {s["up"]}　👎 {s["down"]}')]
    cells = "".join(f'<div class="figure"><div class="figure-key">{esc(k)}</div>'
                    f'<div class="figure-value">{esc(v)}</div></div>' for k, v in items)
    return f'<div class="figures" id="admin-figure-list">{cells}</div>'


def per_day_html(days: list[dict]) -> str:
    """Questions per day as bars: answered and refused (one day alone: its figures, no bar)."""
    if not days:
        return '<div class="chart"><h4>每日问题数</h4><p class="muted">所选范围内没有问答记录。</p></div>'
    top = max(d["questions"] for d in days) or 1
    rows = []
    for d in days:
        answered, refused = d["questions"] - d["refused"], d["refused"]
        value = f'{d["questions"]} 问' + (f"（拒答 {refused}）" if refused else "")
        if len(days) == 1:
            rows.append(f'<div class="bar-row" data-day="{esc(d["day"])}"><span class="bar-label">{esc(d["day"])}'
                        f'</span><span class="bar-value lone">{esc(value)}</span></div>')
            continue
        segs = (f'<span class="seg seg-count" style="width:{100 * answered / top:.1f}%" title="已回答 {answered}"></span>'
                f'<span class="seg seg-ratio" style="width:{100 * refused / top:.1f}%" title="拒答 {refused}"></span>')
        rows.append(f'<div class="bar-row" data-day="{esc(d["day"])}"><span class="bar-label">{esc(d["day"])}</span>'
                    f'<span class="bar-track">{segs}</span><span class="bar-value">{esc(value)}</span></div>')
    legend = ('<span class="legend"><span class="seg seg-count"></span>已回答</span>'
              '<span class="legend"><span class="seg seg-ratio"></span>拒答</span>')
    return (f'<div class="chart" data-chart="per-day"><h4>每日问题数（共 {sum(d["questions"] for d in days)} 问）</h4>'
            f'<div class="chart-legend">{legend}</div><div class="chart-grid">{"".join(rows)}</div></div>')


def table_html(headers: list[str], rows: list[list[str]], empty: str, elem_class: str) -> str:
    """A table of already escaped cells."""
    if not rows:
        return f'<p class="muted">{esc(empty)}</p>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="admin-table {elem_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def question_cell(text: str, limit: int = QUESTION_CHARS) -> str:
    """A question as a table shows it: the first `limit` characters and "…", the whole question
    (up to the log's cap) in its tooltip; the exports keep it whole.

    >>> question_cell("粮食产量目标是多少？", 4)
    '<span class="admin-question" title="粮食产量目标是多少？">粮食产量…</span>'
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return esc(flat)
    return f'<span class="admin-question" title="{esc(flat[:TOOLTIP_CHARS])}">{esc(flat[:limit])}…</span>'


def most_asked_html(most: list[dict]) -> str:
    return table_html(["问题", "次数"], [[question_cell(m["question"]), str(m["count"])] for m in most],
                      "还没有问答记录。", "most-asked")


def refs_text(refs: list[str]) -> str:
    return esc("、".join(f"[{r}]" for r in refs)) if refs else '<span class="muted">无</span>'


def user_text(row: dict) -> str:
    return esc(row["user"]) if row["user"] else f'<span class="muted">{esc(NO_USER)}</span>'


def refused_html(rows: list[dict]) -> str:
    return table_html(["编号", "时间", "用户", "问题"],
                      [[str(r["id"]), esc(r["time"][:16].replace("T", " ")), user_text(r), question_cell(r["question"])]
                       for r in rows], "所选范围内没有拒答的问题。", "refused")


def answer_cell(text: str) -> str:
    short = text if len(text) <= ANSWER_CHARS else text[:ANSWER_CHARS] + "…"
    return f'<div class="admin-answer">{esc(short)}</div>'


def down_html(rows: list[dict]) -> str:
    return table_html(
        ["编号", "时间", "用户", "问题", "原因", "说明", "回答", "引用", "模式"],
        [[str(r["id"]), esc(r["time"][:16].replace("T", " ")), user_text(r), question_cell(r["question"]),
          esc(r["reason"] or "（未选）"), esc(r["comment"] or ""), answer_cell(r["answer"]), refs_text(r["refs"]),
          esc(MODE_LABELS.get(r["mode"], r["mode"]))] for r in rows],
        "所选范围内没有被评为不对（👎）的回答。", "down")


def choice_label(row: dict) -> str:
    """The label of a row in the eval-export choice (plain text: Gradio shows it as text)."""
    kind = "不对" if row["vote"] == "down" else "拒答"
    q = " ".join(row["question"].split())
    return f"#{row['id']} {kind} {q[:60]}"


# ---- files ------------------------------------------------------------------------------------------

def log_files(rows: list[dict], key) -> tuple[str, str]:
    stem = "计划助手问答记录"

    def write(folder: Path) -> None:
        (folder / f"{stem}.csv").write_text(rows_csv(rows), encoding="utf-8-sig")
        (folder / f"{stem}.xlsx").write_bytes(rows_xlsx(rows))

    folder = state.export_folder("admin-log", [key, rows], write)
    return str(folder / f"{stem}.csv"), str(folder / f"{stem}.xlsx")


def eval_file(rows: list[dict]) -> str:
    name = "评测题-来自问答记录.jsonl"

    def write(folder: Path) -> None:
        (folder / name).write_text(eval_items(rows), encoding="utf-8")

    return str(state.export_folder("admin-eval", rows, write) / name)


# ---- callbacks and the tab --------------------------------------------------------------------------

def show_admin(since: str | None, until: str | None, user: str | None, request: gr.Request = None):
    """(figures, chart, most asked, refused, 👎, CSV, XLSX, eval choices, user choices, status line) for
    the filters. A bad date (or a log that cannot be read) is one line in the status, and the panels
    keep what they showed: an error raised here would mark every panel. Admins only."""
    require_admin(request)
    try:
        f = filters_of(since, until, user)
        s = summary(state.RECORDS, **f)
        refused, down = refused_rows(state.RECORDS, **f), down_rows(state.RECORDS, **f)
        rows = log_rows(state.RECORDS, **f)
        names = users(state.RECORDS)
    except RecordsError as e:
        return (*(gr.skip(),) * 9, f'<span class="admin-error">未刷新：{esc(e)}</span>')
    csv_path, xlsx_path = log_files(rows, f) if rows else (None, None)
    failures = {r["id"]: r for r in down + refused}
    choices = [(choice_label(r), str(i)) for i, r in sorted(failures.items())]
    picked = [str(r["id"]) for r in down]
    status = ("问答记录已关闭（--no-log 或 PLAN_ASSISTANT_LOG=off）：没有数据。" if not state.RECORDS.enabled else
              f"共 {len(rows)} 条问答记录。")
    return (figures_html(s), per_day_html(s["per_day"]), most_asked_html(s["most_asked"]), refused_html(refused),
            down_html(down), gr.update(value=csv_path, interactive=bool(rows)),
            gr.update(value=xlsx_path, interactive=bool(rows)), gr.update(choices=choices, value=picked),
            gr.update(choices=[ALL_USERS, NO_USER, *names]), status)


def export_eval(selected: list[str] | None, since: str | None, until: str | None, user: str | None,
                request: gr.Request = None):
    """The chosen rows (their ids, within the filters) as eval items, a .jsonl file. Admins only."""
    require_admin(request)
    try:
        ids = {int(x) for x in selected or []}
        rows = [r for r in log_rows(state.RECORDS, **filters_of(since, until, user)) if r["id"] in ids]
    except (RecordsError, TypeError, ValueError) as e:
        gr.Warning(f"未导出：{e}" if isinstance(e, RecordsError) else "未导出：所选记录无效")
        return gr.update(value=None, visible=False)
    if not rows:
        gr.Warning("请先勾选要导出的记录")
        return gr.update(value=None, visible=False)
    return gr.update(value=eval_file(rows), visible=True)


def build_tab() -> gr.Tab:
    with gr.Tab("管理", id="admin", visible=False) as tab:
        with gr.Row(equal_height=True, elem_classes="filter-row"):
            since = gr.Textbox(label="起始日期（YYYY-MM-DD）", placeholder="如 2026-03-01", scale=2, elem_id="admin-since")
            until = gr.Textbox(label="截止日期（含）", placeholder="如 2026-03-31", scale=2, elem_id="admin-until")
            user = gr.Dropdown([ALL_USERS, NO_USER], value=ALL_USERS, label="用户", scale=2, elem_id="admin-user")
            refresh = gr.Button("刷新", variant="primary", size="sm", scale=0, min_width=80, elem_id="admin-refresh")
        with gr.Row(equal_height=True, elem_classes="count-row"):
            status = gr.Markdown(elem_id="admin-status")
            download_csv = gr.DownloadButton("下载 CSV", size="sm", scale=0, min_width=90, interactive=False,
                                             elem_id="admin-csv", elem_classes="download")
            download_xlsx = gr.DownloadButton("下载 Excel", size="sm", scale=0, min_width=90, interactive=False,
                                              elem_id="admin-xlsx", elem_classes="download")
        figures = gr.HTML(elem_id="admin-figures")
        with gr.Row():
            with gr.Column(scale=3):
                chart = gr.HTML(elem_id="admin-chart")
            with gr.Column(scale=2):
                gr.Markdown("#### 最常问的问题")
                most = gr.HTML(elem_id="admin-most")
        gr.Markdown("#### 被评为不对（👎）的回答：原因、回答与引用")
        down = gr.HTML(elem_id="admin-down")
        gr.Markdown("#### 拒答的问题")
        refused = gr.HTML(elem_id="admin-refused")
        with gr.Accordion("导出为评测题（eval/ 目录所用的 .jsonl 格式：问题与所引出处，供复核后加入测试集）", open=True):
            picks = gr.CheckboxGroup([], label="选择记录（默认勾选全部被评为不对的回答；“拒答”为拒答的问题）", elem_id="admin-picks")
            with gr.Row(equal_height=True, elem_classes="count-row"):
                export = gr.Button("导出所选为评测题", size="sm", scale=0, min_width=140, elem_id="admin-export-eval")
                eval_out = gr.File(label="评测题文件", visible=False, interactive=False, elem_id="admin-eval-file")

        filters = [since, until, user]
        shown = [figures, chart, most, refused, down, download_csv, download_xlsx, picks, user, status]
        refresh.click(show_admin, filters, shown, api_name="admin_view", api_visibility="private")
        since.submit(show_admin, filters, shown, api_visibility="private")
        until.submit(show_admin, filters, shown, api_visibility="private")
        user.input(show_admin, filters, shown, api_visibility="private")
        tab.select(show_admin, filters, shown, api_visibility="private")
        export.click(export_eval, [picks, *filters], eval_out, api_name="admin_eval", api_visibility="private")
    return tab
