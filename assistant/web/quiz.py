"""测验: quizzes generated from the plan, a new paper on each press (its 试卷编号 regenerates it),
graded with explanations and the score on top, exported as Markdown and CSV (the paper, its key,
and a trainee's answered paper with the score).

With accounts, a 试卷编号 a trainer assigned opens that paper instead, and its submission is stored
(`papers`: also the trainer's 布置试卷 and the user's own 我的测验成绩 in this tab). Without accounts
the tab stores nothing. How a paper is shown is `quiz_format`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import gradio as gr

from ..documents.refs import UnknownRef
from ..quiz import KIND_LABELS, KINDS, MAX_PAPER, Question, Quiz, QuizError, generate_quiz
from ..training import results_of
from . import papers
from .html import chapter_choices, ref_label
from .quiz_format import (  # noqa: F401  (the tab's formatters, importable from here as before)
    CSV_HEADERS,
    DIFFICULTIES,
    KIND_OF,
    QUIZ_LETTERS,
    QUIZ_SLOTS,
    VERDICTS,
    answered_paper,
    options_of,
    quiz_choices,
    quiz_csv,
    quiz_feedback_html,
    quiz_prompt_html,
    quiz_score_html,
    shown_answer,
)
from .state import DOC, export_folder

# ---- callbacks and the tab ---------------------------------------------------------------------

DEFAULT_SEED = 7  # what the command line uses when no seed is given
SLOT_OUTPUTS = 5  # per slot: box, prompt, radio, textbox, feedback


def source_label(ref: str) -> str:
    try:
        return ref_label(ref, DOC.get(ref).title)
    except UnknownRef:
        return f"[{ref}]"


def quiz_files(quiz) -> list[str]:
    """The quiz and its answer key, each as Markdown and as CSV (BOM, for Excel)."""
    files = {"测验试题.md": (quiz.to_markdown(with_answers=False), "utf-8"),
             "测验试题与答案.md": (quiz.to_markdown(with_answers=True), "utf-8"),
             "测验试题.csv": (quiz_csv(quiz, with_answers=False), "utf-8-sig"),
             "测验试题与答案.csv": (quiz_csv(quiz, with_answers=True), "utf-8-sig")}

    def write(folder: Path) -> None:
        for name, (text, encoding) in files.items():
            (folder / name).write_text(text, encoding=encoding)

    folder = export_folder("quiz", quiz.to_json(), write)
    return [str(folder / name) for name in files]


def paper_number(value) -> int:
    """The 试卷编号 typed in, or a new one when the box is empty."""
    text = str(value if value is not None else "").strip()
    if not text:
        return secrets.randbelow(MAX_PAPER) + 1
    if not text.isdigit() or not 0 < int(text) <= MAX_PAPER:
        raise gr.Error(f"试卷编号须为 1 到 {MAX_PAPER} 之间的整数；留空则出一份新试卷")
    return int(text)


def slot_updates(questions: list[Question]) -> list:
    """SLOT_OUTPUTS updates per question slot (box, prompt, radio, textbox, feedback)."""
    slots = []
    for i in range(QUIZ_SLOTS):
        if i < len(questions):
            q = questions[i]
            slots += [gr.update(visible=True), quiz_prompt_html(i + 1, q, f"【{KIND_LABELS[q.kind]}】"),
                      gr.update(choices=quiz_choices(q), value=None, visible=q.kind != "fill"),
                      gr.update(value="", visible=q.kind == "fill"), ""]
        else:
            slots += [gr.update(visible=False), "", gr.update(choices=[], value=None), gr.update(value=""), ""]
    return slots


def make_quiz(chapter: str | None, kinds: list[str] | None, n, difficulty, paper=None, request: gr.Request = None):
    """Generate a quiz: the paper `paper` (its 试卷编号), or a new one when it is empty; with a login,
    a number a trainer assigned opens that paper. Returns [quiz state, status line, export box,
    export files, submit button, score] followed by SLOT_OUTPUTS updates per question slot."""
    try:
        chapter, kinds, n, difficulty = options_of(chapter, kinds, n, difficulty)
    except QuizError as e:
        raise gr.Error(str(e)) from e
    seed = paper_number(paper)
    if str(paper if paper is not None else "").strip():
        opened = papers.open_assigned(seed, request)
        if opened is not None:
            session, status, questions, key_shown, can_submit = opened
            files = quiz_files(Quiz(questions, seed)) if key_shown else None
            return [session, status, gr.update(visible=key_shown), files, gr.update(visible=can_submit), "",
                    *slot_updates(questions)]
    try:
        quiz = generate_quiz(DOC, n, chapter, kinds, seed, difficulty)
    except (QuizError, UnknownRef) as e:
        raise gr.Error(str(e)) from e
    questions = quiz.questions
    status = f"试卷编号 **{quiz.seed}**：共 **{len(questions)}** 题"
    if len(questions) < n:
        status += f"（所选范围内只能出 {len(questions)} 题）"
    status += "。作答后点“提交答案”查看得分与解析；在“试卷编号”中输入此编号可重出同一份试卷。"
    state = quiz.to_json() | {"seed": quiz.seed}
    return [state, status, gr.update(visible=True), quiz_files(quiz), gr.update(visible=True), "",
            *slot_updates(questions)]


def responses_of(questions: list[Question], values) -> list[str]:
    """Each question's response: `values` are the QUIZ_SLOTS radio values, then the textbox values."""
    radios, texts = values[:QUIZ_SLOTS], values[QUIZ_SLOTS:2 * QUIZ_SLOTS]
    return [str((texts[i] if q.kind == "fill" else radios[i]) or "").strip() for i, q in enumerate(questions)]


