"""How the 测验 tab shows a paper and its grading: the choices as lettered on the page, each
question's verdict with the right answer and the explanation, the score line, and the CSV and
Markdown of a paper, its key and a trainee's answered paper. Pure functions (no Gradio), shared by
practice papers (quiz) and assigned ones (papers)."""

from __future__ import annotations

from ..quiz import KIND_LABELS, QuizError
from .html import esc

QUIZ_LETTERS = "ABCDEFGH"
QUIZ_SLOTS = 20  # the most questions one quiz shows: Gradio needs its components up front
DIFFICULTIES = [("不限", 0), ("1 · 判断、出处", 1), ("2 · 单选", 2), ("3 · 填空", 3)]
KIND_OF = {label: kind for kind, label in KIND_LABELS.items()}  # the page's kind choices are their labels
VERDICTS = {"right": "正确", "wrong": "错误", "blank": "未作答"}


def options_of(chapter, kinds, n, difficulty) -> tuple[str | None, list[str] | None, int, int | None]:
    """The page's quiz options as generate_quiz takes them: (chapter, kinds, n, difficulty); a
    QuizError for what the page cannot have meant.

    >>> options_of("", ["单选", "填空"], "8", 0)
    (None, ['choice', 'fill'], 8, None)
    """
    try:
        n = int(n)
        difficulty = int(difficulty or 0) or None
    except (TypeError, ValueError):
        raise QuizError("题目数和难度须为整数") from None
    if not 1 <= n <= QUIZ_SLOTS:
        raise QuizError(f"题目数须在 1 到 {QUIZ_SLOTS} 之间")
    return chapter or None, [KIND_OF.get(k, k) for k in kinds or []] or None, n, difficulty


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
