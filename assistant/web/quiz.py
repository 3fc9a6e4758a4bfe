"""测验: quizzes generated from the plan, graded with explanations, exported as Markdown and CSV."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..quiz import KIND_LABELS, KINDS, Question, QuizError, generate_quiz, grade
from ..refs import UnknownRef
from .html import chapter_choices, esc, ref_label
from .state import DOC, export_folder

QUIZ_LETTERS = "ABCDEFGH"


def quiz_choices(question) -> list[tuple[str, str]]:
    """Radio choices: ("B. 1500万亩", "1500万亩"), lettered as the answer key letters them; 对/错 as is."""
    if question.kind == "truefalse":
        return [(c, c) for c in question.choices]
    return [(f"{QUIZ_LETTERS[i]}. {c}", c) for i, c in enumerate(question.choices)]


def quiz_prompt_html(number: int, question, kind_label: str) -> str:
    return (f'<div class="q-prompt"><span class="q-num">{number}.</span> '
            f'<span class="q-kind">{esc(kind_label)}</span> {esc(question.prompt)}</div>')


def quiz_feedback_html(question, response, ok: bool, source: str) -> str:
    """Right or wrong, the right answer, the explanation (it quotes the plan) and where it is."""
    given = str(response or "").strip()
    if given in question.choices and question.kind != "truefalse":
        given = f"{QUIZ_LETTERS[question.choices.index(given)]}. {given}"  # as the choice was shown
    if ok:
        verdict = '<div class="q-verdict ok">✓ 回答正确</div>'
    else:
        yours = f"你的答案：{esc(given)}；" if given else "未作答；"
        verdict = (f'<div class="q-verdict bad">✗ 回答错误　{yours}正确答案：'
                   f'<b>{esc(question.keyed_answer)}</b></div>')
    return (f'<div class="q-feedback">{verdict}<div class="q-expl">解析：{esc(question.explanation)}</div>'
            f'<div class="q-ref muted">出处：{esc(source)}</div></div>')


def quiz_score_html(right: int, total: int) -> str:
    pct = round(100 * right / total) if total else 0
    return (f'<div class="q-score">得分：<b>{right}</b> / {total}（{pct}%）'
            f'<span class="muted">　每题下方显示对错、正确答案与原文出处。</span></div>')


# ---- callbacks and the tab ---------------------------------------------------------------------

QUIZ_SLOTS = 20  # the most questions one quiz shows: Gradio needs its components up front
DEFAULT_SEED = 7
DIFFICULTIES = [("不限", 0), ("1 · 判断、出处", 1), ("2 · 单选", 2), ("3 · 填空", 3)]
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
             "测验试题.csv": (quiz.to_csv(with_answers=False), "utf-8-sig"),
             "测验试题与答案.csv": (quiz.to_csv(with_answers=True), "utf-8-sig")}

    def write(folder: Path) -> None:
        for name, (text, encoding) in files.items():
            (folder / name).write_text(text, encoding=encoding)

    folder = export_folder("quiz", quiz.to_json(), write)
    return [str(folder / name) for name in files]


def make_quiz(chapter: str | None, kinds: list[str] | None, n, difficulty, seed):
    """Generate a quiz. Returns [quiz state, status line, export box, export files, submit button, score]
    followed by SLOT_OUTPUTS updates per question slot (box, prompt, radio, textbox, feedback)."""
    try:
        n = int(n)
        seed = DEFAULT_SEED if seed is None or seed == "" else int(seed)
        difficulty = int(difficulty or 0) or None
    except (TypeError, ValueError) as e:
        raise gr.Error("题目数、难度和随机种子须为整数") from e
    if not 1 <= n <= QUIZ_SLOTS:
        raise gr.Error(f"题目数须在 1 到 {QUIZ_SLOTS} 之间")
    try:
        quiz = generate_quiz(DOC, n, chapter or None, list(kinds or []) or None, seed, difficulty)
    except (QuizError, UnknownRef) as e:
        raise gr.Error(str(e)) from e
    questions = quiz.questions
    status = f"共 **{len(questions)}** 题（随机种子 {quiz.seed}）"
    if len(questions) < n:
        status += f"：所选范围内只能出 {len(questions)} 题"
    status += "。作答后点“提交答案”查看得分与解析。"
    slots = []
    for i in range(QUIZ_SLOTS):
        if i < len(questions):
            q = questions[i]
            slots += [gr.update(visible=True), quiz_prompt_html(i + 1, q, f"【{KIND_LABELS[q.kind]}】"),
                      gr.update(choices=quiz_choices(q), value=None, visible=q.kind != "fill"),
                      gr.update(value="", visible=q.kind == "fill"), ""]
        else:
            slots += [gr.update(visible=False), "", gr.update(choices=[], value=None), gr.update(value=""), ""]
    state = quiz.to_json() | {"seed": quiz.seed}
    return [state, status, gr.update(visible=True), quiz_files(quiz), gr.update(visible=True), "", *slots]


def submit_quiz(state: dict | None, *values):
    """Grade the answers: `values` are the QUIZ_SLOTS radio values, then the QUIZ_SLOTS textbox
    values. Returns [score] + one feedback per slot."""
    if not state or not state.get("questions"):
        gr.Warning("请先生成测验")
        return [gr.skip()] * (1 + QUIZ_SLOTS)
    questions = [Question(**q) for q in state["questions"]][:QUIZ_SLOTS]
    radios, texts = values[:QUIZ_SLOTS], values[QUIZ_SLOTS:]
    right, feedback = 0, []
    for i, q in enumerate(questions):
        response = str((texts[i] if q.kind == "fill" else radios[i]) or "").strip()
        ok = bool(response) and grade(q, response)
        right += ok
        feedback.append(quiz_feedback_html(q, response, ok, source_label(q.ref)))
    return [quiz_score_html(right, len(questions)), *feedback, *[""] * (QUIZ_SLOTS - len(questions))]


def build_tab() -> None:
    with gr.Tab("测验", id="quiz"):
        state = gr.State(None)
        with gr.Row(equal_height=True):
            chapter = gr.Dropdown(chapter_choices(DOC), value="", label="出题范围", scale=3, elem_id="quiz-chapter")
            kinds = gr.CheckboxGroup([(KIND_LABELS[k], k) for k in KINDS], value=[], label="题型（不选为全部）",
                                     scale=4, elem_id="quiz-kinds")
            difficulty = gr.Dropdown(DIFFICULTIES, value=0, label="难度", scale=2, elem_id="quiz-difficulty")
            n = gr.Slider(1, QUIZ_SLOTS, value=10, step=1, label="题目数", scale=2, elem_id="quiz-n")
            seed = gr.Number(DEFAULT_SEED, precision=0, minimum=0, label="随机种子", scale=1,
                             elem_id="quiz-seed")
        with gr.Row(equal_height=True):
            generate = gr.Button("生成测验", variant="primary", scale=0, min_width=160, elem_id="quiz-generate")
            status = gr.Markdown("选择范围、题型和难度后点“生成测验”。", elem_id="quiz-status")
        with gr.Accordion("导出试题与答案（Markdown、CSV）", open=False, visible=False, elem_id="quiz-export") as export:
            files = gr.File(show_label=False, file_count="multiple", interactive=False, elem_id="quiz-files")
        slots = []
        for i in range(QUIZ_SLOTS):
            with gr.Column(visible=False, variant="panel", elem_classes=["q-slot", f"q-slot-{i + 1}"]) as box:
                prompt = gr.HTML(padding=False)
                radio = gr.Radio([], show_label=False, container=False, elem_classes="q-choices")
                text = gr.Textbox(show_label=False, container=False, max_length=50,
                                  placeholder="填写数值和单位，如 1500万亩", elem_classes="q-fill")
                feedback = gr.HTML(padding=False)
            slots.append((box, prompt, radio, text, feedback))
        submit = gr.Button("提交答案", variant="primary", visible=False, elem_id="quiz-submit")
        score = gr.HTML(elem_id="quiz-score")

        radios, texts = [s[2] for s in slots], [s[3] for s in slots]
        generate.click(make_quiz, [chapter, kinds, n, difficulty, seed],
                       [state, status, export, files, submit, score, *[c for s in slots for c in s]],
                       api_visibility="private")
        submit.click(submit_quiz, [state, *radios, *texts], [score, *[s[4] for s in slots]],
                     api_visibility="private")
