"""Assigned papers in the 测验 tab (accounts only): a trainer's 布置试卷 (the tab's options, a title,
a due time, whether a second submission is allowed) gives the 试卷编号 to hand out; a logged-in
trainee who types that number gets the paper as it was made, and the submission is graded against
it and stored with the name, per-question results and time taken (`assistant.training`); 我的测验成绩
lists the user's own submissions only.

The 布置试卷 callback checks the user of its own request (`state.require_trainer`): hiding the section
is not the guard. Without accounts none of this runs: a typed number regenerates a practice paper as
before and nothing is stored. A submission after the due time is stored and marked 逾期.
"""

from __future__ import annotations

import time
from dataclasses import asdict

import gradio as gr

from ..documents.refs import UnknownRef
from ..quiz import QuizError
from ..records import RecordsError, list_submissions
from ..training import (
    Paper,
    TrainingError,
    assign_paper,
    chapter_accuracy,
    open_paper,
    submission_rows,
    submit_paper,
)
from . import state
from .html import duration, esc, percent, table
from .quiz_format import options_of

NOT_STORED = "问答记录已关闭（--no-log）：布置的试卷与成绩无处保存。"


def rule_text(paper: Paper) -> str:
    return "只能提交一次" if paper.attempts == 1 else f"可提交 {paper.attempts} 次"


# ---- the trainer: 布置试卷 --------------------------------------------------------------------------

def assign(chapter, kinds, n, difficulty, title, due, second: bool, request: gr.Request = None) -> str:
    """Make a paper from the tab's options; the status line with its 试卷编号. Trainers and admins only."""
    creator = state.require_trainer(request)
    try:
        chapter, kinds, n, difficulty = options_of(chapter, kinds, n, difficulty)
        paper = assign_paper(state.RECORDS, state.DOC, creator, chapter=chapter, kinds=kinds, n=n,
                             difficulty=difficulty, title=title, due=due, attempts=2 if second else 1)
    except (QuizError, UnknownRef, TrainingError, RecordsError) as e:
        raise gr.Error(str(e)) from None
    due_line = f"，截止 {paper.due_text}" if paper.due else "，不设截止时间"
    return (f"已布置《{esc(paper.title)}》：试卷编号 **{paper.id}**（共 {len(paper.questions)} 题{due_line}，"
            f"{rule_text(paper)}）。请把编号发给学员：学员登录后在“试卷编号”中输入它，点“生成测验”作答；"
            "成绩见“学员成绩”。")


# ---- the trainee: opening and submitting ------------------------------------------------------------

def open_assigned(number: int, request) -> tuple[dict, str, list, bool, bool] | None:
    """The assigned paper `number` for the logged-in user: (state, status, questions, key shown,
    submit shown); None when there are no accounts or no paper has that number (a practice paper)."""
    user = state.login_name(request)
    if user is None:
        return None
    try:
        paper = open_paper(state.RECORDS, number)
        earlier = list_submissions(state.RECORDS, paper_ids=[number], trainee=user) if paper else []
    except RecordsError as e:
        raise gr.Error(f"无法读取布置的试卷：{e}") from None
    if paper is None:
        return None
    status = (f"试卷编号 **{paper.id}**《{esc(paper.title)}》：共 **{len(paper.questions)}** 题，"
              f"由 {esc(paper.creator)} 布置（题目以布置时为准，上方的范围、题型与难度不起作用）")
    status += f"，截止 {paper.due_text}。" if paper.due else "。"
    left = paper.attempts - len(earlier)
    if left <= 0:
        last = earlier[-1]
        status += f"你已提交过本卷（得分 {last['score']} / {last['total']}），{rule_text(paper)}，不能再次提交。"
    else:
        if paper.is_late(state.RECORDS.clock().astimezone()):
            status += "**已过截止时间：现在提交将标为逾期。**"
        status += f"本卷{rule_text(paper)}" + (f"（已提交 {len(earlier)} 次）" if earlier else "")
        status += "。作答后点“提交答案”：得分与解析显示在下方，成绩记入学员成绩。"
    key_shown = user == paper.creator or state.is_admin(request)  # the answer key: never to a trainee
    questions = [asdict(q) for q in paper.questions]
    session = {"questions": questions, "seed": paper.id, "assigned": paper.id, "opened": time.time()}
    return session, status, paper.questions, key_shown, left > 0


