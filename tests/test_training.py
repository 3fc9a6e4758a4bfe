"""Assigned quiz papers (assistant.training) on the real plan and real records (a SQLite file and a
PostgreSQL database): a trainer's paper under a fresh number, trainees' submissions graded against
the paper as made, once or twice, late after the due time; the 学员成绩 figures and exports."""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime

import pytest
from fixed_clock import Clock
from openpyxl import load_workbook

from assistant.documents.refs import UnknownRef
from assistant.quiz import LETTERS, QuizError, generate_quiz
from assistant.records import Records, add_paper, list_submissions
from assistant.training import (
    TrainingError,
    assign_paper,
    chapter_accuracy,
    first_attempts,
    most_missed,
    open_paper,
    paper_csv,
    paper_summary,
    paper_xlsx,
    parse_due,
    submission_rows,
    submit_paper,
)

MARCH_1 = datetime(2026, 3, 1, 9, 0).astimezone()


@pytest.fixture
def records(records_url):
    return Records(records_url, clock=Clock(MARCH_1))


def wrong_answer(q) -> str:
    if q.kind == "fill":
        return "不知道"  # no figure: never graded right ("1" is, where the answer is 1亿亩)
    return next(c for c in q.choices if c != q.answer)


def lettered(q, choice: str) -> str:
    """A choice as a trainee may type it: its letter (B), as the paper shows it."""
    return LETTERS[q.choices.index(choice)] if q.kind in ("choice", "where") else choice


def test_a_paper_gets_a_fresh_number_and_opens_as_it_was_made(records, doc):
    first = random.Random(11).randrange(1, 1_000_000)
    assert add_paper(records, first, creator="li", title="已有", options={}, questions=[])  # that number is taken
    paper = assign_paper(records, doc, "wang", chapter="四", kinds=["choice", "fill"], n=6, due="2026-03-31",
                         rng=random.Random(11))
    assert paper.id != first and 1 <= paper.id <= 999_999
    # the questions come from the paper's own seed, not from the number handed out: the number
    # typed into `plan-assistant quiz --seed` with the same options gives another paper (no key leaks)
    made = generate_quiz(doc, 6, "四", ["choice", "fill"], paper.options["seed"])
    assert [q.prompt for q in paper.questions] == [q.prompt for q in made.questions]
    by_number = generate_quiz(doc, 6, "四", ["choice", "fill"], paper.id)
    assert {q.prompt for q in paper.questions} != {q.prompt for q in by_number.questions}
    again = open_paper(records, paper.id)
    assert again == paper and again.creator == "wang" and again.attempts == 1
    assert again.title == "计划知识测验（[四]，6题）" and again.due.startswith("2026-03-31T23:59:59")
    assert again.due_text == "2026-03-31 23:59" and again.options["chapter"] == "四"
    assert again.options["seed"] != paper.id
    assert all(q.ref.startswith(("四", "专栏2")) for q in again.questions)
    assert open_paper(records, 424242) is None

    titled = assign_paper(records, doc, "wang", n=3, title="  第一期  新员工\n测验 ", attempts=2)
    assert (titled.title, titled.attempts, titled.due, len(titled.questions)) == ("第一期 新员工 测验", 2, None, 3)


def test_bad_options_and_due_times_are_messages(records, doc, tmp_path):
    assert parse_due("2026-03-31 18:00", MARCH_1).startswith("2026-03-31T18:00:00")
    assert parse_due("", MARCH_1) is None
    for typed, words in (("3月31日", "截止时间应为 YYYY-MM-DD"), ("2026-02-28", "截止时间 2026-02-28 23:59 已过"),
                         ("2026-13-01", "而不是“2026-13-01”")):
        with pytest.raises(TrainingError, match=words):
            assign_paper(records, doc, "wang", n=3, due=typed)
    with pytest.raises(TrainingError, match="1 到 5"):
        assign_paper(records, doc, "wang", n=3, attempts=0)
    with pytest.raises(QuizError, match="没有可出的"):
        assign_paper(records, doc, "wang", chapter="总体要求", kinds=["fill"], n=3)
    with pytest.raises(UnknownRef):
        assign_paper(records, doc, "wang", chapter="二十", n=3)
    with pytest.raises(TrainingError, match="记录已关闭"):
        assign_paper(Records(None), doc, "wang", n=3)
    assert open_paper(Records(None), 1) is None
    from assistant.records import list_papers

    assert list_papers(records) == []  # none of those made a paper


