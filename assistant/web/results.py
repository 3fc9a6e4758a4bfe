"""学员成绩: what trainees scored on the papers a trainer assigned. Per paper: who submitted, the
scores, the questions missed most with the plan paragraph to review; per trainee: the papers taken
and the accuracy by chapter; the paper's results as XLSX (three sheets) and CSV, Chinese headers.

Shown to trainers and admins (accounts only). A trainer sees the papers they made, an admin every
paper. Hiding the tab is not the guard: the callback checks the user of its own request
(`state.require_trainer`) and reads only that user's papers, so the Gradio API gives nobody else's
data. Everything typed by people (titles, names, answers) is escaped before it reaches the page.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..records import RecordsError, list_papers, list_submissions
from ..training import (
    Paper,
    chapter_accuracy,
    most_missed,
    paper_csv,
    paper_summary,
    paper_xlsx,
    submission_rows,
)
from . import state
from .html import duration, esc, highlight, percent, ref_label, table

ALL_TRAINEES = "（全部学员）"
TEXT_CHARS = 300  # of a paragraph shown beside a missed question (the export has it whole)


def paper_label(p: Paper) -> str:
    due = f" · 截止 {p.due_text}" if p.due else ""
    return f"{p.id} · {p.title} · {p.creator} · {p.created[:10]}{due}"


def visible_papers(user: str, request) -> list[Paper]:
    """The papers `user` may read: their own, or every paper for an admin; newest first."""
    return [Paper.of(r) for r in list_papers(state.RECORDS, creator=None if state.is_admin(request) else user)]


# ---- formatters ----------------------------------------------------------------------------------

def summary_md(paper: Paper, s: dict) -> str:
    if not s["submissions"]:
        return f"试卷编号 **{paper.id}**《{esc(paper.title)}》：还没有学员提交。"
    late = f"，逾期 {s['late']} 人" if s["late"] else ""
    return (f"试卷编号 **{paper.id}**《{esc(paper.title)}》：{s['trainees']} 人提交（共 {s['submissions']} 次），"
            f"第一次提交平均 **{s['average']}** / {s['total']} 分，最高 {s['highest']}，最低 {s['lowest']}{late}。")


def submissions_html(rows: list[dict]) -> str:
    if not rows:
        return '<p class="muted">还没有学员提交这份试卷。</p>'
    return table(["学员", "第几次", "提交时间", "得分", "正确率", "用时", "逾期"],
                 [[esc(r["trainee"]), str(r["attempt"]), esc(r["time"]), f"{r['score']} / {r['total']}",
                   percent(r["rate"]), duration(r["seconds"]), "逾期" if r["late"] else ""] for r in rows],
                 "results-rows")


def missed_html(rows: list[dict]) -> str:
    if not rows:
        return '<p class="muted">没有答错或未答的题。</p>'
    out = []
    for m in rows:
        text = m["text"] if len(m["text"]) <= TEXT_CHARS else m["text"][:TEXT_CHARS] + "…"
        paragraph = highlight(text, [m["quote"]] if m["quote"] else [])
        out.append([str(m["number"]), esc(m["prompt"]), esc(m["answer"]),
                    f"{m['missed']} / {m['taken']}（错 {m['wrong']}，未答 {m['blank']}）",
                    f'<div class="results-ref">{esc(ref_label(m["ref"], m["title"]))}</div>'
                    f'<div class="results-text">{paragraph}</div>'])
    return table(["题号", "题目", "正确答案", "答错或未答", "需复习的计划原文"], out, "results-missed")


def trainee_html(rows: list[dict]) -> str:
    if not rows:
        return '<p class="muted">没有提交记录。</p>'
    return table(["学员", "试卷编号", "标题", "第几次", "提交时间", "得分", "正确率", "逾期"],
                 [[esc(r["trainee"]), str(r["paper"]), esc(r["title"]), str(r["attempt"]), esc(r["time"]),
                   f"{r['score']} / {r['total']}", percent(r["rate"]), "逾期" if r["late"] else ""] for r in rows],
                 "results-trainee")


def chapters_html(rows: list[dict]) -> str:
    if not rows:
        return '<p class="muted">没有提交记录。</p>'
    return table(["学员", "章节", "答对 / 题数", "正确率"],
                 [[esc(c["trainee"]), esc(c["label"]), f"{c['right']} / {c['total']}", percent(c["rate"])]
                  for c in rows], "results-chapters")


def export_files(paper: Paper, subs: list[dict]) -> tuple[str, str]:
    stem = f"学员成绩-试卷{paper.id}"

    def write(folder: Path) -> None:
        (folder / f"{stem}.xlsx").write_bytes(paper_xlsx(state.DOC, paper, subs))
        (folder / f"{stem}.csv").write_text(paper_csv(state.DOC, paper, subs), encoding="utf-8-sig")

    folder = state.export_folder("results", [paper.id, paper.title, subs], write)
    return str(folder / f"{stem}.xlsx"), str(folder / f"{stem}.csv")


# ---- the callback and the tab ---------------------------------------------------------------------

def show_results(paper_id, trainee: str | None, request: gr.Request = None):
    """(paper choices, summary, submissions, most missed, trainee choices, trainee's papers, chapter
    accuracy, XLSX, CSV, status) for the chosen paper (the newest when none) and trainee (everyone's
    when none). Trainers and admins only; a paper that is not the user's to read is not shown."""
    user = state.require_trainer(request)
    try:
        papers = visible_papers(user, request)
        by_id = {p.id: p for p in papers}
        subs = list_submissions(state.RECORDS, paper_ids=list(by_id))
    except RecordsError as e:
        return (*(gr.skip(),) * 9, f'<span class="admin-error">未刷新：{esc(e)}</span>')
    try:
        chosen = by_id.get(int(paper_id)) if paper_id not in (None, "") else None
    except (TypeError, ValueError):
        chosen = None
    chosen = chosen or (papers[0] if papers else None)
    names = sorted({s["trainee"] for s in subs})
    who = trainee if trainee in names else None
    mine = [s for s in subs if who is None or s["trainee"] == who]
    choices = gr.update(choices=[(paper_label(p), str(p.id)) for p in papers], value=str(chosen.id) if chosen else None)
    trainees = gr.update(choices=[ALL_TRAINEES, *names], value=who or ALL_TRAINEES)
    per_trainee = (trainee_html(submission_rows(by_id, mine)), chapters_html(chapter_accuracy(state.DOC, by_id, mine)))
    if chosen is None:
        status = NO_RECORDS if not state.RECORDS.enabled else "还没有布置试卷：在“测验”中用“布置试卷”出卷。"
        return (choices, "", "", "", trainees, *per_trainee, gr.update(value=None, interactive=False),
                gr.update(value=None, interactive=False), status)
    of_paper = [s for s in subs if s["paper_id"] == chosen.id]
    xlsx, csv = export_files(chosen, of_paper)
    return (choices, summary_md(chosen, paper_summary(chosen, of_paper)),
            submissions_html(submission_rows(by_id, of_paper)), missed_html(most_missed(state.DOC, chosen, of_paper)),
            trainees, *per_trainee, gr.update(value=xlsx, interactive=True), gr.update(value=csv, interactive=True),
            f"共 {len(papers)} 份试卷，{len(subs)} 次提交。")