def submit_assigned(session: dict, responses: list[str], request) -> tuple[Paper, str] | None:
    """Store the logged-in user's submission of the paper in `session`, graded against the stored
    paper: (paper, the line under the score); None (with a warning, the answers left on the page)
    when it cannot be stored."""
    user = state.login_name(request)
    try:
        paper = open_paper(state.RECORDS, int(session["assigned"])) if user else None
        if paper is None:
            gr.Warning("未提交：请登录后重新输入试卷编号打开试卷")
            return None
        seconds = max(0.0, time.time() - float(session.get("opened") or time.time()))
        sub = submit_paper(state.RECORDS, paper, user, responses, seconds)
    except TrainingError as e:
        gr.Warning(str(e))
        return None
    except RecordsError as e:
        gr.Warning(f"未提交（答案仍在页面上，可稍后再提交）：{e}")
        return None
    late = f"；逾期提交（截止 {paper.due_text}）" if sub.late else ""
    return paper, (f'<div class="q-recorded">已记入学员成绩：第 {sub.attempt} 次提交，用时 {duration(sub.seconds)}'
                   f"{esc(late)}。</div>")


# ---- the trainee's own results ------------------------------------------------------------------------

def my_results(request: gr.Request = None) -> str:
    """The user's own submissions and accuracy by chapter (nobody else's)."""
    user = state.login_name(request)
    if user is None:
        return ""
    if not state.RECORDS.enabled:
        return f'<p class="muted">{esc(NOT_STORED)}</p>'
    try:
        subs = list_submissions(state.RECORDS, trainee=user)
        papers = {p: open_paper(state.RECORDS, p) for p in {s["paper_id"] for s in subs}}
    except RecordsError as e:
        return f'<p class="admin-error">无法读取成绩：{esc(e)}</p>'
    if not subs:
        return '<p class="muted">还没有提交过布置的试卷。</p>'
    rows = [[str(r["paper"]), esc(r["title"]), str(r["attempt"]), esc(r["time"]), f"{r['score']} / {r['total']}",
             percent(r["rate"]), duration(r["seconds"]), "逾期" if r["late"] else ""]
            for r in reversed(submission_rows(papers, subs))]
    chapters = [[esc(c["label"]), f"{c['right']} / {c['total']}", percent(c["rate"])]
                for c in chapter_accuracy(state.DOC, {k: v for k, v in papers.items() if v}, subs)]
    return (table(["试卷编号", "标题", "第几次", "提交时间", "得分", "正确率", "用时", "逾期"], rows, "my-papers")
            + "<h4>按章节正确率（每卷第一次提交）</h4>"
            + table(["章节", "答对 / 题数", "正确率"], chapters, "my-chapters"))


# ---- the parts of the tab ---------------------------------------------------------------------------

def build_assign(chapter, kinds, n, difficulty) -> gr.Accordion:
    """布置试卷, below the tab's options (which it uses); shown to trainers and admins by app.py."""
    with gr.Accordion("布置试卷（培训师）：用上方的范围、题型、难度和题目数出卷，把试卷编号发给学员", open=False,
                      visible=False, elem_id="assign-box") as box:
        with gr.Row(equal_height=True):
            title = gr.Textbox(label="标题（可不填）", max_lines=1, max_length=40, scale=3, elem_id="assign-title")
            due = gr.Textbox(label="截止时间（可不填）", placeholder="如 2026-03-31 或 2026-03-31 18:00", max_lines=1,
                             scale=2, elem_id="assign-due")
            second = gr.Checkbox(label="允许第二次提交", value=False, scale=1, elem_id="assign-second")
            button = gr.Button("布置试卷", variant="primary", scale=0, min_width=120, elem_id="assign-button")
        status = gr.Markdown(elem_id="assign-status")
    button.click(assign, [chapter, kinds, n, difficulty, title, due, second], status, api_name="assign_paper",
                 api_visibility="private")
    return box


def build_history() -> tuple[gr.Accordion, gr.HTML]:
    """我的测验成绩: shown to a logged-in user by app.py, refreshed after each submission."""
    with gr.Accordion("我的测验成绩（布置的试卷）", open=False, visible=False, elem_id="my-results-box") as box:
        refresh = gr.Button("刷新", size="sm", scale=0, min_width=80, elem_id="my-results-refresh")
        shown = gr.HTML(elem_id="my-results")
    refresh.click(my_results, None, shown, api_visibility="private")
    box.expand(my_results, None, shown, api_visibility="private")
    return box, shown
