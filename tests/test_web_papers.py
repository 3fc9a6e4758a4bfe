"""The web app's assigned papers and 学员成绩, called as plain functions (as the page calls them) on
the real plan and real records (a SQLite file and a PostgreSQL database): a trainer assigns, trainees
open the paper by its number and submit, who sees what, and nothing without accounts."""

from __future__ import annotations

import re
import sys
import time
from datetime import datetime
from pathlib import Path

import gradio as gr
import pytest
from fixed_clock import Clock
from openpyxl import load_workbook

from assistant.accounts import Account
from assistant.records import Records, list_papers, list_submissions
from assistant.web import papers, quiz, results, state

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def records(records_url, monkeypatch):
    r = Records(records_url, clock=Clock(datetime(2026, 3, 1, 9, 0).astimezone()))
    monkeypatch.setattr(state, "RECORDS", r)
    return r


@pytest.fixture
def accounts(monkeypatch):
    roles = {"wang": "trainer", "li": "trainer", "chief": "admin", "alice": "user", "bob": "user", "carol": "user"}
    monkeypatch.setattr(state, "ACCOUNTS", {n: Account(n, "scrypt:x", r) for n, r in roles.items()})


def as_user(name: str | None) -> gr.Request:
    return gr.Request(username=name)


def assign(who="wang", chapter="", kinds=(), n=5, title="", due="", second=False) -> int:
    status = papers.assign(chapter, list(kinds), n, 0, title, due, second, as_user(who))
    return int(re.search(r"试卷编号 \*\*(\d+)\*\*", status)[1])


def values(questions: list[dict], pick) -> list:
    """(radio values, textbox values) with pick(question) in each question's widget."""
    radios, texts = [None] * quiz.QUIZ_SLOTS, [""] * quiz.QUIZ_SLOTS
    for i, q in enumerate(questions):
        (texts if q["kind"] == "fill" else radios)[i] = pick(q)
    return radios + texts


