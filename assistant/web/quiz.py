"""测验: quizzes generated from the plan, a new paper on each press (its 试卷编号 regenerates it),
graded with explanations and the score on top, exported as Markdown and CSV (the paper, its key,
and a trainee's answered paper with the score)."""

from __future__ import annotations

import secrets
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
    elif not given:
        verdict = f'<div class="q-verdict skip">○ 未作答　正确答案：<b>{esc(question.keyed_answer)}</b></div>'
    else:
        verdict = (f'<div class="q-verdict bad">✗ 回答错误　你的答案：{esc(given)}；正确答案：'
                   f'<b>{esc(question.keyed_answer)}</b></div>')
    return (f'<div class="q-feedback">{verdict}<div class="q-expl">解析：{esc(question.explanation)}</div>'
            f'<div class="q-ref muted">出处：{esc(source)}</div></div>')


def quiz_score_html(right: int, total: int, unanswered: int = 0, paper: str = "") -> str:
    pct = round(100 * right / total) if total else 0
    skipped = f"，未作答 {unanswered} 题" if unanswered else ""
    number = f"试卷编号 {esc(paper)}　" if paper else ""
    return (f'<div class="q-score">{number}得分：<b>{right}</b> / {total}（{pct}%）{skipped}'
            f'<span class="muted">　每题下方显示对错、正确答案与原文出处。</span></div>')


CSV_HEADERS = {"id": "题号", "kind": "题型", "prompt": "题目", "choices": "选项", "answer": "答案", "ref": "出处",
               "explanation": "解析"}


def quiz_csv(quiz, with_answers: bool) -> str:
    """The paper (or its key) as CSV with the Chinese headers of the screen."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    fields = list(CSV_HEADERS)[: 7 if with_answers else 4]
    writer.writerow([CSV_HEADERS[f] for f in fields])
    for q in quiz.questions:
        row = {"id": q.id, "kind": KIND_LABELS[q.kind], "prompt": q.prompt,
               "choices": " | ".join(c for c, _ in quiz_choices(q)) if q.kind != "fill" else "",
               "answer": q.keyed_answer, "ref": q.ref, "explanation": q.explanation}
        writer.writerow([row[f] for f in fields])
    return buf.getvalue()


def shown_answer(question, response: str) -> str:
    given = str(response or "").strip()
    if given in question.choices and question.kind != "truefalse":
        return f"{QUIZ_LETTERS[question.choices.index(given)]}. {given}"
    return given


def answered_paper(questions, responses, verdicts, paper: str, name: str = "") -> tuple[str, str]:
    """A trainee's paper with their answers, each right/wrong/unanswered, the key and the score:
    (Markdown, CSV)."""
    import csv
    import io

    right = sum(v == "正确" for v in verdicts)
    total = len(questions)
    head = f"# 计划知识测验答卷（试卷编号 {paper}）" if paper else "# 计划知识测验答卷"
    lines = [head, "", f"得分：{right} / {total}（{round(100 * right / total) if total else 0}%）", ""]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["题号", "题型", "题目", "作答", "结果", "正确答案", "出处"])
    for i, (q, r, v) in enumerate(zip(questions, responses, verdicts, strict=True), 1):
        mine = shown_answer(q, r) or "（未作答）"
        lines.append(f"{i}. 【{KIND_LABELS[q.kind]}】{q.prompt}")
        lines += [f"   - {label}" for label, _ in quiz_choices(q) if q.kind in ("choice", "where")]
        lines += [f"   作答：{mine}　结果：{v}　正确答案：{q.keyed_answer}（{q.ref}）", ""]
        writer.writerow([q.id, KIND_LABELS[q.kind], q.prompt, shown_answer(q, r), v, q.keyed_answer, q.ref])
    writer.writerow([])
    writer.writerow(["得分", f"{right} / {total}"])
    return "\n".join(lines), buf.getvalue()


# ---- callbacks and the tab ---------------------------------------------------------------------

QUIZ_SLOTS = 20  # the most questions one quiz shows: Gradio needs its components up front
DEFAULT_SEED = 7  # what the command line uses when no seed is given
DIFFICULTIES = [("不限", 0), ("1 · 判断、出处", 1), ("2 · 单选", 2), ("3 · 填空", 3)]
SLOT_OUTPUTS = 5  # per slot: box, prompt, radio, textbox, feedback
MAX_PAPER = 999_999


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


def make_quiz(chapter: str | None, kinds: list[str] | None, n, difficulty, paper=None):
    """Generate a quiz: the paper `paper` (its 试卷编号), or a new one when it is empty. Returns
    [quiz state, status line, export box, export files, submit button, score] followed by
    SLOT_OUTPUTS updates per question slot (box, prompt, radio, textbox, feedback)."""
    try:
        n = int(n)
        difficulty = int(difficulty or 0) or None
    except (TypeError, ValueError) as e:
        raise gr.Error("题目数和难度须为整数") from e
    seed = paper_number(paper)
    if not 1 <= n <= QUIZ_SLOTS:
        raise gr.Error(f"题目数须在 1 到 {QUIZ_SLOTS} 之间")
    try:
        quiz = generate_quiz(DOC, n, chapter or None, list(kinds or []) or None, seed, difficulty)
    except (QuizError, UnknownRef) as e:
        raise gr.Error(str(e)) from e
    questions = quiz.questions
    status = f"试卷编号 **{quiz.seed}**：共 **{len(questions)}** 题"
    if len(questions) < n:
        status += f"（所选范围内只能出 {len(questions)} 题）"
    status += "。作答后点“提交答案”查看得分与解析；在“试卷编号”中输入此编号可重出同一份试卷。"
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
    values. Returns [score, answered paper files] + one feedback per slot."""
    if not state or not state.get("questions"):
        gr.Warning("请先生成测验")
        return [gr.skip()] * (2 + QUIZ_SLOTS)
    questions = [Question(**q) for q in state["questions"]][:QUIZ_SLOTS]
    radios, texts = values[:QUIZ_SLOTS], values[QUIZ_SLOTS:2 * QUIZ_SLOTS]
    right, feedback, responses, verdicts = 0, [], [], []
    for i, q in enumerate(questions):
        response = str((texts[i] if q.kind == "fill" else radios[i]) or "").strip()
        ok = bool(response) and grade(q, response)
        right += ok
        responses.append(response)
        verdicts.append("正确" if ok else "错误" if response else "未作答")
        feedback.append(quiz_feedback_html(q, response, ok, source_label(q.ref)))
    paper = str(state.get("seed", ""))
    md, table = answered_paper(questions, responses, verdicts, paper)
    stem = f"测验答卷-试卷编号{paper}-得分{right}of{len(questions)}"

    def write(folder: Path) -> None:
        (folder / f"{stem}.md").write_text(md, encoding="utf-8")
        (folder / f"{stem}.csv").write_text(table, encoding="utf-8-sig")

    folder = export_folder("answered", [md], write)
    files = gr.update(value=[str(folder / f"{stem}.md"), str(folder / f"{stem}.csv")], visible=True)
    score = quiz_score_html(right, len(questions), verdicts.count("未作答"), paper)
    return [score, files, *feedback, *[""] * (QUIZ_SLOTS - len(questions))]