NO_RECORDS = "问答记录已关闭（--no-log）：没有试卷与成绩。"


def build_tab() -> gr.Tab:
    with gr.Tab("学员成绩", id="results", visible=False) as tab:
        with gr.Row(equal_height=True, elem_classes="filter-row"):
            paper = gr.Dropdown([], label="试卷（编号 · 标题 · 布置人 · 日期）", scale=5, elem_id="results-paper")
            refresh = gr.Button("刷新", variant="primary", size="sm", scale=0, min_width=80, elem_id="results-refresh")
            xlsx = gr.DownloadButton("下载 Excel", size="sm", scale=0, min_width=90, interactive=False,
                                     elem_id="results-xlsx", elem_classes="download")
            csv = gr.DownloadButton("下载 CSV", size="sm", scale=0, min_width=90, interactive=False,
                                    elem_id="results-csv", elem_classes="download")
        status = gr.Markdown(elem_id="results-status")
        summary = gr.Markdown(elem_id="results-summary")
        gr.Markdown("#### 提交情况")
        rows = gr.HTML(elem_id="results-submissions")
        gr.Markdown("#### 错得最多的题（每人第一次提交）与需复习的计划原文")
        missed = gr.HTML(elem_id="results-missed")
        gr.Markdown("#### 按学员：做过的试卷与按章节正确率（每卷第一次提交）")
        trainee = gr.Dropdown([ALL_TRAINEES], value=ALL_TRAINEES, label="学员", elem_id="results-trainee")
        taken = gr.HTML(elem_id="results-taken")
        chapters = gr.HTML(elem_id="results-chapters")

        shown = [paper, summary, rows, missed, trainee, taken, chapters, xlsx, csv, status]
        refresh.click(show_results, [paper, trainee], shown, api_name="trainee_results", api_visibility="private")
        paper.input(show_results, [paper, trainee], shown, api_visibility="private")
        trainee.input(show_results, [paper, trainee], shown, api_visibility="private")
        tab.select(show_results, [paper, trainee], shown, api_visibility="private")
    return tab
