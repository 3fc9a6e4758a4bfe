"""Assigned quiz papers for trainers: a trainer makes a paper from the quiz options and hands out its
试卷编号; a trainee opens it by that number and submits; the trainer reads the results per paper and
per trainee.

    paper = assign_paper(records, doc, "wang", chapter="四", n=10, due="2026-03-31")   # paper.id: 483920
    sub = submit_paper(records, open_paper(records, 483920), "alice", responses, seconds=312.0)
    most_missed(doc, paper, list_submissions(records, paper_ids=[paper.id]))

Modules: `papers` (assign, open, grade and store a submission), `report` (the 学员成绩 figures),
`export` (CSV and XLSX with Chinese headers). The rows live in the records (`records.papers`).
"""

from .export import paper_csv, paper_xlsx
from .papers import (
    Paper,
    Submission,
    TrainingError,
    assign_paper,
    open_paper,
    parse_due,
    results_of,
    submit_paper,
)
from .report import (
    chapter_accuracy,
    chapter_label,
    first_attempts,
    most_missed,
    paper_summary,
    submission_rows,
)

__all__ = [
    "Paper", "Submission", "TrainingError", "assign_paper", "chapter_accuracy", "chapter_label", "first_attempts",
    "most_missed", "open_paper", "paper_csv", "paper_summary", "paper_xlsx", "parse_due", "results_of",
    "submission_rows", "submit_paper",
]