def build_tab() -> None:
    with gr.Tab("测验", id="quiz"):
        state = gr.State(None)
        with gr.Row(equal_height=True):
            chapter = gr.Dropdown(chapter_choices(DOC), value="", label="出题范围", scale=3, elem_id="quiz-chapter")
            kinds = gr.CheckboxGroup([(KIND_LABELS[k], k) for k in KINDS], value=[], label="题型（不选为全部）",
                                     scale=4, elem_id="quiz-kinds")
            difficulty = gr.Dropdown(DIFFICULTIES, value=0, label="难度", scale=2, elem_id="quiz-difficulty")
            n = gr.Slider(1, QUIZ_SLOTS, value=10, step=1, label="题目数", scale=2, elem_id="quiz-n")
            paper = gr.Textbox(label="试卷编号（留空出新卷）", placeholder="如 123456", max_lines=1, scale=1,
                               min_width=140, elem_id="quiz-paper")
        with gr.Row(equal_height=True):
            generate = gr.Button("生成测验", variant="primary", scale=0, min_width=160, elem_id="quiz-generate")
            status = gr.Markdown("选择范围、题型和难度后点“生成测验”：每次生成一份新试卷。", elem_id="quiz-status")
        score = gr.HTML(elem_id="quiz-score")
        answered = gr.File(label="下载本人答卷（含作答、对错与得分）", file_count="multiple", interactive=False,
                           visible=False, elem_id="quiz-answered")
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

        radios, texts = [s[2] for s in slots], [s[3] for s in slots]
        generate.click(make_quiz, [chapter, kinds, n, difficulty, paper],
                       [state, status, export, files, submit, score, *[c for s in slots for c in s]],
                       api_visibility="private").then(lambda: gr.update(visible=False), None, answered,
                                                      api_visibility="private")
        submit.click(submit_quiz, [state, *radios, *texts], [score, answered, *[s[4] for s in slots]],
                     api_visibility="private", js="(...args) => { document.querySelector('#quiz-score')"
                     "?.scrollIntoView({block: 'start'}); return args; }")