def test_submissions_are_graded_against_the_paper_once_or_twice_and_late_after_the_due_time(records, doc):
    paper = assign_paper(records, doc, "wang", n=8, due="2026-03-02")
    questions = paper.questions
    perfect = submit_paper(records, paper, "alice", [lettered(q, q.answer) if q.kind != "fill" else q.answer
                                                    for q in questions], seconds=200.0)
    assert (perfect.score, perfect.total, perfect.attempt, perfect.late) == (8, 8, 1, False)
    with pytest.raises(TrainingError, match=f"你已提交过试卷 {paper.id}，本卷只能提交一次"):
        submit_paper(records, paper, "alice", [""] * 8)
    mixed = submit_paper(records, paper, "bob", [q.answer for q in questions[:3]] + [wrong_answer(q) for q in questions[3:6]])
    assert mixed.results == ["right"] * 3 + ["wrong"] * 3 + ["blank"] * 2 and mixed.answers[6:] == ["", ""]
    records.clock.when = datetime(2026, 3, 3, 8, 0).astimezone()  # after the due day
    blank = submit_paper(records, paper, "carol", [])
    assert (blank.score, blank.results, blank.late) == (0, ["blank"] * 8, True)
    stored = list_submissions(records, paper_ids=[paper.id])
    assert [(s["trainee"], s["score"], s["late"], s["seconds"]) for s in stored] == [
        ("alice", 8, False, 200.0), ("bob", 3, False, None), ("carol", 0, True, None)]

    twice = assign_paper(records, doc, "wang", n=4, attempts=2)
    assert submit_paper(records, twice, "bob", []).attempt == 1
    assert submit_paper(records, twice, "bob", [q.answer for q in twice.questions]).attempt == 2
    with pytest.raises(TrainingError, match="本卷最多提交 2 次"):
        submit_paper(records, twice, "bob", [])


