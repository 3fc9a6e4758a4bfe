"""A quiz and its questions, and how they print: JSON, Markdown (with or without the key), CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

KINDS = ("fill", "choice", "truefalse", "where")
KINDS_BY_DIFFICULTY = {1: ("truefalse", "where"), 2: ("choice",), 3: ("fill",)}
KIND_LABELS = {"fill": "填空", "choice": "单选", "truefalse": "判断", "where": "出处"}
MAX_QUESTIONS = 200
MAX_PAPER = 999_999  # the largest 试卷编号 (a paper's number is its seed)
BLANK = "____"
TRUE, FALSE = "对", "错"
LETTERS = "ABCDEFGH"


class QuizError(ValueError):
    """Options that cannot make a quiz (n out of range, unknown kind, nothing left to ask)."""


@dataclass
class Question:
    id: str
    kind: str
    prompt: str
    choices: list[str]
    answer: str
    ref: str
    explanation: str

    @property
    def difficulty(self) -> int:
        return next(d for d, kinds in KINDS_BY_DIFFICULTY.items() if self.kind in kinds)

    @property
    def keyed_answer(self) -> str:
        """The answer as an answer key prints it: "B. 1500万亩" for a choice, "1500万亩" for a fill-in."""
        lettered = self.kind in ("choice", "where")
        return f"{LETTERS[self.choices.index(self.answer)]}. {self.answer}" if lettered else self.answer


@dataclass
class Quiz:
    questions: list[Question]
    seed: int

    def to_json(self) -> dict:
        """A JSON-ready dict: {"questions": [{id, kind, prompt, choices, answer, ref, explanation}]}."""
        return {"questions": [asdict(q) for q in self.questions]}

    def to_markdown(self, with_answers: bool = False) -> str:
        lines = [f"# 计划知识测验（{len(self.questions)}题）", ""]
        for i, q in enumerate(self.questions, 1):
            lines.append(f"{i}. 【{KIND_LABELS[q.kind]}】{q.prompt}")
            lines += [f"   - {LETTERS[j]}. {c}" for j, c in enumerate(q.choices) if q.kind != "truefalse"]
        if with_answers:
            lines += ["", "## 答案", ""]
            lines += [
                f"{i}. {q.keyed_answer}（{q.ref}）  {q.explanation}" for i, q in enumerate(self.questions, 1)
            ]
        return "\n".join(lines) + "\n"

    def to_csv(self, with_answers: bool = True) -> str:
        fields = ["id", "kind", "prompt", "choices", "answer", "ref", "explanation"][
            : 7 if with_answers else 4
        ]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(fields)
        for q in self.questions:
            row = asdict(q) | {
                "choices": " | ".join(f"{LETTERS[j]}. {c}" for j, c in enumerate(q.choices)),
                "answer": q.keyed_answer,
            }
            writer.writerow([row[f] for f in fields])
        return buf.getvalue()