def graded(questions: list[Question], responses: list[str], paper: str, note: str = "") -> list:
    """[score (with `note` under it), answered paper files] + one feedback per slot."""
    verdicts = [VERDICTS[r] for r in results_of(questions, responses)]
    right = verdicts.count("正确")
    feedback = [quiz_feedback_html(q, r, v == "正确", source_label(q.ref))
                for q, r, v in zip(questions, responses, verdicts, strict=True)]
    md, table = answered_paper(questions, responses, verdicts, paper)
    stem = f"测验答卷-试卷编号{paper}-得分{right}of{len(questions)}"

    def write(folder: Path) -> None:
        (folder / f"{stem}.md").write_text(md, encoding="utf-8")
        (folder / f"{stem}.csv").write_text(table, encoding="utf-8-sig")

    folder = export_folder("answered", [md], write)
    files = gr.update(value=[str(folder / f"{stem}.md"), str(folder / f"{stem}.csv")], visible=True)
    score = quiz_score_html(right, len(questions), verdicts.count("未作答"), paper) + note
    return [score, files, *feedback, *[""] * (QUIZ_SLOTS - len(questions))]


def submit_quiz(state: dict | None, *values):
    """Grade the answers of a practice paper: `values` are the QUIZ_SLOTS radio values, then the
    QUIZ_SLOTS textbox values. Returns [score, answered paper files] + one feedback per slot."""
    if not state or not state.get("questions"):
        gr.Warning("请先生成测验")
        return [gr.skip()] * (2 + QUIZ_SLOTS)
    questions = [Question(**q) for q in state["questions"]][:QUIZ_SLOTS]
    return graded(questions, responses_of(questions, values), str(state.get("seed", "")))


def submit_answers(request: gr.Request, state: dict | None, *values):
    """The 提交答案 button: an assigned paper's submission is stored (graded against the stored paper)
    before it is shown; a practice paper is graded as submit_quiz does. (The request comes first:
    Gradio passes it only before the *values.)"""
    if not state or not state.get("assigned"):
        return submit_quiz(state, *values)
    responses = responses_of([Question(**q) for q in state["questions"]], values)
    stored = papers.submit_assigned(state, responses, request)
    if stored is None:
        return [gr.skip()] * (2 + QUIZ_SLOTS)
    paper, note = stored
    return graded(paper.questions, responses, str(paper.id), note)


def build_tab() -> tuple[gr.Accordion, gr.Accordion]:
    """The tab; returns its parts shown only with a login: (布置试卷, 我的测验成绩)."""
    with gr.Tab("测验", id="quiz"):
        state = gr.State(None)
        with gr.Row(equal_height=True):
            chapter = gr.Dropdown(chapter_choices(DOC), value="", label="出题范围", scale=3, elem_id="quiz-chapter")
            # values are the labels too: a checkbox's title is its value, and the page shows no English
            kinds = gr.CheckboxGroup([KIND_LABELS[k] for k in KINDS], value=[], label="题型（不选为全部）",
                                     scale=4, elem_id="quiz-kinds")
            difficulty = gr.Dropdown(DIFFICULTIES, value=0, label="难度", scale=2, elem_id="quiz-difficulty")
            n = gr.Slider(1, QUIZ_SLOTS, value=10, step=1, label="题目数", scale=2, elem_id="quiz-n")
            paper = gr.Textbox(label="试卷编号（留空出新卷）", placeholder="如 123456", max_lines=1, scale=1,
                               min_width=140, elem_id="quiz-paper")
        with gr.Row(equal_height=True):
            generate = gr.Button("生成测验", variant="primary", scale=0, min_width=160, elem_id="quiz-generate")
            status = gr.Markdown("选择范围、题型和难度后点“生成测验”：每次生成一份新试卷。", elem_id="quiz-status")
        assign_box = papers.build_assign(chapter, kinds, n, difficulty)
        score = gr.HTML(elem_id="quiz-score")
        answered = gr.File(label="下载本人答卷（含作答、对错与得分）", file_count="multiple", interactive=False,
                           visible=False, elem_id="quiz-answered")
        with gr.Accordion("导出试题与答案（Markdown、CSV）", open=False, visible=False, elem_id="quiz-export") as export:
            files = gr.File(label="试题与答案文件", show_label=False, file_count="multiple", interactive=False, elem_id="quiz-files")
        slots = []
        for i in range(QUIZ_SLOTS):
            with gr.Column(visible=False, variant="panel", elem_classes=["q-slot", f"q-slot-{i + 1}"]) as box:
                prompt = gr.HTML(padding=False)
                radio = gr.Radio([], label=f"第 {i + 1} 题的选项", show_label=False, container=False,
                                 elem_classes="q-choices")
                text = gr.Textbox(label=f"第 {i + 1} 题的答案", show_label=False, container=False, max_length=50,
                                  placeholder="填写数值和单位，如 1500万亩", elem_classes="q-fill")
                feedback = gr.HTML(padding=False)
            slots.append((box, prompt, radio, text, feedback))
        submit = gr.Button("提交答案", variant="primary", visible=False, elem_id="quiz-submit")

        radios, texts = [s[2] for s in slots], [s[3] for s in slots]
        generate.click(make_quiz, [chapter, kinds, n, difficulty, paper],
                       [state, status, export, files, submit, score, *[c for s in slots for c in s]],
                       api_visibility="private").then(lambda: gr.update(visible=False), None, answered,
                                                      api_visibility="private")
        history_box, history = papers.build_history()
        submit.click(submit_answers, [state, *radios, *texts], [score, answered, *[s[4] for s in slots]],
                     api_visibility="private", js="(...args) => { document.querySelector('#quiz-score')"
                     "?.scrollIntoView({block: 'start'}); return args; }").then(
            papers.my_results, None, history, api_visibility="private")
    return assign_box, history_box
