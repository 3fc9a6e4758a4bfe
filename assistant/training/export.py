"""A paper's results written out with Chinese headers: CSV (one row per submission, a column per
question) and XLSX (sheets 提交情况, 易错题, 按章节正确率, the figures the 学员成绩 view shows).

    paper_xlsx(doc, paper, subs)   # -> bytes of a workbook; paper_csv(...) -> text (write it utf-8-sig)
"""

from __future__ import annotations

import csv
import io

from ..documents.parse import Document
from ..records.export import neutral
from .papers import BLANK, RIGHT, Paper
from .report import chapter_accuracy, most_missed, submission_rows

RESULT_LABELS = {RIGHT: "对", BLANK: "未答"}  # anything else: 错
SUBMISSION_HEADERS = ["试卷编号", "试卷标题", "学员", "第几次提交", "提交时间", "得分", "题数", "正确率", "用时（秒）", "逾期"]
MISSED_HEADERS = ["题号", "题目", "正确答案", "答错人数", "未答人数", "作答人数", "出处", "出处标题", "原文"]
CHAPTER_HEADERS = ["学员", "章节", "答对", "题数", "正确率"]


def percent(x: float | None) -> str:
    """
    >>> percent(2 / 3), percent(None)
    ('66.7%', '')
    """
    return "" if x is None else f"{100 * x:.1f}%".replace(".0%", "%")


def submission_cells(row: dict) -> list:
    return [row["paper"], row["title"], row["trainee"], row["attempt"], row["time"], row["score"], row["total"],
            row["rate"], row["seconds"], "是" if row["late"] else "否"]


def question_headers(paper: Paper) -> list[str]:
    return [f"第{i}题" for i in range(1, len(paper.questions) + 1)]


def paper_csv(doc: Document, paper: Paper, subs: list[dict]) -> str:
    """Every submission of the paper, its per-question results as 对 / 错 / 未答."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(SUBMISSION_HEADERS + question_headers(paper))
    for row in submission_rows({paper.id: paper}, subs):
        cells = submission_cells(row)
        cells[7] = percent(row["rate"])
        w.writerow(cells + [RESULT_LABELS.get(r, "错") for r in row["results"]])
    return out.getvalue()


def paper_xlsx(doc: Document, paper: Paper, subs: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "提交情况"
    sheet.append(SUBMISSION_HEADERS + question_headers(paper))
    for row in submission_rows({paper.id: paper}, subs):
        sheet.append([neutral(c) for c in submission_cells(row)] + [RESULT_LABELS.get(r, "错") for r in row["results"]])
    _percent_column(sheet, "H")
    _widths(sheet, (10, 24, 12, 10, 17, 6, 6, 8, 10, 6))

    missed = wb.create_sheet("易错题")
    missed.append(MISSED_HEADERS)
    for m in most_missed(doc, paper, subs, limit=None):
        missed.append([neutral(c) for c in (m["number"], m["prompt"], m["answer"], m["wrong"], m["blank"], m["taken"],
                                            m["ref"], m["title"], m["text"])])
    _widths(missed, (6, 50, 16, 9, 9, 9, 18, 24, 80))

    chapters = wb.create_sheet("按章节正确率")
    chapters.append(CHAPTER_HEADERS)
    for c in chapter_accuracy(doc, {paper.id: paper}, subs):
        chapters.append([neutral(c["trainee"]), c["label"], c["right"], c["total"], c["rate"]])
    _percent_column(chapters, "E")
    _widths(chapters, (12, 50, 6, 6, 8))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _percent_column(sheet, letter: str) -> None:
    for cell in sheet[letter][1:]:
        cell.number_format = "0.0%"


def _widths(sheet, widths) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