def cells(html: str, table: str) -> list[list[str]]:
    """The body rows of the table of class `table` in `html`, as cell texts."""
    body = re.search(rf'<table class="admin-table {table}">.*?<tbody>(.*?)</tbody>', html)[1]
    return [[re.sub("<.*?>", "", c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in re.findall(r"<tr>(.*?)</tr>", body)]


def wrong(q: dict) -> str:
    return "不知道" if q["kind"] == "fill" else next(c for c in q["choices"] if c != q["answer"])


def take(number: int, who: str, pick, opened_ago: float = 0.0):
    """Open paper `number` as `who` (options on the page that are not the paper's) and submit."""
    out = quiz.make_quiz("", [], 3, 0, str(number), as_user(who))
    session = out[0] | {"opened": out[0]["opened"] - opened_ago}
    return out, quiz.submit_answers(as_user(who), session, *values(session["questions"], pick))


def test_a_trainer_assigns_and_a_trainee_submits_once_graded_against_the_stored_paper(records, accounts):
    status = papers.assign("四", ["单选", "填空"], 4, 0, " 能源测验 ", "2026-03-31", False, as_user("wang"))
    number = int(re.search(r"试卷编号 \*\*(\d+)\*\*", status)[1])
    assert "已布置《能源测验》" in status and "截止 2026-03-31 23:59" in status and "只能提交一次" in status
    [stored] = list_papers(records)
    assert (stored["id"], stored["creator"], len(stored["questions"])) == (number, "wang", 4)

    out, (score, files, *feedback) = take(number, "alice", lambda q: q["answer"], opened_ago=125)
    session, shown, export, key_files, submit = out[:5]
    assert session["questions"] == stored["questions"]  # the paper as made, not the page's 3 questions
    assert f"试卷编号 **{number}**《能源测验》：共 **4** 题，由 wang 布置" in shown and "只能提交一次" in shown
    assert export["visible"] is False and key_files is None and submit["visible"] is True  # no key for a trainee
    assert "<b>4</b> / 4（100%）" in score and "已记入学员成绩：第 1 次提交，用时 2分" in score
    assert all("✓ 回答正确" in f for f in feedback[:4])
    [sub] = list_submissions(records, paper_ids=[number])
    assert (sub["trainee"], sub["score"], sub["late"]) == ("alice", 4, False) and 125 <= sub["seconds"] < 185

    # once only: a second submission is refused, stores nothing, and the page keeps the answers
    with pytest.warns(UserWarning, match=f"你已提交过试卷 {number}，本卷只能提交一次"):
        again = quiz.submit_answers(as_user("alice"), session, *values(session["questions"], wrong))
    assert all(isinstance(o, type(gr.skip())) for o in again)
    assert len(list_submissions(records, paper_ids=[number])) == 1
    reopened = quiz.make_quiz("", [], 3, 0, str(number), as_user("alice"))
    assert "你已提交过本卷（得分 4 / 4）" in reopened[1] and reopened[4]["visible"] is False

    # the trainer who made it sees its key; so does an admin
    for who in ("wang", "chief"):
        own = quiz.make_quiz("", [], 3, 0, str(number), as_user(who))
        assert own[2]["visible"] is True and len(own[3]) == 4
    # a number nobody assigned is a practice paper as before, and nothing is stored
    practice = quiz.make_quiz("", [], 3, 0, str(number % 999_999 + 1), as_user("bob"))
    assert "assigned" not in practice[0] and len(practice[0]["questions"]) == 3
    quiz.submit_answers(as_user("bob"), practice[0], *values(practice[0]["questions"], lambda q: q["answer"]))
    assert len(list_submissions(records)) == 1


def test_without_accounts_the_number_is_a_practice_paper_and_nothing_is_stored(records, accounts, monkeypatch):
    number = assign(n=4)
    monkeypatch.setattr(state, "ACCOUNTS", None)
    out = quiz.make_quiz("", [], 3, 0, str(number), as_user(None))
    assert "assigned" not in out[0] and len(out[0]["questions"]) == 3 and out[2]["visible"] is True
    score = quiz.submit_answers(as_user(None), out[0], *values(out[0]["questions"], lambda q: q["answer"]))[0]
    assert "<b>3</b> / 3" in score and "学员成绩" not in score
    assert list_submissions(records) == [] and papers.my_results(as_user(None)) == ""
    with pytest.raises(gr.Error, match=state.TRAINER_DENIED):
        papers.assign("", [], 4, 0, "", "", False, as_user("wang"))


def test_a_second_submission_when_allowed_and_a_late_one_marked(records, accounts):
    number = assign(n=3, due="2026-03-02", second=True)
    records.clock.when = datetime(2026, 3, 3, 8, 0).astimezone()
    out, (score, *_) = take(number, "bob", wrong)
    assert "已过截止时间：现在提交将标为逾期" in out[1] and "可提交 2 次" in out[1]
    assert "第 1 次提交" in score and "逾期提交（截止 2026-03-02 23:59）" in score
    out, (score, *_) = take(number, "bob", lambda q: q["answer"])
    assert "（已提交 1 次）" in out[1] and "第 2 次提交" in score
    assert [(s["attempt"], s["score"], s["late"]) for s in list_submissions(records)] == [(1, 0, True), (2, 3, True)]
    with pytest.warns(UserWarning, match="本卷最多提交 2 次"):
        take(number, "bob", wrong)


def test_trainer_only_parts_refuse_everyone_else_on_the_server(records, accounts, monkeypatch):
    sys.path.insert(0, str(ROOT))
    import app

    number = assign(n=3)
    take(number, "alice", lambda q: q["answer"])
    for request in (as_user("alice"), as_user("nobody"), as_user(None), None):
        with pytest.raises(gr.Error, match=state.TRAINER_DENIED):
            papers.assign("", [], 3, 0, "", "", False, request)
        with pytest.raises(gr.Error, match=state.TRAINER_DENIED):
            results.show_results(str(number), None, request)
        assert [u["visible"] for u in app.trainer_parts(request)][:2] == [False, False]
    assert [u["visible"] for u in app.trainer_parts(as_user("alice"))] == [False, False, True]
    assert [u["visible"] for u in app.trainer_parts(as_user("wang"))] == [True, True, True]
    assert [u["visible"] for u in app.trainer_parts(as_user("chief"))] == [True, True, True]
    assert len(list_papers(records)) == 1
    monkeypatch.setattr(state, "ACCOUNTS", None)
    assert [u["visible"] for u in app.trainer_parts(as_user(None))] == [False, False, False]


def test_results_per_paper_and_per_trainee_for_the_papers_one_may_read(records, accounts):
    mine = assign("wang", chapter="四", n=5, title="<b>能源</b>")
    theirs = assign("li", n=3, title="李老师的卷")
    paper = list_papers(records, creator="wang")[0]
    qs = paper["questions"]
    take(mine, "alice", lambda q: q["answer"])
    take(mine, "bob", lambda q: q["answer"] if qs.index(q) < 2 else wrong(q))
    take(mine, "carol", lambda q: None)
    take(theirs, "bob", lambda q: q["answer"])

    choices, summary, rows, missed, trainees, taken, chapters, xlsx, csv, status = results.show_results(
        str(theirs), None, as_user("wang"))  # li's paper: not wang's to read, so wang's own is shown
    assert [v for _, v in choices["choices"]] == [str(mine)] and choices["value"] == str(mine)
    assert "3 人提交" in summary and "平均 **" in summary and "&lt;b&gt;能源&lt;/b&gt;" in summary
    assert [(r[0], r[1], r[3], r[4]) for r in cells(rows, "results-rows")] == [
        ("alice", "1", "5 / 5", "100%"), ("bob", "1", "2 / 5", "40%"), ("carol", "1", "0 / 5", "0%")]
    assert "李老师的卷" not in summary + rows + taken + chapters and "共 1 份试卷，3 次提交" in status
    # the most missed: questions 3-5 missed by bob and carol, each with its paragraph and ref
    assert [r[0] for r in cells(missed, "results-missed")] == ["3", "4", "5", "1", "2"]
    assert "2 / 3（错 1，未答 1）" in missed and "<mark>" in missed and f"[{qs[2]['ref']}]" in missed
    assert trainees["choices"] == [results.ALL_TRAINEES, "alice", "bob", "carol"]
    by_chapter = cells(chapters, "results-chapters")
    assert {r[0] for r in by_chapter} == {"alice", "bob", "carol"}
    assert all(r[1].startswith("四、大力发展现代能源经济") for r in by_chapter)  # a paper on part 四
    assert [r[2] for r in by_chapter] == ["5 / 5", "2 / 5", "0 / 5"]
    book = load_workbook(xlsx["value"])
    assert [r[2] for r in list(book["提交情况"].values)[1:]] == ["alice", "bob", "carol"]
    assert [r[5] for r in list(book["提交情况"].values)[1:]] == [5, 2, 0]
    assert Path(csv["value"]).read_text(encoding="utf-8-sig").startswith("试卷编号,试卷标题,学员")

    # one trainee: their papers and chapters only
    *_, taken, chapters, _, _, _ = results.show_results(str(mine), "bob", as_user("wang"))
    assert "bob" in taken and "alice" not in taken + chapters and "李老师的卷" not in taken
    # an admin reads every paper; li reads only li's
    assert {v for _, v in results.show_results("", None, as_user("chief"))[0]["choices"]} == {str(mine), str(theirs)}
    li = results.show_results("", None, as_user("li"))
    assert [v for _, v in li[0]["choices"]] == [str(theirs)] and "alice" not in li[2]

    # a trainee's own results: theirs only
    own = papers.my_results(as_user("bob"))
    assert sorted(r[1] for r in cells(own, "my-papers")) == ["&lt;b&gt;能源&lt;/b&gt;", "李老师的卷"]
    alice = cells(papers.my_results(as_user("alice")), "my-papers")
    assert [(r[0], r[4]) for r in alice] == [(str(mine), "5 / 5")]


def test_records_off_is_said_in_each_part(accounts, monkeypatch):
    monkeypatch.setattr(state, "RECORDS", Records(None))
    with pytest.raises(gr.Error, match="记录已关闭"):
        papers.assign("", [], 3, 0, "", "", False, as_user("wang"))
    assert "无处保存" in papers.my_results(as_user("alice"))
    assert "问答记录已关闭" in results.show_results("", None, as_user("wang"))[-1]
    assert "assigned" not in quiz.make_quiz("", [], 3, 0, "5", as_user("alice"))[0]


def test_opening_time_is_the_servers(records, accounts):
    number = assign(n=3)
    before = time.time()
    out = quiz.make_quiz("", [], 3, 0, str(number), as_user("alice"))
    assert before <= out[0]["opened"] <= time.time()
