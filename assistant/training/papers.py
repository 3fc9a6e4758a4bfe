"""Assigned papers: made from the quiz options under a fresh 试卷编号, stored with their questions,
opened by that number, and each submission graded against the paper as it was made.

    paper = assign_paper(records, doc, "wang", chapter="四", kinds=["choice"], n=10, due="2026-03-31")
    paper.id                                     # 483920: the number to hand out
    open_paper(records, 483920)                  # the same Paper; None for a number nobody assigned
    sub = submit_paper(records, paper, "alice", ["B", "", "1500万亩"], seconds=312.0)
    sub.score, sub.total, sub.attempt, sub.late  # (2, 3, 1, False)

The questions come from a seed of their own, kept with the paper and never shown: with the number
as the seed, `plan-assistant quiz --seed 483920` (or /api/quiz) would print the paper with its key.

A submission after the due time is accepted and marked late (逾期) rather than refused: refusing
would lose the trainee's answers, and the trainer sees the mark beside the score. A trainee submits
a paper once, or twice when the trainer allowed a second submission.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, time

from ..documents.parse import Document
from ..quiz import MAX_PAPER, Question, generate_quiz, grade
from ..records import Records, add_paper, add_submission, get_paper

RIGHT, WRONG, BLANK = "right", "wrong", "blank"
MAX_TITLE = 40
MAX_ATTEMPTS = 5
TRIES = 20  # fresh numbers tried before giving up (a million numbers: a clash is already rare)
MAX_SEED = 2**31 - 1


class TrainingError(ValueError):
    """An assigned paper cannot be made or submitted as asked; the message (Chinese) says why."""


@dataclass(frozen=True)
class Paper:
    id: int
    creator: str
    title: str
    created: str
    due: str | None  # ISO time with offset
    attempts: int
    options: dict
    questions: list[Question]

    @classmethod
    def of(cls, row: dict) -> Paper:
        return cls(row["id"], row["creator"], row["title"], row["created"], row["due"], row["attempts"],
                   row["options"], [Question(**q) for q in row["questions"]])

    def is_late(self, when: datetime) -> bool:
        return self.due is not None and when > datetime.fromisoformat(self.due)

    @property
    def due_text(self) -> str:
        """'2026-03-31 23:59' (local time as written), '' without a due time."""
        return self.due[:16].replace("T", " ") if self.due else ""


@dataclass(frozen=True)
class Submission:
    paper_id: int
    trainee: str
    attempt: int
    answers: list[str]
    results: list[str]
    seconds: float | None
    late: bool

    @property
    def score(self) -> int:
        return self.results.count(RIGHT)

    @property
    def total(self) -> int:
        return len(self.results)


def parse_due(text: str | None, now: datetime) -> str | None:
    """The due time typed by a trainer as stored: a day means its end, local time.

    >>> now = datetime(2026, 3, 1, 9, 0).astimezone()
    >>> parse_due("2026-03-31", now)[:19], parse_due("2026-03-31 18:00", now)[:19], parse_due(" ", now)
    ('2026-03-31T23:59:59', '2026-03-31T18:00:00', None)
    """
    text = " ".join(str(text or "").split())
    if not text:
        return None
    try:
        if len(text) <= 10:
            when = datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(23, 59, 59))
        else:
            when = datetime.fromisoformat(text)
    except ValueError:
        raise TrainingError(f"截止时间应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM（如 2026-03-31 18:00），而不是“{text[:20]}”") from None
    when = when.astimezone() if when.tzinfo is None else when
    if when <= now:
        raise TrainingError(f"截止时间 {when:%Y-%m-%d %H:%M} 已过：请填写以后的时间，或留空不设截止")
    return when.isoformat(timespec="seconds")


def title_of(text: str | None, chapter: str | None, n: int) -> str:
    """The title as typed (one line, at most MAX_TITLE characters), else one from the options."""
    text = " ".join(str(text or "").split())
    if text:
        return text[:MAX_TITLE]
    return f"计划知识测验（{f'[{chapter}]' if chapter else '全部章节'}，{n}题）"


def assign_paper(records: Records, doc: Document, creator: str, *, chapter: str | None = None, kinds=None,
                 difficulty: int | None = None, n: int = 10, title: str | None = None, due: str | None = None,
                 attempts: int = 1, rng: random.Random | None = None) -> Paper:
    """A new paper under a number no paper has, its questions made from a fresh secret seed (kept in
    its options). QuizError or UnknownRef for options that make no quiz; TrainingError for a bad due
    time or attempts, or records that are off."""
    if not records.enabled:
        raise TrainingError("记录已关闭（--no-log 或 PLAN_ASSISTANT_LOG=off）：布置的试卷与成绩无处保存")
    if not 1 <= int(attempts) <= MAX_ATTEMPTS:
        raise TrainingError(f"允许提交的次数须在 1 到 {MAX_ATTEMPTS} 之间")
    due_at = parse_due(due, records.clock().astimezone())
    rng = rng or secrets.SystemRandom()
    for _ in range(TRIES):
        number = rng.randrange(1, MAX_PAPER + 1)
        if get_paper(records, number) is not None:
            continue
        seed = rng.randrange(1, MAX_SEED + 1)
        quiz = generate_quiz(doc, n, chapter, kinds, seed, difficulty)
        options = {"chapter": chapter, "kinds": list(kinds or []), "difficulty": difficulty, "n": n, "seed": seed}
        named = title_of(title, chapter, len(quiz.questions))
        questions = [asdict(q) for q in quiz.questions]
        if add_paper(records, number, creator=creator, title=named, options=options, questions=questions,
                     due=due_at, attempts=int(attempts)):
            return open_paper(records, number)
    raise TrainingError("暂时没有可用的试卷编号，请稍后再试")


def open_paper(records: Records, number: int) -> Paper | None:
    row = get_paper(records, number)
    return Paper.of(row) if row else None


def results_of(questions: list[Question], responses: list[str]) -> list[str]:
    """right, wrong or blank for each question (a missing response is blank)."""
    out = []
    for i, q in enumerate(questions):
        response = str(responses[i] if i < len(responses) and responses[i] is not None else "").strip()
        out.append(BLANK if not response else RIGHT if grade(q, response) else WRONG)
    return out


def submit_paper(records: Records, paper: Paper, trainee: str, responses: list[str],
                 seconds: float | None = None) -> Submission:
    """Grade `responses` against the paper and store them as `trainee`'s next attempt; TrainingError
    when the trainee has submitted as often as the paper allows."""
    answers = [str(r or "").strip() for r in list(responses)[: len(paper.questions)]]
    answers += [""] * (len(paper.questions) - len(answers))
    results = results_of(paper.questions, answers)
    late = paper.is_late(records.clock().astimezone())
    attempt = add_submission(records, paper.id, trainee, answers=answers, results=results, seconds=seconds, late=late)
    if attempt is None:
        limit = "本卷只能提交一次" if paper.attempts == 1 else f"本卷最多提交 {paper.attempts} 次"
        raise TrainingError(f"你已提交过试卷 {paper.id}，{limit}；成绩以已提交的为准")
    return Submission(paper.id, trainee, attempt, answers, results, seconds, late)