def test_the_figures_count_first_submissions_and_name_the_paragraph_to_review(records, doc):
    paper = assign_paper(records, doc, "wang", n=6, attempts=2, rng=random.Random(5))
    qs = paper.questions
    submit_paper(records, paper, "alice", [q.answer for q in qs], seconds=120)
    submit_paper(records, paper, "bob", [q.answer for q in qs[:2]] + [wrong_answer(q) for q in qs[2:4]])
    submit_paper(records, paper, "carol", [])
    submit_paper(records, paper, "carol", [q.answer for q in qs])  # the second try counts in no figure
    subs = list_submissions(records, paper_ids=[paper.id])
    assert len(subs) == 4 and len(first_attempts(subs)) == 3

    rows = submission_rows({paper.id: paper}, subs)
    assert [(r["trainee"], r["attempt"], r["score"], r["rate"]) for r in rows] == [
        ("alice", 1, 6, 1.0), ("bob", 1, 2, 0.3333), ("carol", 1, 0, 0.0), ("carol", 2, 6, 1.0)]
    summary = paper_summary(paper, subs)
    assert (summary["trainees"], summary["submissions"], summary["average"], summary["highest"], summary["lowest"]) == (
        3, 4, 2.7, 6, 0)

    missed = most_missed(doc, paper, subs, limit=None)
    # questions 3 and 4: bob wrong, carol blank; 5 and 6: bob and carol blank; 1 and 2: carol blank
    assert [(m["number"], m["missed"], m["wrong"], m["blank"], m["taken"]) for m in missed] == [
        (3, 2, 1, 1, 3), (4, 2, 1, 1, 3), (5, 2, 0, 2, 3), (6, 2, 0, 2, 3), (1, 1, 0, 1, 3), (2, 1, 0, 1, 3)]
    for m in missed:
        q, node = qs[m["number"] - 1], doc.get(qs[m["number"] - 1].ref)
        assert (m["ref"], m["title"], m["prompt"]) == (q.ref, node.title, q.prompt)
        assert m["text"] == (node.text or node.full_text()) and m["quote"] and m["quote"] in q.explanation
    assert len(most_missed(doc, paper, subs)) == 5

    # by chapter: the part of each question's ref (or the ref before the parts), counted by hand
    def chapter(q):
        node = doc.get(q.ref)
        return node.part or node.ref

    expected = {}
    for trainee, right in (("alice", range(6)), ("bob", range(2)), ("carol", ())):
        for i, q in enumerate(qs):
            got, asked = expected.get((trainee, chapter(q)), (0, 0))
            expected[(trainee, chapter(q))] = (got + (i in right), asked + 1)
    accuracy = chapter_accuracy(doc, {paper.id: paper}, subs)
    assert {(a["trainee"], a["chapter"]): (a["right"], a["total"]) for a in accuracy} == expected
    assert [a["trainee"] for a in accuracy] == sorted(a["trainee"] for a in accuracy)
    part = next(a for a in accuracy if doc.get(a["chapter"]).kind == "part")
    assert part["label"] == f"{part['chapter']}、{doc.get(part['chapter']).title}"


def test_exports_have_chinese_headers_and_the_figures(records, doc):
    paper = assign_paper(records, doc, "wang", n=4, title="=第一期", rng=random.Random(9))
    qs = paper.questions
    submit_paper(records, paper, "alice", [q.answer for q in qs], seconds=61.26)
    submit_paper(records, paper, "bob", [qs[0].answer, wrong_answer(qs[1])])
    subs = list_submissions(records, paper_ids=[paper.id])

    table = list(csv.reader(io.StringIO(paper_csv(doc, paper, subs))))
    assert table[0] == ["试卷编号", "试卷标题", "学员", "第几次提交", "提交时间", "得分", "题数", "正确率", "用时（秒）", "逾期",
                        "第1题", "第2题", "第3题", "第4题"]
    assert [r[2:4] + r[5:8] + r[9:] for r in table[1:]] == [
        ["alice", "1", "4", "4", "100%", "否", "对", "对", "对", "对"],
        ["bob", "1", "1", "4", "25%", "否", "对", "错", "未答", "未答"]]
    assert table[1][8] == "61.3"

    book = load_workbook(io.BytesIO(paper_xlsx(doc, paper, subs)))
    assert book.sheetnames == ["提交情况", "易错题", "按章节正确率"]
    rows = list(book["提交情况"].values)
    assert rows[1][:8] == (paper.id, "'=第一期", "alice", 1, rows[1][4], 4, 4, 1.0)  # a title is never a formula
    assert rows[2][5:8] == (1, 4, 0.25) and rows[2][10:] == ("对", "错", "未答", "未答")
    missed = list(book["易错题"].values)
    assert missed[0] == ("题号", "题目", "正确答案", "答错人数", "未答人数", "作答人数", "出处", "出处标题", "原文")
    assert [r[0] for r in missed[1:]] == [2, 3, 4] and missed[1][3:6] == (1, 0, 2) and missed[1][6] == qs[1].ref
    chapters = list(book["按章节正确率"].values)
    assert chapters[0] == ("学员", "章节", "答对", "题数", "正确率")
    assert sum(r[3] for r in chapters[1:] if r[0] == "bob") == 4 and sum(r[2] for r in chapters[1:] if r[0] == "bob") == 1
